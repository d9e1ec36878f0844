package tenet.southbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tenet.compiler.Topologies;
import tenet.compiler.specialize.OpenFlowRule;
import tenet.compiler.specialize.Specializer;
import tenet.store.core.StoreState;

class WireFlowsTest {
  @Test
  void everyRuleOfAChassisHasItsOwnCookieKeepingItsDatapath() throws Exception {
    StoreState state = Topologies.load(Path.of("src/test/resources/golden/router/topology.json"));
    var view = Topologies.chassis(state, "hv1", 65000, java.util.Map.of("acme/web-1", 1, "acme/upstream", 2),
        java.util.Map.of("acme/db-1", "192.0.2.2"));
    List<OpenFlowRule> rules = Specializer.specialize(Topologies.logicalFlows(state), view);
    Set<Long> cookies = new HashSet<>();
    for (OpenFlowRule r : rules) {
      long cookie = WireFlows.of(r).getCookie();
      assertThat(cookies.add(cookie)).as("unique: " + r).isTrue();
      assertThat(cookie >>> 40).as("datapath of " + r).isEqualTo((r.cookie() >>> 32) & 0xffffff);
      assertThat(cookie).isNotZero();
    }
    assertThat(cookies).hasSize(rules.size());
  }

  @Test
  void aChangedRuleGetsANewCookieAndAnEqualOneTheSame() {
    OpenFlowRule r = new OpenFlowRule(7L << 32 | 5, 8, 100, "in_port=1", "resubmit(,9)");
    assertThat(WireFlows.of(r).getCookie()).isEqualTo(WireFlows.of(new OpenFlowRule(r.cookie(), 8, 100, "in_port=1",
        "resubmit(,9)")).getCookie());
    assertThat(WireFlows.of(r).getCookie()).isNotEqualTo(WireFlows.of(new OpenFlowRule(r.cookie(), 8, 100, "in_port=1",
        "drop")).getCookie());
  }
}
