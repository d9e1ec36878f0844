package tenet.compiler.incremental;

import java.util.List;
import tenet.compiler.logical.LogicalFlow;

/** What changed in one datapath's logical flows: send only this to whoever holds the old set. */
public record FlowDelta(List<LogicalFlow> added, List<LogicalFlow> removed) {
  public FlowDelta {
    added = List.copyOf(added);
    removed = List.copyOf(removed);
  }

  public boolean isEmpty() {
    return added.isEmpty() && removed.isEmpty();
  }
}
