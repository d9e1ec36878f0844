package tenet.compiler.specialize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tenet.compiler.Topologies;
import tenet.store.core.StoreState;

/**
 * Where the chassis rules put a gateway port (golden/router: edge's gateway port edge-up, key 3
 * in edge (datapath 4), port 2 of the uplink switch (datapath 3); its redirect port is 32771):
 * crossed on the gateway chassis only, tunnelled to it from the others, and nowhere while the
 * gateway chassis cannot be reached.
 */
class SpecializerGatewayTest {
  private static final String REDIRECT = "metadata=4,reg15=32771";
  private static final String TO_ROUTER = "metadata=3,reg15=2";
  private static final String OUT_OF_ROUTER = "metadata=4,reg15=3";

  @Test
  void onTheGatewayChassisTheRedirectPortLeadsBackIntoTheRoutersEgress() throws Exception {
    List<OpenFlowRule> rules = rules("hv1", Map.of());
    assertThat(matching(rules, REDIRECT)).extracting(OpenFlowRule::table, OpenFlowRule::actions)
        .containsExactly(tuple(38, "set_field:3->reg15,resubmit(,40)"));
    assertThat(matching(rules, TO_ROUTER)).extracting(OpenFlowRule::table).containsExactly(38, 64);
    assertThat(matching(rules, OUT_OF_ROUTER)).extracting(OpenFlowRule::table).contains(38, 64);
  }

  @Test
  void elsewhereBothWaysAcrossTheGatewayPortGoToTheGatewayChassis() throws Exception {
    List<OpenFlowRule> rules = rules("hv2", Map.of("hv1", "192.0.2.1"));
    assertThat(matching(rules, REDIRECT)).singleElement().satisfies(r -> {
      assertThat(r.table()).isEqualTo(Specializer.OUTPUT_REMOTE);
      assertThat(r.actions()).startsWith("set_field:4->tun_id,set_field:192.0.2.1->tun_dst,");
    });
    assertThat(matching(rules, TO_ROUTER)).singleElement().satisfies(r -> {
      assertThat(r.table()).isEqualTo(Specializer.OUTPUT_REMOTE);
      assertThat(r.actions()).startsWith("set_field:3->tun_id,set_field:192.0.2.1->tun_dst,");
    });
    // The router's egress out of the gateway port never runs here (only the logical flows,
    // shared by every chassis, name it).
    assertThat(matching(rules, OUT_OF_ROUTER)).extracting(OpenFlowRule::table).doesNotContain(38, 64);
    // A flood of the uplink switch sends the gateway chassis the router's copy.
    assertThat(rules).anySatisfy(r -> {
      assertThat(r.match()).isEqualTo("metadata=3,reg15=0xffff,reg10=0/1");
      assertThat(r.actions()).contains("set_field:192.0.2.1->tun_dst");
    });
  }

  @Test
  void whileTheGatewayChassisCannotBeReachedNothingCrossesTheGatewayPort() throws Exception {
    List<OpenFlowRule> rules = rules("hv2", Map.of());
    assertThat(matching(rules, REDIRECT)).isEmpty();
    assertThat(matching(rules, TO_ROUTER)).isEmpty();
    assertThat(matching(rules, OUT_OF_ROUTER)).extracting(OpenFlowRule::table).doesNotContain(38, 64);
  }

  /** Chassis {@code name}'s rules for golden/router, with web-1 and upstream here (edge's gateway is hv1). */
  private static List<OpenFlowRule> rules(String name, Map<String, String> gatewayIps) throws Exception {
    StoreState state = Topologies.load(Path.of("src/test/resources/golden/router/topology.json"));
    ChassisView view = Topologies.chassis(state, name, 10, Map.of("acme/web-1", 1, "acme/upstream", 2), Map.of(),
        gatewayIps);
    return Specializer.specialize(Topologies.logicalFlows(state), view);
  }

  /** The chassis rules whose match starts with {@code match} (the logical flows' never name a local table). */
  private static List<OpenFlowRule> matching(List<OpenFlowRule> rules, String match) {
    return rules.stream().filter(r -> r.table() == Specializer.OUTPUT_REMOTE || r.table() == Specializer.OUTPUT_LOCAL
        || r.table() == Specializer.DELIVER).filter(r -> r.match().equals(match)).toList();
  }
}
