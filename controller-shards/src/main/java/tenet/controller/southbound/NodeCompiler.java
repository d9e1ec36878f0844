package tenet.controller.southbound;

import tenet.southbound.FlowSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tenet.compiler.incremental.ChassisDelta;
import tenet.compiler.incremental.IncrementalSpecializer;
import tenet.store.core.Change;
import tenet.store.core.Plan;
import tenet.store.core.StoreState;
import tenet.store.ratis.CommitListener;
import tenet.store.ratis.StoreStateMachine;

/**
 * This controller node's compiler: one {@link IncrementalSpecializer} over the node's replica of
 * the store, kept current commit by commit on a thread of its own, telling the agents this node
 * serves their chassis' whole set and then each change. Every node computes every datapath (each
 * holds the whole desired state), so an agent is served wherever its stream lands, at once, and a
 * dead node costs its agents a reconnect, not a wait for the cluster to move work (docs/design.md).
 *
 * <p>The replica tells each commit under its write lock ({@link CommitListener}); the compiler
 * commits the same plans, in the same order, to a copy of the state of its own and compiles
 * against that, so however long a batch takes, the replica never waits for it: a compiler holding
 * the replica's lock stalls Raft's apply, and behind it every read and the leader's heartbeats
 * (at 40,000 ports, applies of 2-30 s cost the store its leader again and again). Past
 * {@link #MAX_WAITING_CHANGES} untaken changes (a compiler far behind a bulk load), or when the
 * replica's state is replaced by a snapshot, it starts over: a full compile of a new copy of the
 * state, then every subscriber gets its whole set again.
 */
public final class NodeCompiler implements CommitListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeCompiler.class);
  static final int MAX_WAITING_CHANGES = 2_000_000;
  /**
   * Host slices made per step while the compiler has nothing else to do (each ~20-50 µs): the
   * chassis of other nodes get theirs ready, for when this node takes over their agents.
   */
  static final int IDLE_SLICES = 64;

  /** Where a chassis' flows go: called on the compiler's thread, so it must only hand them on. */
  public interface Subscriber {
    void fullSet(FlowSource set);

    void delta(long revision, ChassisDelta delta);
  }

  private record Subscription(Subscriber subscriber, long minRevision, boolean told) {}

  private sealed interface Request {}

  private record Subscribe(String chassis, Subscriber subscriber, long minRevision) implements Request {}

  private record Unsubscribe(String chassis, Subscriber subscriber) implements Request {}

  private record Resend(String chassis, Subscriber subscriber) implements Request {}

  private final StoreStateMachine replica;
  private final Thread thread;
  // Guarded by this: what the replica and the sessions told since the compiler last looked.
  private List<Plan> plans = new ArrayList<>();
  private long waitingChanges;
  private boolean startOver = true;
  private List<Request> requests = new ArrayList<>();
  private boolean closed;
  // The compiler's thread alone:
  private StoreState state;
  private IncrementalSpecializer engine;
  private long revision = -1;
  private final Map<String, Subscription> subscriptions = new HashMap<>();

  public NodeCompiler(StoreStateMachine replica) {
    this.replica = replica;
    replica.addCommitListener(this);
    this.thread = Thread.ofPlatform().name("node-compiler").daemon().start(this::run);
  }

  /**
   * Sends {@code subscriber} the chassis' whole set, once this node's compiler has reached
   * {@code minRevision} (the leader's when the agent's stream began: a replica behind it would
   * take back flows the agent was given elsewhere) and the chassis is registered; then each change.
   */
  public synchronized void subscribe(String chassis, Subscriber subscriber, long minRevision) {
    request(new Subscribe(chassis, subscriber, minRevision));
  }

  public synchronized void unsubscribe(String chassis, Subscriber subscriber) {
    request(new Unsubscribe(chassis, subscriber));
  }

  /** The subscriber wants the whole set again (it dropped changes, or its agent asked). */
  public synchronized void resend(String chassis, Subscriber subscriber) {
    request(new Resend(chassis, subscriber));
  }

  private void request(Request r) {
    requests.add(r);
    notifyAll();
  }

  @Override
  public synchronized void committed(Plan plan) {
    if (startOver) {
      return; // the full compile to come reads the state as it will be
    }
    waitingChanges += plan.changes().size();
    if (waitingChanges > MAX_WAITING_CHANGES) {
      log.warn("compiler: {} changes behind; compiling everything again", waitingChanges);
      startOver = true;
      plans = new ArrayList<>();
      waitingChanges = 0;
    } else {
      plans.add(plan);
    }
    notifyAll();
  }

  @Override
  public synchronized void replaced(long revision) {
    startOver = true;
    plans = new ArrayList<>();
    waitingChanges = 0;
    notifyAll();
  }

  private void run() {
    while (true) {
      List<Request> taken;
      boolean full;
      if (idle() && engine != null && makeHostSlices()) {
        continue; // a few at a time between looks for work (off the lock: commits never wait)
      }
      synchronized (this) {
        while (idle()) {
          try {
            wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closed) {
          return;
        }
        taken = requests;
        requests = new ArrayList<>();
        full = startOver;
      }
      try {
        if (full) {
          compileAll();
        } else {
          applyWaiting();
        }
        taken.forEach(this::handle);
        tellWhoCanBeTold();
      } catch (RuntimeException e) {
        // A bug in the compiler must not leave agents on a half-updated engine: start over.
        log.error("compiler: failed; compiling everything again", e);
        synchronized (this) {
          startOver = true;
          requests.addAll(0, taken);
        }
        try {
          Thread.sleep(1000); // not a hot loop if it fails again
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  /** Whether some host slices were made ({@link #IDLE_SLICES} at most); a failure starts over. */
  private boolean makeHostSlices() {
    try {
      return engine.makeHostSlices(IDLE_SLICES) > 0;
    } catch (RuntimeException e) {
      log.error("compiler: failed making host slices; compiling everything again", e);
      synchronized (this) {
        startOver = true;
      }
      return false;
    }
  }

  private synchronized boolean idle() {
    return !closed && requests.isEmpty() && plans.isEmpty() && !startOver;
  }

  /** The whole state, copied under the read lock and compiled without it. */
  private void compileAll() {
    long started = System.nanoTime();
    state = replica.read(live -> {
      synchronized (this) {
        // Commits wait for the read lock: what is queued now is in the copy.
        startOver = false;
        plans = new ArrayList<>();
        waitingChanges = 0;
      }
      return StoreState.of(live.revision(), new ArrayList<>(live.objects().values()));
    });
    engine = IncrementalSpecializer.full(state);
    revision = state.revision();
    log.info("compiler: everything compiled at revision {} in {} ms ({} chassis)", revision,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), engine.chassis().size());
    subscriptions.replaceAll((chassis, s) -> new Subscription(s.subscriber(), s.minRevision(), false));
  }

  /** The commits told since, committed to the compiler's copy and compiled against it. */
  private void applyWaiting() {
    List<Plan> taken;
    synchronized (this) {
      taken = plans;
      plans = new ArrayList<>();
      waitingChanges = 0;
    }
    if (taken.isEmpty()) {
      return;
    }
    long started = System.nanoTime();
    List<Change> changes = new ArrayList<>();
    for (Plan plan : taken) {
      state.commit(plan);
      changes.addAll(plan.changes());
    }
    Map<String, ChassisDelta> deltas = engine.apply(state, changes, chassis -> {
      Subscription s = subscriptions.get(chassis);
      return s != null && s.told();
    });
    revision = state.revision();
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    if (ms >= 1000) {
      log.info("compiler: {} changes up to revision {} took {} ms, {} chassis told", changes.size(), revision, ms,
          deltas.size());
    } else {
      log.debug("compiler: {} changes up to revision {} in {} ms, {} chassis told", changes.size(), revision, ms,
          deltas.size());
    }
    deltas.forEach((chassis, delta) -> subscriptions.get(chassis).subscriber().delta(revision, delta));
  }

  private void handle(Request r) {
    switch (r) {
      case Subscribe s -> subscriptions.put(s.chassis(), new Subscription(s.subscriber(), s.minRevision(), false));
      case Unsubscribe u -> {
        Subscription s = subscriptions.get(u.chassis());
        if (s != null && s.subscriber() == u.subscriber()) {
          subscriptions.remove(u.chassis());
        }
      }
      case Resend rs -> {
        Subscription s = subscriptions.get(rs.chassis());
        if (s != null && s.subscriber() == rs.subscriber()) {
          subscriptions.put(rs.chassis(), new Subscription(s.subscriber(), s.minRevision(), false));
        }
      }
    }
  }

  /** Whole sets to the subscribers not told one yet whose chassis is registered and revision reached. */
  private void tellWhoCanBeTold() {
    subscriptions.replaceAll((chassis, s) -> {
      if (s.told() || revision < s.minRevision() || !engine.isRegistered(chassis)) {
        return s;
      }
      s.subscriber().fullSet(new FlowSource(revision, engine.pieces(chassis)));
      return new Subscription(s.subscriber(), s.minRevision(), true);
    });
  }

  /** The revision the compiler has reached (for tests and the operator). */
  public long revision() {
    return revision;
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
