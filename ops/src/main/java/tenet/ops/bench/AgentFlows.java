package tenet.ops.bench;

import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import it.unimi.dsi.fastutil.longs.LongCollection;
import tenet.agent.flows.CookieSet;
import tenet.agent.v1.Flow;
import tenet.agent.v1.FlowUpdate;

/**
 * The flow set of a simulated agent, which has no OVS: the cookies of the set it applied last,
 * their version, and the {@link FlowMarks} of those flows; and the update whose pages are
 * arriving. It takes updates by the real agent's rules (hypervisor-agent: FlowApplier, FlowSet):
 * a full set replaces everything held; a delta applies only on the version held, else it is
 * refused (and the agent asks for a full set with a new hello); pages continue one update (same
 * version, kind and base) up to the page without {@code more}, and another update beginning
 * before that is refused; an update is applied, and acked, with its last page. What the real
 * agent checks on the rules' text (two different flows under one cookie) it cannot, holding
 * none. Pure: no threads, no I/O.
 */
final class AgentFlows {
  /** What a page did. */
  sealed interface Outcome permits Incomplete, Applied, Refused {}

  /** More pages of this update are to come. */
  record Incomplete() implements Outcome {}

  /** The update is whole and applied: to be acked. */
  record Applied(long version, boolean full) implements Outcome {}

  /** The update cannot apply; what was held is held still. A full set puts it right. */
  record Refused(String why) implements Outcome {}

  private static final Incomplete INCOMPLETE = new Incomplete();

  private CookieSet cookies = new CookieSet();
  /** The mark of each held flow that has one, by cookie. */
  private Long2LongOpenHashMap marks = new Long2LongOpenHashMap();
  /** How many held flows carry each mark. */
  private final Long2IntOpenHashMap markCount = new Long2IntOpenHashMap();
  private long version;
  /** The store revision of the set held (FlowUpdate.revision). */
  private long revision;
  /** The update whose pages are arriving; null between updates. */
  private Arrival arrival;

  /** Takes the next message of the stream. */
  Outcome page(FlowUpdate page) {
    if (arrival != null && !arrival.continuedBy(page)) {
      String why = "version " + page.getVersion() + " began before the last page of version " + arrival.version;
      arrival = null;
      return new Refused(why);
    }
    if (arrival == null) {
      arrival = new Arrival(page, cookies.size());
    }
    arrival.take(page);
    if (page.getMore()) {
      return INCOMPLETE;
    }
    Arrival done = arrival;
    arrival = null;
    return done.full ? replace(done) : applyDelta(done);
  }

  /** The stream that brought the pages so far ended: their update will not be completed. */
  void abandon() {
    arrival = null;
  }

  /** The version of the set held; 0 before the first. */
  long version() {
    return version;
  }

  /** Each cookie held, when a set is held (its stream ended: no update is half arrived). */
  void heldCookies(java.util.function.LongConsumer out) {
    if (version > 0 && arrival == null) {
      cookies.forEach(out::accept);
    }
  }

  /** The store revision of the cookies {@link #heldCookies} gives; 0 when it gives none. */
  long heldRevision() {
    return version > 0 && arrival == null ? revision : 0;
  }

  /** Flows held. */
  int size() {
    return cookies.size();
  }

  boolean holds(long mark) {
    return markCount.get(mark) > 0;
  }

  boolean holdsAll(LongCollection wanted) {
    for (var it = wanted.iterator(); it.hasNext(); ) {
      if (!holds(it.nextLong())) {
        return false;
      }
    }
    return true;
  }

  private Outcome replace(Arrival done) {
    cookies = done.fullCookies;
    marks = done.fullMarks;
    markCount.clear();
    for (var it = marks.values().iterator(); it.hasNext(); ) {
      markCount.addTo(it.nextLong(), 1);
    }
    version = done.version;
    revision = done.revision;
    return new Applied(version, true);
  }

  private Outcome applyDelta(Arrival done) {
    if (done.base != version) {
      return new Refused("delta on version " + done.base + " while holding " + version);
    }
    for (int i = 0; i < done.removes.size(); i++) {
      long cookie = done.removes.getLong(i);
      if (cookies.remove(cookie) && marks.containsKey(cookie)) {
        forget(marks.remove(cookie));
      }
    }
    for (int i = 0; i < done.addCookies.size(); i++) {
      long cookie = done.addCookies.getLong(i);
      long mark = done.addMarks.getLong(i);
      if (cookies.add(cookie) && mark != FlowMarks.NONE) {
        marks.put(cookie, mark);
        markCount.addTo(mark, 1);
      }
    }
    version = done.version;
    revision = done.revision;
    return new Applied(version, false);
  }

  private void forget(long mark) {
    if (markCount.addTo(mark, -1) <= 1) {
      markCount.remove(mark);
    }
  }

  /** One update's pages so far: a full set's cookies and marks, or a delta's changes. */
  private static final class Arrival {
    final long version;
    final boolean full;
    final long base;
    final long revision;
    /** Full set only. */
    CookieSet fullCookies;
    Long2LongOpenHashMap fullMarks;
    /** Delta only. */
    LongArrayList removes;
    LongArrayList addCookies;
    LongArrayList addMarks;

    Arrival(FlowUpdate head, int expected) {
      version = head.getVersion();
      full = head.getFull();
      base = head.getBaseVersion();
      revision = head.getRevision();
      if (full) {
        fullCookies = new CookieSet(expected);
        fullMarks = new Long2LongOpenHashMap();
      } else {
        removes = new LongArrayList();
        addCookies = new LongArrayList();
        addMarks = new LongArrayList();
      }
    }

    boolean continuedBy(FlowUpdate page) {
      return page.getVersion() == version && page.getFull() == full && page.getBaseVersion() == base;
    }

    void take(FlowUpdate page) {
      for (Flow f : page.getAddList()) {
        long mark = FlowMarks.of(f);
        if (full) {
          fullCookies.add(f.getCookie());
          if (mark != FlowMarks.NONE) {
            fullMarks.put(f.getCookie(), mark);
          }
        } else {
          addCookies.add(f.getCookie());
          addMarks.add(mark);
        }
      }
      if (!full) {
        for (Flow f : page.getRemoveList()) {
          removes.add(f.getCookie());
        }
      }
    }
  }
}
