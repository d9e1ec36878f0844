package tenet.southbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tenet.agent.v1.Flow;
import tenet.agent.v1.FlowUpdate;
import tenet.api.FlowPages;
import tenet.compiler.incremental.ChassisDelta;
import tenet.compiler.specialize.OpenFlowRule;

/** The flow-sync state machine alone: what a stream is sent, in which versions and pages. */
class ChassisSyncTest {
  private static final int BOUND = 100_000;
  @Test
  void aFullSetAboveTheAgentsVersionThenDeltasEachOnTheOneBefore() {
    ChassisSync sync = new ChassisSync(41, List.of(), true, "c2", BOUND);
    sync.fullSet(set(rules(0, 5), rules(5, 3)));
    List<FlowUpdate> full = drain(sync);
    assertThat(full).hasSize(1);
    assertThat(full.get(0).getVersion()).isEqualTo(42);
    assertThat(full.get(0).getFull()).isTrue();
    assertThat(full.get(0).getController()).isEqualTo("c2");
    assertThat(full.get(0).getAddCount()).isEqualTo(8);

    sync.delta(1, new ChassisDelta(rules(8, 2), rules(0, 1)));
    sync.delta(1, new ChassisDelta(rules(10, 1), List.of()));
    List<FlowUpdate> deltas = drain(sync);
    assertThat(deltas).extracting(FlowUpdate::getVersion, FlowUpdate::getBaseVersion, FlowUpdate::getFull)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(43L, 42L, false),
            org.assertj.core.groups.Tuple.tuple(44L, 43L, false));
    assertThat(deltas.get(0).getRemoveList()).extracting(Flow::getCookie)
        .containsExactly(WireFlows.of(rules(0, 1).get(0)).getCookie());
    assertThat(sync.flows()).isEqualTo(10);
    assertThat(sync.desiredVersion()).isEqualTo(44);
    sync.acked(44);
    assertThat(sync.appliedVersion()).isEqualTo(44);
  }

  @Test
  void everyPageSaysTheRevisionItsUpdateBringsTheChassisTo() {
    ChassisSync sync = new ChassisSync(0, List.of(), true, "c1", BOUND);
    sync.fullSet(new FlowSource(70, List.of(rules(0, 1100)))); // two pages
    sync.delta(71, new ChassisDelta(rules(2000, 1), List.of()));
    sync.delta(75, new ChassisDelta(rules(2001, 1), List.of()));
    assertThat(drain(sync)).extracting(FlowUpdate::getVersion, FlowUpdate::getRevision).containsExactly(
        org.assertj.core.groups.Tuple.tuple(1L, 70L), org.assertj.core.groups.Tuple.tuple(1L, 70L),
        org.assertj.core.groups.Tuple.tuple(2L, 71L), org.assertj.core.groups.Tuple.tuple(3L, 75L));
  }

  @Test
  void deltasBeforeTheFirstFullSetAreNotSent() {
    ChassisSync sync = new ChassisSync(0, List.of(), true, "c1", BOUND);
    assertThat(sync.delta(1, new ChassisDelta(rules(0, 3), List.of()))).isEqualTo(ChassisSync.Effect.NONE);
    assertThat(sync.nextPage()).isEmpty();
    assertThat(sync.hasSet()).isFalse();
  }

  @Test
  void aLargeSetGoesInPagesWithMoreOnAllButTheLast() {
    ChassisSync sync = new ChassisSync(0, List.of(), true, "c1", BOUND);
    sync.fullSet(set(rules(0, 1500), rules(1500, 650)));
    List<FlowUpdate> pages = drain(sync);
    assertThat(pages).extracting(FlowUpdate::getAddCount)
        .containsExactly(FlowPages.FIRST_FLOWS, FlowPages.FLOWS, FlowPages.FLOWS, 2150 - FlowPages.FIRST_FLOWS - 2 * FlowPages.FLOWS);
    assertThat(pages).extracting(FlowUpdate::getMore).containsExactly(true, true, true, false);
    assertThat(pages).allMatch(p -> p.getVersion() == 1 && p.getFull());
    Set<Long> cookies = new HashSet<>();
    pages.forEach(p -> p.getAddList().forEach(f -> cookies.add(f.getCookie())));
    assertThat(cookies).hasSize(2150);
  }

  @Test
  void anAgentThatDoesNotTakePagesGetsEachUpdateWhole() {
    ChassisSync sync = new ChassisSync(0, List.of(), false, "c1", BOUND);
    sync.fullSet(set(rules(0, 2500)));
    assertThat(drain(sync)).extracting(FlowUpdate::getAddCount).containsExactly(2500);
  }

  /** An update once begun is finished before the next, even when a full set replaces what waits. */
  @Test
  void aFullSetReplacesWhatWaitsButNotTheUpdateHalfSent() {
    ChassisSync sync = new ChassisSync(0, List.of(), true, "c1", BOUND);
    sync.fullSet(set(rules(0, 10)));
    drain(sync);
    sync.delta(1, new ChassisDelta(rules(10, 500), List.of()));
    FlowUpdate first = sync.nextPage().orElseThrow();
    assertThat(first.getMore()).isTrue();
    sync.delta(1, new ChassisDelta(rules(600, 1), List.of()));
    sync.fullSet(set(rules(0, 3)));
    List<FlowUpdate> rest = drain(sync);
    assertThat(rest.get(0).getVersion()).isEqualTo(first.getVersion());
    assertThat(rest.get(0).getMore()).isFalse();
    FlowUpdate full = rest.get(rest.size() - 1);
    assertThat(full.getFull()).isTrue();
    assertThat(full.getVersion()).isEqualTo(first.getVersion() + 1);
    assertThat(rest).hasSize(2); // the waiting one-rule delta went with the full set
  }

  /** A stalled agent: what waits behind it is bounded; past the bound a full set is asked for instead. */
  @Test
  void changesPastTheBoundAreDroppedForAFullSet() {
    ChassisSync sync = new ChassisSync(0, List.of(), true, "c1", BOUND);
    sync.fullSet(set(rules(0, 10)));
    sync.nextPage(); // the stream takes one page, then stalls
    int per = BOUND / 4;
    ChassisSync.Effect effect = ChassisSync.Effect.NONE;
    int sent = 0;
    while (effect == ChassisSync.Effect.NONE) {
      effect = sync.delta(1, new ChassisDelta(rules(1_000_000 + sent * per, per), List.of()));
      sent++;
      assertThat(sync.waitingRules()).isLessThanOrEqualTo(BOUND);
    }
    assertThat(effect).isEqualTo(ChassisSync.Effect.ASK_FULL_SET);
    assertThat(sync.waitingRules()).isZero();
    // Deltas until the full set comes are dropped: it holds them.
    assertThat(sync.delta(1, new ChassisDelta(rules(5, 1), List.of()))).isEqualTo(ChassisSync.Effect.NONE);
    assertThat(sync.waitingRules()).isZero();
    sync.fullSet(set(rules(0, 20)));
    List<FlowUpdate> after = drain(sync);
    assertThat(after).hasSize(1);
    assertThat(after.get(0).getFull()).isTrue();
  }

  @Test
  void aSecondHelloAsksForAFullSetAboveWhatTheAgentHolds() {
    ChassisSync sync = new ChassisSync(0, List.of(), true, "c1", BOUND);
    sync.fullSet(set(rules(0, 10)));
    drain(sync);
    assertThat(sync.resync(7, List.of())).isEqualTo(ChassisSync.Effect.ASK_FULL_SET);
    sync.fullSet(set(rules(0, 10)));
    FlowUpdate full = drain(sync).get(0);
    assertThat(full.getFull()).isTrue();
    assertThat(full.getVersion()).isEqualTo(8);
  }

  /**
   * An agent whose stream ended says which flows it holds: its first set comes as the delta from
   * them, on the version it holds, and removes name flows by cookie alone.
   */
  @Test
  void anAgentThatSaysWhatItHoldsGetsTheDeltaToTheSet() {
    List<OpenFlowRule> kept = rules(0, 1200);
    List<OpenFlowRule> gone = rules(5000, 3);
    List<Long> held = new ArrayList<>();
    kept.forEach(r -> held.add(r.cookie()));
    gone.forEach(r -> held.add(r.cookie()));
    ChassisSync sync = new ChassisSync(17, held, true, "c3", BOUND);
    assertThat(sync.fullSet(set(kept.subList(0, 600), rules(9000, 2), kept.subList(600, 1200)))).isEqualTo(5);
    List<FlowUpdate> pages = drain(sync);
    assertThat(pages).hasSize(1);
    FlowUpdate first = pages.get(0);
    assertThat(first.getFull()).isFalse();
    assertThat(first.getBaseVersion()).isEqualTo(17);
    assertThat(first.getVersion()).isEqualTo(18);
    assertThat(first.getAddList()).containsExactlyElementsOf(rules(9000, 2).stream().map(WireFlows::of).toList());
    assertThat(first.getRemoveList()).extracting(Flow::getCookie)
        .containsExactlyInAnyOrderElementsOf(gone.stream().map(OpenFlowRule::cookie).toList());
    assertThat(first.getRemoveList()).allMatch(f -> f.getMatch().isEmpty() && f.getActions().isEmpty());
    assertThat(sync.flows()).isEqualTo(1202);

    // Only the first set: a later one (asked for after dropped changes) is whole.
    sync.fullSet(set(kept));
    FlowUpdate again = drain(sync).get(0);
    assertThat(again.getFull()).isTrue();
    assertThat(again.getAddCount()).isEqualTo(FlowPages.FIRST_FLOWS);
  }

  @Test
  void whenWhatItHoldsIsMostlyGoneTheWholeSetIsLessToSend() {
    List<Long> held = rules(5000, 50).stream().map(OpenFlowRule::cookie).toList();
    ChassisSync sync = new ChassisSync(3, held, true, "c1", BOUND);
    assertThat(sync.fullSet(set(rules(0, 40)))).isEqualTo(40);
    FlowUpdate first = drain(sync).get(0);
    assertThat(first.getFull()).isTrue();
    assertThat(first.getVersion()).isEqualTo(4);
  }

  @Test
  void heldCookiesWithoutAVersionMeanAFullSet() {
    ChassisSync sync = new ChassisSync(0, List.of(1L, 2L), true, "c1", BOUND);
    sync.fullSet(set(rules(0, 3)));
    assertThat(drain(sync).get(0).getFull()).isTrue();
  }

  /** A hello again on the stream: held cookies count only if they are of the last version sent. */
  @Test
  void aSecondHelloWithHeldCookiesGetsADeltaOnlyOnTheLastVersionSent() {
    List<OpenFlowRule> set = rules(0, 10);
    List<Long> held = set.stream().map(OpenFlowRule::cookie).toList();
    ChassisSync sync = new ChassisSync(0, List.of(), true, "c1", BOUND);
    sync.fullSet(set(set));
    drain(sync); // version 1
    sync.resync(1, held);
    sync.fullSet(set(set));
    FlowUpdate none = drain(sync).get(0);
    assertThat(none.getFull()).isFalse();
    assertThat(none.getBaseVersion()).isEqualTo(1);
    assertThat(none.getAddCount() + none.getRemoveCount()).isZero();

    sync.delta(1, new ChassisDelta(rules(20, 1), List.of()));
    drain(sync); // version 3, not yet applied
    sync.resync(2, held);
    sync.fullSet(set(set));
    assertThat(drain(sync).get(0).getFull()).isTrue();
  }

  private static List<FlowUpdate> drain(ChassisSync sync) {
    List<FlowUpdate> out = new ArrayList<>();
    for (Optional<FlowUpdate> p = sync.nextPage(); p.isPresent(); p = sync.nextPage()) {
      out.add(p.get());
    }
    return out;
  }

  @SafeVarargs
  private static FlowSource set(List<OpenFlowRule>... pieces) {
    return new FlowSource(1, List.of(pieces));
  }

  private static List<OpenFlowRule> rules(int from, int n) {
    List<OpenFlowRule> out = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      out.add(OpenFlowRule.of(1, 10, 100, "reg14=" + i, "resubmit(,11)"));
    }
    return out;
  }
}
