package tenet.compiler.ovs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tenet.agent.ovs.PrivateSwitch;
import tenet.api.v1.Kind;
import tenet.compiler.Topologies;
import tenet.compiler.specialize.ChassisView;
import tenet.compiler.specialize.OpenFlowRule;
import tenet.compiler.specialize.Specializer;
import tenet.store.core.StoreState;

/**
 * Open vSwitch takes the rules of every golden topology (NAT, IPv6, port ranges, every action
 * the compiler has), specialized for a chassis holding every switch port but the last, which is
 * on another chassis, as the routers' gateways are: the bundle is refused whole on a single rule
 * OVS cannot parse or finds inconsistent with its match.
 */
class GoldenRulesLoadTest {
  private static PrivateSwitch ovs;

  @BeforeAll
  static void startOvs() throws Exception {
    ovs = PrivateSwitch.start();
  }

  @AfterAll
  static void stopOvs() throws Exception {
    if (ovs != null) {
      ovs.close();
      ovs = null;
    }
  }

  @ParameterizedTest
  @MethodSource("tenet.compiler.GoldenTest#cases")
  void rulesLoad(String name) throws Exception {
    StoreState state = Topologies.load(Path.of("src/test/resources/golden", name, "topology.json"));
    List<String> ports = state.objects().keySet().stream().filter(k -> k.kind() == Kind.LOGICAL_SWITCH_PORT)
        .map(k -> k.tenant() + "/" + k.name()).toList();
    Map<String, Integer> local = new HashMap<>();
    for (int i = 0; i < ports.size() - 1; i++) {
      local.put(ports.get(i), i + 1);
    }
    // Every gateway on the other chassis: its redirect and uplink flows load too (a gateway here
    // is NatTraceTest's, and golden/router/hv1.of's).
    Map<String, String> gateways = new HashMap<>();
    state.objects(Kind.LOGICAL_ROUTER_PORT, "").values().forEach(r ->
        gateways.put(r.getLogicalRouterPort().getGatewayChassis(), "192.0.2.2"));
    ChassisView view = Topologies.chassis(state, name, 10, local, Map.of(ports.get(ports.size() - 1), "192.0.2.2"),
        gateways);
    List<OpenFlowRule> rules = Specializer.specialize(Topologies.logicalFlows(state), view);

    String bridge = "br-" + name.substring(0, Math.min(name.length(), 12)); // a tap name: 15 characters at most
    ovs.vsctl("add-br", bridge, "--", "set", "bridge", bridge, "datapath_type=netdev", "fail_mode=secure");
    try {
      IntegrationBridge.load(ovs, bridge, name, rules);
      // Fewer would mean two rules with one table, priority and match: the second replaced the first.
      assertThat(ovs.ofctl("dump-flows", bridge).lines().filter(l -> l.contains("actions=")).count())
          .as("flows in %s", bridge).isEqualTo(rules.size());
    } finally {
      ovs.vsctl("del-br", bridge);
    }
  }
}
