package tenet.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tenet.api.v1.Kind;
import tenet.compiler.specialize.ChassisView;
import tenet.compiler.specialize.OpenFlowRule;
import tenet.compiler.specialize.Specializer;
import tenet.store.core.StoreState;

/**
 * In every golden topology, specialized for a chassis that holds every port but one (the routers'
 * gateways here, and elsewhere), each distinct rule has a cookie of its own, which names the
 * datapath the rule matches on and is the one its content gives.
 */
class RuleCookiesTest {
  private static final Pattern METADATA = Pattern.compile("^metadata=(\\d+)");

  @ParameterizedTest
  @MethodSource("tenet.compiler.GoldenTest#cases")
  void everyDistinctRuleHasItsOwnCookie(String name) throws Exception {
    StoreState state = Topologies.load(Path.of("src/test/resources/golden", name, "topology.json"));
    Map<Long, OpenFlowRule> byCookie = new HashMap<>();
    for (boolean gatewaysHere : new boolean[] {false, true}) {
      for (OpenFlowRule r : Specializer.specialize(Topologies.logicalFlows(state), view(state, name, gatewaysHere))) {
        OpenFlowRule before = byCookie.putIfAbsent(r.cookie(), r);
        assertThat(before == null || before.equals(r)).as("%s and %s share a cookie", before, r).isTrue();
        assertThat(OpenFlowRule.of(r.datapath(), r.table(), r.priority(), r.match(), r.actions())).isEqualTo(r);
        Matcher m = METADATA.matcher(r.match());
        if (m.find()) {
          assertThat(r.datapath()).as("the datapath of %s", r).isEqualTo(Integer.parseInt(m.group(1)));
        }
      }
    }
    assertThat(byCookie).as("rules of %s", name).hasSizeGreaterThan(20);
  }

  private static ChassisView view(StoreState state, String chassis, boolean gatewaysHere) {
    List<String> ports = state.objects(Kind.LOGICAL_SWITCH_PORT, "").keySet().stream()
        .map(k -> k.tenant() + "/" + k.name()).toList();
    Map<String, Integer> local = new HashMap<>();
    for (int i = 0; i < ports.size() - 1; i++) {
      local.put(ports.get(i), i + 1);
    }
    // Every gateway elsewhere, at one tunnel IP; or this chassis is the (first) gateway chassis.
    Map<String, String> gateways = new HashMap<>();
    state.objects(Kind.LOGICAL_ROUTER_PORT, "").values().forEach(r ->
        gateways.put(r.getLogicalRouterPort().getGatewayChassis(), "192.0.2.2"));
    gateways.remove("");
    String name = gatewaysHere ? gateways.keySet().stream().sorted().findFirst().orElse(chassis) : chassis;
    return Topologies.chassis(state, name, 65000, local, Map.of(ports.get(ports.size() - 1), "192.0.2.3"), gateways);
  }
}
