package tenet.agent.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tenet.agent.flows.FlowSetTest.flow;

import java.util.List;
import org.junit.jupiter.api.Test;
import tenet.agent.v1.Flow;

class FullSetDiffTest {
  private static final Flow A = flow(0xa, "in_port=1", "resubmit(,8)");
  private static final Flow B = flow(0xb, "in_port=2", "resubmit(,8)");
  private static final Flow C = flow(0xc, "in_port=3", "resubmit(,8)");
  private static final Flow LOCAL = flow(TunnelPeers.LOCAL_COOKIE_BASE | 7, "in_port=7", "resubmit(,0)");

  @Test
  void eachPageAddsAtOnceWhatTheSwitchLacksAndTheLastSaysWhatToDelete() {
    FullSetDiff diff = new FullSetDiff(CookieSet.of(List.of(0xaL, 0xdL)), 2);
    assertThat(diff.page(List.of(A, B))).containsExactly(B);
    assertThat(diff.page(List.of(C))).containsExactly(C);
    FlowSet.Changes rest = diff.rest(List.of());
    assertThat(rest.add()).isEmpty();
    assertThat(rest.delete()).containsExactly(0xdL);
    assertThat(diff.added()).containsExactly(B, C);
    assertThat(diff.flows().values()).containsExactlyInAnyOrder(A, B, C);
  }

  @Test
  void aSetTheSwitchHoldsAlreadyTouchesNothing() {
    FullSetDiff diff = new FullSetDiff(CookieSet.of(List.of(0xaL, 0xbL, LOCAL.getCookie())), 3);
    assertThat(diff.page(List.of(B))).isEmpty();
    assertThat(diff.page(List.of(A))).isEmpty();
    FlowSet.Changes rest = diff.rest(List.of(LOCAL));
    assertThat(rest.isEmpty()).isTrue();
    assertThat(diff.added()).isEmpty();
  }

  @Test
  void theAgentsOwnFlowsAreAddedWhenMissingAndKeptWhenThere() {
    FullSetDiff missing = new FullSetDiff(CookieSet.of(List.of(0xaL)), 1);
    missing.page(List.of(A));
    assertThat(missing.rest(List.of(LOCAL)).add()).containsExactly(LOCAL);
    assertThat(missing.added()).containsExactly(LOCAL);

    FullSetDiff gone = new FullSetDiff(CookieSet.of(List.of(0xaL, LOCAL.getCookie())), 1);
    gone.page(List.of(A));
    assertThat(gone.rest(List.of()).delete()).containsExactly(LOCAL.getCookie());
  }

  @Test
  void aFlowSentTwiceIsAddedOnceAndTwoDifferentFlowsUnderOneCookieAreRefused() {
    FullSetDiff diff = new FullSetDiff(new CookieSet(), 2);
    assertThat(diff.page(List.of(A, B))).containsExactly(A, B);
    assertThat(diff.page(List.of(A))).isEmpty();
    Flow clash = flow(0xb, "in_port=9", "drop");
    assertThatThrownBy(() -> diff.page(List.of(clash))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cookie 0xb");
  }

  @Test
  void deletesComeInCookieOrder() {
    FullSetDiff diff = new FullSetDiff(CookieSet.of(List.of(0x30L, 0x10L, 0x20L, 0xaL)), 1);
    diff.page(List.of(A));
    assertThat(diff.rest(List.of()).delete()).containsExactly(0x10L, 0x20L, 0x30L);
  }
}
