package tenet.compiler.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tenet.compiler.logical.Action;
import tenet.compiler.logical.Datapath;
import tenet.compiler.logical.LogicalFlow;
import tenet.compiler.logical.Stage;

/** NAT happens in the router's own conntrack zone, and nowhere when the router cannot have one. */
class RouterNatTest {
  private static final List<Stage> NAT_STAGES =
      List.of(Stage.LR_IN_UNSNAT, Stage.LR_IN_DNAT, Stage.LR_OUT_UNDNAT, Stage.LR_OUT_SNAT);

  @Test
  void everyNatActionIsInTheRoutersZone() {
    assertThat(natActions(4)).containsExactlyInAnyOrder(
        new Action.CtNat(32772), new Action.CtNat(32772), new Action.CtNat(32772),
        new Action.CtDnat(32772, "10.0.1.11"),
        new Action.CtSnat(32772, "203.0.113.50"), new Action.CtSnat(32772, "203.0.113.10"));
  }

  @Test
  void aRouterWhoseKeyHasNoZoneDropsWhatItWouldTranslate() {
    // 32768 + 40000 is no zone; 40000 mod 32768 would be another router's.
    assertThat(natActions(40000)).hasSize(6).containsOnly(Action.DROP);
  }

  /** The actions of the NAT flows (not the stages' defaults) of an edge router with tunnel key {@code key}. */
  private static List<Action> natActions(int key) {
    RouterConfig edge = new RouterConfig(new Datapath(Datapath.Type.ROUTER, "acme", "edge", key),
        List.of(new RouterConfig.Port("edge-web", 1, "02:00:00:00:ff:01", List.of("10.0.1.1/24"), List.of(), false),
            new RouterConfig.Port("edge-up", 3, "02:00:00:00:ff:03", List.of("203.0.113.10/24"), List.of(), true)),
        List.of(),
        List.of(new RouterConfig.Nat(false, "203.0.113.10", "10.0.0.0/16", 3),
            new RouterConfig.Nat(true, "203.0.113.50", "10.0.1.11", 3)));
    return RouterPipeline.compile(edge).stream()
        .filter(f -> NAT_STAGES.contains(f.stage()) && f.priority() > 0)
        .map(LogicalFlow::actions).flatMap(List::stream).toList();
  }
}
