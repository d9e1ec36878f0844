package tenet.shard;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tenet.api.v1.Event;
import tenet.api.v1.WatchResponse;
import tenet.compiler.incremental.LogicalCompiler;
import tenet.compiler.input.ChassisViews;
import tenet.store.core.StoreState;
import tenet.store.core.WatchHistory;
import tenet.store.model.ResourceKey;
import tenet.store.ratis.StoreStateMachine;

/**
 * This node's watch on its store replica, and who on this node listens: the datapath and chassis
 * entities hosted here. Resumes from the revision it last read; when the history it reads from
 * has been compacted past that, it tells every listener to re-derive everything (the relist).
 * Entities read the replica itself through {@link #read}; the feed only says what to look at.
 */
public final class NodeFeed implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeFeed.class);
  private static final int BATCH = 512;
  private static final int RECENT_BATCHES = 256;

  private final StoreStateMachine replica;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "node-feed"));
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Map<ResourceKey, ActorRef<DatapathEntity.Command>> datapaths = new HashMap<>();
  private final Map<String, ActorRef<ChassisEntity.Command>> chassis = new HashMap<>();
  private final Map<String, Set<ResourceKey>> spans = new HashMap<>();
  private final Map<ResourceKey, Set<String>> chassisBySpan = new HashMap<>();
  /** What the last batches told, so a chassis whose span arrives late learns what it missed. */
  private final ArrayDeque<Told> recent = new ArrayDeque<>();
  private long cursor;

  /** The chassis views a batch of revisions {@code from..through} touched. */
  private record Told(long from, long through, Set<ResourceKey> viewDatapaths, Set<String> named, boolean everyChassis) {
    boolean touches(String chassis, Set<ResourceKey> span) {
      return everyChassis || named.contains(chassis) || span.stream().anyMatch(viewDatapaths::contains);
    }
  }

  public NodeFeed(StoreStateMachine replica) {
    this(replica, replica.history().latest());
  }

  /** Reads on from {@code cursor}: what a node that fell behind (or a test) starts from. */
  NodeFeed(StoreStateMachine replica, long cursor) {
    this.replica = replica;
    this.cursor = cursor;
    replica.addListener(r -> schedule());
  }

  /** Reads this node's replica of the desired state (possibly a little behind the leader's). */
  public <T> T read(java.util.function.Function<StoreState, T> reader) {
    return replica.read(reader);
  }

  public synchronized void listen(ResourceKey datapath, ActorRef<DatapathEntity.Command> entity) {
    datapaths.put(datapath, entity);
  }

  public synchronized void forget(ResourceKey datapath, ActorRef<DatapathEntity.Command> entity) {
    datapaths.remove(datapath, entity);
  }

  /**
   * The chassis entity hosted here listens for changes to its view over {@code span}, which it
   * read at {@code revision}. Revisions after that which this feed told before the span was
   * indexed, and which touch it, are told now: without that, a binding written between the
   * entity's read and this call would never reach it (the race that left a chassis flooding to
   * one whose ports had moved).
   */
  public synchronized void listen(String name, ActorRef<ChassisEntity.Command> entity, Set<ResourceKey> span,
      long revision) {
    chassis.put(name, entity);
    unindex(name);
    spans.put(name, Set.copyOf(span));
    for (ResourceKey dp : span) {
      chassisBySpan.computeIfAbsent(dp, k -> new HashSet<>()).add(name);
    }
    if (missed(name, span, revision)) {
      entity.tell(ChassisEntity.Recompute.INSTANCE);
    }
  }

  private boolean missed(String name, Set<ResourceKey> span, long revision) {
    if (recent.isEmpty() || recent.peekLast().through() <= revision) {
      return false;
    }
    if (recent.peekFirst().from() > revision + 1) {
      return true; // older than what is remembered: assume the worst
    }
    return recent.stream().anyMatch(t -> t.through() > revision && t.touches(name, span));
  }

  public synchronized void forget(String name, ActorRef<ChassisEntity.Command> entity) {
    if (chassis.remove(name, entity)) {
      unindex(name);
      spans.remove(name);
    }
  }

  private void unindex(String name) {
    for (ResourceKey dp : spans.getOrDefault(name, Set.of())) {
      Set<String> names = chassisBySpan.get(dp);
      if (names != null && names.remove(name) && names.isEmpty()) {
        chassisBySpan.remove(dp);
      }
    }
  }

  private void schedule() {
    if (scheduled.compareAndSet(false, true)) {
      thread.execute(this::drain);
    }
  }

  private void drain() {
    scheduled.set(false);
    try {
      List<WatchResponse> batch;
      do {
        batch = replica.history().read(cursor + 1, BATCH);
        if (!batch.isEmpty()) {
          notifyAffected(batch);
        }
      } while (batch.size() == BATCH);
    } catch (WatchHistory.CompactedException e) {
      log.info("feed: history compacted past revision {}; every entity here re-derives its state", cursor);
      notifyEveryone(replica.history().latest());
    } catch (RuntimeException e) {
      log.error("feed: reading the store's history failed; retrying on the next revision", e);
    }
  }

  private void notifyAffected(List<WatchResponse> batch) {
    Set<ResourceKey> dps = new HashSet<>();
    Set<ResourceKey> viewDps = new HashSet<>();
    Set<String> named = new HashSet<>();
    boolean[] everyChassis = {false};
    replica.read(state -> {
      for (WatchResponse response : batch) {
        for (Event event : response.getEventsList()) {
          ResourceKey key = ResourceKey.of(event.getResource());
          dps.addAll(LogicalCompiler.affectedBy(state, key, event.getResource()));
          ChassisViews.Touch touch = ChassisViews.touchedBy(state, key, event.getResource());
          viewDps.addAll(touch.datapaths());
          named.addAll(touch.chassis());
          everyChassis[0] |= touch.everyChassis();
        }
      }
      return null;
    });
    synchronized (this) {
      long through = batch.get(batch.size() - 1).getRevision();
      recent.addLast(new Told(cursor + 1, through, viewDps, named, everyChassis[0]));
      if (recent.size() > RECENT_BATCHES) {
        recent.removeFirst();
      }
      cursor = through;
      for (ResourceKey dp : dps) {
        ActorRef<DatapathEntity.Command> entity = datapaths.get(dp);
        if (entity != null) {
          entity.tell(DatapathEntity.Recompute.INSTANCE);
        }
      }
      Set<String> toTell = new HashSet<>(named);
      for (ResourceKey dp : viewDps) {
        toTell.addAll(chassisBySpan.getOrDefault(dp, Set.of()));
      }
      if (everyChassis[0]) {
        toTell.addAll(chassis.keySet());
      }
      for (String name : toTell) {
        ActorRef<ChassisEntity.Command> entity = chassis.get(name);
        if (entity != null) {
          entity.tell(ChassisEntity.Recompute.INSTANCE);
        }
      }
    }
  }

  private synchronized void notifyEveryone(long latest) {
    recent.clear();
    recent.addLast(new Told(cursor + 1, latest, Set.of(), Set.of(), true));
    cursor = latest;
    datapaths.values().forEach(e -> e.tell(DatapathEntity.Recompute.INSTANCE));
    chassis.values().forEach(e -> e.tell(ChassisEntity.Recompute.INSTANCE));
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
