package tenet.southbound;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import tenet.agent.v1.FlowUpdate;
import tenet.api.FlowPages;
import tenet.compiler.incremental.ChassisDelta;
import tenet.compiler.specialize.OpenFlowRule;

/**
 * What one agent's stream is sent, and when: the flow-sync half of an agent session, a plain
 * state machine (no threads, no clock; the session's actor calls it and does what it says).
 *
 * <p>The node's compiler tells it, in order, the chassis' whole set ({@link #fullSet}) and then
 * each change ({@link #delta}). Each becomes an update with a version of its own: a full set, or a
 * delta on the version sent before it. The stream takes them a page at a time, as fast as it is
 * ready ({@link #nextPage}); an update once begun is finished, so the agent can apply it whole.
 *
 * <p>Memory is bounded for a stalled agent: changes that wait behind the update being sent are
 * kept up to a bound (rules; {@code tenet.controller.southbound.max-waiting-rules}); past that they are dropped and a new full set is
 * asked for ({@link Effect#ASK_FULL_SET}), which the agent diffs against what OVS holds. A full
 * set from the compiler likewise replaces every change waiting before it.
 *
 * <p>Versions only grow for a chassis, across controllers too: the first one sent on a stream is
 * above the version the agent says it has applied.
 */
public final class ChassisSync {

  /** What the session must do for the sync, besides sending pages. */
  public enum Effect { NONE, ASK_FULL_SET }

  /** An update to send: its rules are the compiler's shared lists. */
  private record Pending(boolean full, List<List<OpenFlowRule>> add, List<OpenFlowRule> remove, long size) {}

  private final boolean paged;
  private final int maxWaitingRules;
  private final String controller;
  private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
  private long waitingRules;
  /** Deltas are dropped until the full set asked for arrives: it holds them. */
  private boolean awaitingFullSet = true;
  private FlowPages<OpenFlowRule> sending;
  private long lastVersion;
  private long applied;
  private long flows;
  private int datapaths;
  private boolean hasSet;

  /**
   * A stream whose agent says it holds {@code appliedVersion}; {@code paged}: it takes updates in
   * pages (else each is one message); {@code controller}: this node, named in every update;
   * {@code maxWaitingRules}: the rules of changes that may wait behind the update being sent.
   */
  public ChassisSync(long appliedVersion, boolean paged, String controller, int maxWaitingRules) {
    this.maxWaitingRules = maxWaitingRules;
    this.applied = appliedVersion;
    this.lastVersion = appliedVersion;
    this.paged = paged;
    this.controller = controller;
  }

  /** The chassis' whole set: it replaces whatever waits to be sent. */
  public void fullSet(FlowSource set) {
    waiting.clear();
    waitingRules = 0;
    awaitingFullSet = false;
    hasSet = true;
    long size = set.size();
    flows = size;
    datapaths = set.datapaths();
    waiting.add(new Pending(true, set.pieces(), List.of(), size));
    waitingRules = size;
  }

  /** What changed after the set (or the change) told before. */
  public Effect delta(ChassisDelta delta) {
    if (awaitingFullSet) {
      return Effect.NONE;
    }
    flows += delta.added().size() - delta.removed().size();
    if (waitingRules + delta.size() > maxWaitingRules && !waiting.isEmpty()) {
      waiting.clear();
      waitingRules = 0;
      awaitingFullSet = true;
      return Effect.ASK_FULL_SET;
    }
    waiting.add(new Pending(false, List.of(delta.added()), delta.removed(), delta.size()));
    waitingRules += delta.size();
    return Effect.NONE;
  }

  /** The agent said hello again on this stream: it wants a full set (it holds {@code appliedVersion}). */
  public Effect resync(long appliedVersion) {
    applied = Math.max(applied, appliedVersion);
    lastVersion = Math.max(lastVersion, applied);
    waiting.clear();
    waitingRules = 0;
    awaitingFullSet = true;
    return Effect.ASK_FULL_SET;
  }

  public void acked(long version) {
    applied = Math.max(applied, version);
  }

  /** The next page to write, when the stream is ready for one; empty when there is nothing to send. */
  public Optional<FlowUpdate> nextPage() {
    if (sending == null) {
      Pending next = waiting.poll();
      if (next == null) {
        return Optional.empty();
      }
      waitingRules -= next.size();
      long base = lastVersion;
      lastVersion++;
      FlowUpdate header = FlowUpdate.newBuilder().setVersion(lastVersion).setFull(next.full())
          .setBaseVersion(next.full() ? 0 : base).setController(controller).build();
      sending = new FlowPages<>(header, next.add(), next.remove(), WireFlows::of,
          paged ? FlowPages.FIRST_FLOWS : Integer.MAX_VALUE, paged ? FlowPages.FLOWS : Integer.MAX_VALUE);
    }
    FlowUpdate page = sending.next();
    if (!sending.hasNext()) {
      sending = null;
    }
    return Optional.of(page);
  }

  /** The version the agent will hold once everything given so far is sent and applied. */
  public long desiredVersion() {
    return lastVersion + waiting.size();
  }

  public long appliedVersion() {
    return applied;
  }

  /** Whether the stream has been given (or is being given) a whole set. */
  public boolean hasSet() {
    return hasSet;
  }

  /** The rules of the chassis' set as sent or to be sent. */
  public long flows() {
    return flows;
  }

  public int datapaths() {
    return datapaths;
  }

  /** Rules waiting behind the update being sent: what a stalled agent costs. */
  public long waitingRules() {
    return waitingRules;
  }

  /** Nothing waits and nothing is half sent. */
  public boolean idle() {
    return sending == null && waiting.isEmpty();
  }
}
