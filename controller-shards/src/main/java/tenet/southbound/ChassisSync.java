package tenet.southbound;

import it.unimi.dsi.fastutil.longs.LongIterator;
import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import java.util.AbstractList;
import java.util.ArrayDeque;
import java.util.ArrayList;
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
 * above the version the agent says it has applied. An agent that says which flows it holds (its
 * stream ended; southbound.proto, {@code Hello.held_cookies}) gets its first set as a delta on
 * them: after a controller dies, its agents get what changed, not their whole sets again.
 */
public final class ChassisSync {

  /** What the session must do for the sync, besides sending pages. */
  public enum Effect { NONE, ASK_FULL_SET }

  /**
   * An update to send: its rules are the compiler's shared lists; removes are cookies;
   * {@code revision}: the store revision the chassis' set is at once it is applied.
   */
  private record Pending(boolean full, long revision, List<List<OpenFlowRule>> add, List<Long> remove, long size) {}

  private final boolean paged;
  private final int maxWaitingRules;
  private final String controller;
  private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
  private long waitingRules;
  /** Deltas are dropped until the full set asked for arrives: it holds them. */
  private boolean awaitingFullSet = true;
  private FlowPages<OpenFlowRule, Long> sending;
  /** The cookies the agent holds at {@link #applied}, as it said; null once the first set went, or if it said none. */
  private LongOpenHashSet held;
  private long lastVersion;
  private long applied;
  private long flows;
  private int datapaths;
  private boolean hasSet;

  /**
   * A stream whose agent says it holds {@code appliedVersion}, whose flows have {@code heldCookies}
   * (empty when it did not say); {@code paged}: it takes updates in pages (else each is one
   * message); {@code controller}: this node, named in every update; {@code maxWaitingRules}: the
   * rules of changes that may wait behind the update being sent.
   */
  public ChassisSync(long appliedVersion, List<Long> heldCookies, boolean paged, String controller,
      int maxWaitingRules) {
    this.maxWaitingRules = maxWaitingRules;
    this.applied = appliedVersion;
    this.lastVersion = appliedVersion;
    this.held = heldSet(appliedVersion, heldCookies);
    this.paged = paged;
    this.controller = controller;
  }

  private static LongOpenHashSet heldSet(long appliedVersion, List<Long> cookies) {
    if (appliedVersion == 0 || cookies.isEmpty()) {
      return null;
    }
    LongOpenHashSet set = new LongOpenHashSet(cookies.size());
    if (cookies instanceof com.google.protobuf.Internal.LongList longs) {
      for (int i = 0; i < longs.size(); i++) {
        set.add(longs.getLong(i)); // a hello's cookies, without boxing 80,000 of them
      }
    } else {
      cookies.forEach(set::add);
    }
    return set;
  }

  /**
   * The chassis' whole set: it replaces whatever waits to be sent. To an agent that said which
   * flows it holds, and has been sent nothing since, it goes as the delta from those to it.
   * Returns the flows to send for it.
   */
  public long fullSet(FlowSource set) {
    waiting.clear();
    awaitingFullSet = false;
    hasSet = true;
    flows = set.size();
    datapaths = set.datapaths();
    Pending whole = new Pending(true, set.revision(), set.pieces(), List.of(), flows);
    Pending next = held == null ? whole : fromHeld(set);
    if (next.size() > whole.size()) {
      next = whole; // what it holds is mostly gone: the set itself is less to send
    }
    held = null;
    waiting.add(next);
    waitingRules = next.size();
    return next.size();
  }

  /**
   * The delta from the held cookies to {@code set}. Looked up, not removed: taking 80,000 cookies
   * out of a hash set one by one (each removal shifts its neighbours) was most of what a node spent
   * on each of the agents it took over from a dead one. No rule is in two pieces, so when every
   * held cookie was met, nothing held is to go; otherwise the set's cookies say what is.
   */
  private Pending fromHeld(FlowSource set) {
    List<OpenFlowRule> add = new ArrayList<>();
    int met = 0;
    for (List<OpenFlowRule> piece : set.pieces()) {
      for (OpenFlowRule r : piece) {
        if (held.contains(r.cookie())) {
          met++;
        } else {
          add.add(r);
        }
      }
    }
    List<Long> remove = new ArrayList<>();
    if (met < held.size()) {
      LongOpenHashSet inSet = new LongOpenHashSet((int) Math.min(set.size(), Integer.MAX_VALUE));
      for (List<OpenFlowRule> piece : set.pieces()) {
        for (OpenFlowRule r : piece) {
          inSet.add(r.cookie());
        }
      }
      for (LongIterator it = held.iterator(); it.hasNext(); ) {
        long c = it.nextLong();
        if (!inSet.contains(c)) {
          remove.add(c);
        }
      }
    }
    return new Pending(false, set.revision(), List.of(add), remove, add.size() + remove.size());
  }

  /** What changed after the set (or the change) told before, bringing the chassis to {@code revision}. */
  public Effect delta(long revision, ChassisDelta delta) {
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
    waiting.add(new Pending(false, revision, List.of(delta.added()), cookies(delta.removed()), delta.size()));
    waitingRules += delta.size();
    return Effect.NONE;
  }

  /** The rules' cookies, read through: a delta's removes are the compiler's list, not a copy. */
  private static List<Long> cookies(List<OpenFlowRule> rules) {
    return new AbstractList<>() {
      @Override
      public Long get(int i) {
        return rules.get(i).cookie();
      }

      @Override
      public int size() {
        return rules.size();
      }
    };
  }

  /**
   * The agent said hello again on this stream: it wants its set again (it holds
   * {@code appliedVersion}, of {@code heldCookies} when it said).
   */
  public Effect resync(long appliedVersion, List<Long> heldCookies) {
    applied = Math.max(applied, appliedVersion);
    lastVersion = Math.max(lastVersion, applied);
    held = appliedVersion == lastVersion ? heldSet(appliedVersion, heldCookies) : null;
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
          .setBaseVersion(next.full() ? 0 : base).setController(controller).setRevision(next.revision()).build();
      sending = new FlowPages<>(header, next.add(), WireFlows::of, next.remove(), WireFlows::removal,
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
