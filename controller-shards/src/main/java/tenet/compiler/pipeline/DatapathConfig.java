package tenet.compiler.pipeline;

import java.util.List;
import tenet.compiler.logical.Datapath;
import tenet.compiler.logical.LogicalFlow;

/** Everything one logical datapath's flows are computed from: equal configs, equal flows. */
public sealed interface DatapathConfig permits SwitchConfig, RouterConfig {
  Datapath datapath();

  /** This datapath's logical flows. */
  default List<LogicalFlow> compile() {
    return switch (this) {
      case SwitchConfig s -> SwitchPipeline.compile(s);
      case RouterConfig r -> RouterPipeline.compile(r);
    };
  }
}
