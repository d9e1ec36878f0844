package tenet.southbound;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tenet.agent.v1.Flow;
import tenet.compiler.specialize.OpenFlowRule;

class WireFlowsTest {
  @Test
  void aRuleGoesAsTheCompilerMadeItCookieIncluded() {
    OpenFlowRule r = OpenFlowRule.of(7, 8, 100, "metadata=7,in_port=1", "resubmit(,9)");

    assertThat(WireFlows.of(r)).isEqualTo(Flow.newBuilder().setCookie(r.cookie()).setTable(8).setPriority(100)
        .setMatch("metadata=7,in_port=1").setActions("resubmit(,9)").build());
  }
}
