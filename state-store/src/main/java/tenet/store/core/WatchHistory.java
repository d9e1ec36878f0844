package tenet.store.core;

import java.util.ArrayList;
import java.util.List;
import tenet.api.v1.Event;
import tenet.api.v1.EventType;
import tenet.api.v1.WatchResponse;

/**
 * The most recent revisions' changes, kept so a watcher can start from a past revision or
 * resume after a disconnect. Bounded: older revisions are dropped and a watch from them is told
 * to relist. A peer restarted from a snapshot keeps history only from that snapshot on.
 *
 * <p>Thread-safe: the applier appends while watch streams read.
 */
public final class WatchHistory {
  // A ring: entry for revision r sits at (head + r - oldest) % ring.length.
  private final WatchResponse[] ring;
  private int head;
  private int count;
  // Revisions up to this one are known (as the state's revision), whether or not kept here.
  private long latest;

  public WatchHistory(int capacity, long startRevision) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.ring = new WatchResponse[capacity];
    this.latest = startRevision;
  }

  public static WatchResponse toWatchResponse(Plan plan) {
    WatchResponse.Builder out = WatchResponse.newBuilder().setRevision(plan.revision());
    for (Change c : plan.changes()) {
      out.addEvents(c.after() != null
          ? Event.newBuilder().setType(EventType.PUT).setResource(c.after())
          : Event.newBuilder().setType(EventType.DELETE).setResource(c.before()));
    }
    return out.build();
  }

  public synchronized void append(WatchResponse response) {
    if (response.getRevision() != latest + 1) {
      throw new IllegalStateException("revision " + response.getRevision() + " after " + latest);
    }
    if (count == ring.length) {
      ring[head] = null;
      head = (head + 1) % ring.length;
      count--;
    }
    ring[(head + count) % ring.length] = response;
    count++;
    latest = response.getRevision();
  }

  /** Forgets everything (a snapshot was installed); history restarts after {@code revision}. */
  public synchronized void reset(long revision) {
    java.util.Arrays.fill(ring, null);
    head = 0;
    count = 0;
    latest = revision;
  }

  public synchronized long latest() {
    return latest;
  }

  /** Oldest revision a watch may start from. */
  public synchronized long oldestAvailable() {
    return latest - count + 1;
  }

  /**
   * Up to {@code max} responses from {@code from} on; empty when {@code from} is beyond the
   * latest revision. Throws {@link CompactedException} when {@code from} was dropped.
   */
  public synchronized List<WatchResponse> read(long from, int max) {
    long oldest = oldestAvailable();
    if (from < oldest) {
      throw new CompactedException(new StoreError.Compacted(from, oldest));
    }
    List<WatchResponse> out = new ArrayList<>();
    for (long r = from; r <= latest && out.size() < max; r++) {
      out.add(ring[(int) ((head + (r - oldest)) % ring.length)]);
    }
    return out;
  }

  /** The watcher asked for revisions that are no longer kept. */
  public static final class CompactedException extends RuntimeException {
    private final StoreError.Compacted error;

    public CompactedException(StoreError.Compacted error) {
      super(error.message(), null, false, false);
      this.error = error;
    }

    public StoreError.Compacted error() {
      return error;
    }
  }
}
