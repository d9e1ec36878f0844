package tenet.compiler.specialize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A rule's cookie names its datapath and its content, and nothing else. */
class ContentCookieTest {
  private static final OpenFlowRule RULE = OpenFlowRule.of(7, 8, 100, "metadata=7,in_port=1", "resubmit(,9)");

  @Test
  void theSameContentGetsTheSameCookieEveryTime() {
    OpenFlowRule again = OpenFlowRule.of(7, 8, 100, "metadata=7,in_port=1", "resubmit(,9)");
    assertThat(again.cookie()).isEqualTo(RULE.cookie());
    assertThat(again).isEqualTo(RULE).hasSameHashCodeAs(RULE);
  }

  /**
   * Computed with the reference XXH64 (libxxhash): a cookie changed by a release makes every
   * agent replace every flow once, so it changes on purpose only.
   */
  @Test
  void theCookieIsTheDatapathOverXxh64OfTheContent() {
    assertThat(RULE.cookie()).isEqualTo(0x79e3015d6daL);
  }

  @Test
  void theDatapathIsTheHigh24BitsAndTheHashNeverZero() {
    assertThat(RULE.cookie() >>> 40).isEqualTo(7);
    assertThat(RULE.datapath()).isEqualTo(7);
    OpenFlowRule max = OpenFlowRule.of(0xffffff, 0, 0, "", "drop");
    assertThat(max.datapath()).isEqualTo(0xffffff);
    OpenFlowRule none = OpenFlowRule.of(0, 0, 0, "", "drop");
    assertThat(none.datapath()).isZero();
    assertThat(none.cookie() & ((1L << 40) - 1)).isNotZero();
    assertThatThrownBy(() -> OpenFlowRule.of(1 << 24, 0, 0, "", "drop")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new OpenFlowRule(0, 0, 0, "", "drop")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anyOtherContentOrDatapathGetsAnotherCookie() {
    List<OpenFlowRule> others = List.of(
        OpenFlowRule.of(8, 8, 100, "metadata=7,in_port=1", "resubmit(,9)"),
        OpenFlowRule.of(7, 9, 100, "metadata=7,in_port=1", "resubmit(,9)"),
        OpenFlowRule.of(7, 8, 101, "metadata=7,in_port=1", "resubmit(,9)"),
        OpenFlowRule.of(7, 8, 100, "metadata=7,in_port=2", "resubmit(,9)"),
        OpenFlowRule.of(7, 8, 100, "metadata=7,in_port=1", "resubmit(,10)"),
        // Where the match ends and the actions begin is part of the content.
        OpenFlowRule.of(7, 8, 100, "metadata=7,in_port=1r", "esubmit(,9)"));
    Set<Long> cookies = new HashSet<>(List.of(RULE.cookie()));
    for (OpenFlowRule other : others) {
      assertThat(cookies.add(other.cookie())).as("%s has a cookie of its own", other).isTrue();
      assertThat(other).isNotEqualTo(RULE);
    }
  }

  @Test
  void aRuleWithAnotherCookieIsAnotherRule() {
    OpenFlowRule forged = new OpenFlowRule(RULE.cookie() ^ 1, RULE.table(), RULE.priority(), RULE.match(), RULE.actions());
    assertThat(forged).isNotEqualTo(RULE);
  }
}
