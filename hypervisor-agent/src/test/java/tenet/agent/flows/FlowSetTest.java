package tenet.agent.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import tenet.agent.v1.Flow;
import tenet.agent.v1.FlowUpdate;

class FlowSetTest {
  private static final Flow A = flow(0xa, "in_port=1", "resubmit(,8)");
  private static final Flow B = flow(0xb, "in_port=2", "resubmit(,8)");
  private static final Flow C = flow(0xc, "in_port=3", "resubmit(,8)");

  @Test
  void aFullSetReplacesAndADeltaAppliesOnTheVersionHeld() {
    FlowSet set = new FlowSet();
    set.replace(5, byCookie(A, B));
    set.apply(FlowUpdate.newBuilder().setVersion(6).setBaseVersion(5).addRemove(A).addAdd(C).build());
    assertThat(set.flows()).containsExactlyInAnyOrder(B, C);
    assertThat(set.version()).isEqualTo(6);
  }

  @Test
  void aDeltaOnAnotherVersionIsRefusedAndChangesNothing() {
    FlowSet set = new FlowSet();
    set.replace(5, byCookie(A));
    assertThatThrownBy(() -> set.apply(FlowUpdate.newBuilder().setVersion(7).setBaseVersion(6).addAdd(B).build()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("delta on version 6 while holding 5");
    assertThat(set.flows()).containsExactly(A);
    assertThat(set.version()).isEqualTo(5);
  }

  @Test
  void aFullSetIsNotAppliedAsADelta() {
    FlowSet set = new FlowSet();
    assertThatThrownBy(() -> set.apply(FlowUpdate.newBuilder().setVersion(1).setFull(true).addAdd(A).build()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(set.flows()).isEmpty();
  }

  @Test
  void whatASwitchAlreadyHoldsIsNeitherDeletedNorAddedAgain() {
    FlowSet set = new FlowSet();
    set.replace(1, byCookie(A, B));
    FlowSet.Changes changes = set.changesFrom(CookieSet.of(List.of(0xaL, 0xdL)));
    assertThat(changes.add()).containsExactly(B);
    assertThat(changes.delete()).containsExactly(0xdL);
    assertThat(FlowLines.bundle(changes).toString().lines()).containsExactly("delete cookie=0xd/-1",
        "add cookie=0xb,table=0,priority=100,in_port=2 actions=resubmit(,8)");
    assertThat(set.changesFrom(CookieSet.of(List.of(0xaL, 0xbL))).isEmpty()).isTrue();
  }

  @Test
  void twoDifferentFlowsUnderOneCookieInADeltaAreRefused() {
    FlowSet set = new FlowSet();
    set.replace(1, byCookie(A));
    Flow clash = flow(0xa, "in_port=9", "drop");
    assertThatThrownBy(() -> set.apply(FlowUpdate.newBuilder().setVersion(2).setBaseVersion(1).addAdd(clash).build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cookie 0xa");
    assertThat(set.flows()).containsExactly(A);
  }

  private static CookieMap<Flow> byCookie(Flow... flows) {
    CookieMap<Flow> out = new CookieMap<>();
    for (Flow f : flows) {
      out.put(f.getCookie(), f);
    }
    return out;
  }

  static Flow flow(long cookie, String match, String actions) {
    return Flow.newBuilder().setCookie(cookie).setTable(0).setPriority(100).setMatch(match).setActions(actions).build();
  }
}
