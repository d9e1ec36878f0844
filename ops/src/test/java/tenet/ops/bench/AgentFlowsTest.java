package tenet.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import it.unimi.dsi.fastutil.longs.LongList;
import org.junit.jupiter.api.Test;
import tenet.agent.v1.Flow;
import tenet.agent.v1.FlowUpdate;

class AgentFlowsTest {
  private static final long PORT_5 = FlowMarks.localPort(5);
  private static final long PORT_6 = FlowMarks.localPort(6);

  private static Flow classify(long cookie, int ofport) {
    return Flow.newBuilder().setCookie(cookie).setTable(0).setPriority(100).setMatch("in_port=" + ofport)
        .setActions("resubmit(,8)").build();
  }

  private static Flow other(long cookie) {
    return Flow.newBuilder().setCookie(cookie).setTable(8).setPriority(0).setActions("drop").build();
  }

  private static FlowUpdate.Builder full(long version) {
    return FlowUpdate.newBuilder().setVersion(version).setFull(true);
  }

  private static FlowUpdate.Builder delta(long base, long version) {
    return FlowUpdate.newBuilder().setVersion(version).setBaseVersion(base);
  }

  @Test
  void aFullSetReplacesWhatWasHeld() {
    AgentFlows flows = new AgentFlows();
    assertThat(flows.page(full(3).addAdd(classify(1, 5)).addAdd(other(2)).build()))
        .isEqualTo(new AgentFlows.Applied(3, true));
    assertThat(flows.version()).isEqualTo(3);
    assertThat(flows.size()).isEqualTo(2);
    assertThat(flows.holds(PORT_5)).isTrue();

    assertThat(flows.page(full(4).addAdd(classify(3, 6)).build())).isEqualTo(new AgentFlows.Applied(4, true));
    assertThat(flows.size()).isEqualTo(1);
    assertThat(flows.holds(PORT_5)).isFalse();
    assertThat(flows.holds(PORT_6)).isTrue();
  }

  @Test
  void aDeltaAppliesOnItsBaseOnly() {
    AgentFlows flows = new AgentFlows();
    flows.page(full(3).addAdd(classify(1, 5)).addAdd(other(2)).build());

    assertThat(flows.page(delta(2, 4).addAdd(classify(3, 6)).build()))
        .isEqualTo(new AgentFlows.Refused("delta on version 2 while holding 3"));
    assertThat(flows.version()).isEqualTo(3);
    assertThat(flows.holds(PORT_6)).isFalse();

    assertThat(flows.page(delta(3, 4).addAdd(classify(3, 6)).addRemove(classify(1, 5)).build()))
        .isEqualTo(new AgentFlows.Applied(4, false));
    assertThat(flows.version()).isEqualTo(4);
    assertThat(flows.size()).isEqualTo(2);
    assertThat(flows.holds(PORT_5)).isFalse();
    assertThat(flows.holdsAll(LongList.of(PORT_6))).isTrue();
  }

  @Test
  void aMarkStaysWhileAnyFlowCarriesIt() {
    AgentFlows flows = new AgentFlows();
    flows.page(full(1).addAdd(classify(1, 5)).addAdd(classify(2, 5)).build());
    flows.page(delta(1, 2).addRemove(classify(1, 5)).build());
    assertThat(flows.holds(PORT_5)).isTrue();
    flows.page(delta(2, 3).addRemove(classify(2, 5)).build());
    assertThat(flows.holds(PORT_5)).isFalse();
    // Adding a cookie held already, or removing one not held, changes nothing.
    flows.page(delta(3, 4).addAdd(other(9)).addAdd(other(9)).addRemove(classify(7, 6)).build());
    assertThat(flows.size()).isEqualTo(1);
    assertThat(flows.holds(PORT_6)).isFalse();
  }

  @Test
  void pagesMakeOneUpdateAppliedWithTheLast() {
    AgentFlows flows = new AgentFlows();
    assertThat(flows.page(full(7).addAdd(classify(1, 5)).setMore(true).build())).isEqualTo(new AgentFlows.Incomplete());
    assertThat(flows.version()).isZero();
    assertThat(flows.holds(PORT_5)).isFalse();
    assertThat(flows.page(full(7).addAdd(classify(2, 6)).build())).isEqualTo(new AgentFlows.Applied(7, true));
    assertThat(flows.holdsAll(LongList.of(PORT_5, PORT_6))).isTrue();

    assertThat(flows.page(delta(7, 8).addRemove(classify(1, 5)).setMore(true).build()))
        .isEqualTo(new AgentFlows.Incomplete());
    assertThat(flows.holds(PORT_5)).isTrue();
    assertThat(flows.page(delta(7, 8).addAdd(other(3)).build())).isEqualTo(new AgentFlows.Applied(8, false));
    assertThat(flows.holds(PORT_5)).isFalse();
    assertThat(flows.size()).isEqualTo(2);
  }

  @Test
  void anotherUpdateBeforeTheLastPageIsRefusedAndNothingChanges() {
    AgentFlows flows = new AgentFlows();
    flows.page(full(1).addAdd(classify(1, 5)).build());
    flows.page(full(2).addAdd(classify(2, 6)).setMore(true).build());
    assertThat(flows.page(full(3).addAdd(other(3)).build()))
        .isEqualTo(new AgentFlows.Refused("version 3 began before the last page of version 2"));
    assertThat(flows.version()).isEqualTo(1);
    assertThat(flows.holds(PORT_5)).isTrue();
    assertThat(flows.holds(PORT_6)).isFalse();
    // The full set the new stream brings applies from its first page on.
    assertThat(flows.page(full(4).addAdd(classify(2, 6)).build())).isEqualTo(new AgentFlows.Applied(4, true));
  }

  @Test
  void theCookiesHeldGoWithTheRevisionOfTheLastUpdateApplied() {
    AgentFlows flows = new AgentFlows();
    assertThat(flows.heldRevision()).isZero();
    flows.page(full(1).setRevision(40).addAdd(classify(1, 5)).build());
    assertThat(flows.heldRevision()).isEqualTo(40);
    flows.page(delta(1, 2).setRevision(47).addAdd(classify(2, 6)).build());
    assertThat(flows.heldRevision()).isEqualTo(47);
    flows.page(delta(2, 3).setRevision(50).addAdd(classify(3, 7)).setMore(true).build());
    assertThat(flows.heldRevision()).isZero(); // an update half arrived: it holds no whole set to name
  }

  @Test
  void aStreamThatEndsDropsTheHalfArrivedUpdate() {
    AgentFlows flows = new AgentFlows();
    flows.page(full(1).addAdd(classify(1, 5)).build());
    flows.page(delta(1, 2).addAdd(classify(2, 6)).setMore(true).build());
    flows.abandon();
    assertThat(flows.page(full(5).addAdd(other(3)).build())).isEqualTo(new AgentFlows.Applied(5, true));
    assertThat(flows.holds(PORT_6)).isFalse();
    assertThat(flows.size()).isEqualTo(1);
  }

  @Test
  void anEmptyGoalHoldsAlways() {
    assertThat(new AgentFlows().holdsAll(LongList.of())).isTrue();
  }
}
