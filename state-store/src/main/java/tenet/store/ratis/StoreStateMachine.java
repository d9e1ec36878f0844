package tenet.store.ratis;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tenet.api.v1.WatchResponse;
import tenet.store.core.Plan;
import tenet.store.core.PlanResult;
import tenet.store.core.Queries;
import tenet.store.core.StoreState;
import tenet.store.core.TxnPlanner;
import tenet.store.core.WatchHistory;
import tenet.store.snapshot.SnapshotCodec;
import tenet.store.status.StatusCodec;
import tenet.api.v1.TxnRequest;
import tenet.store.wire.BatchReply;
import tenet.store.wire.LogEntry;
import tenet.store.wire.LoggedTxn;
import tenet.store.wire.ReadReply;
import tenet.store.wire.ReadRequest;
import tenet.store.wire.StoreSnapshot;
import tenet.store.wire.WriteReply;
import tenet.store.wire.WriteRequest;

/**
 * The Ratis state machine over {@link StoreState}. The leader checks each write in
 * {@link #startTransaction} (so a bad request never reaches the log) and stamps it with the time
 * and fresh ids; every peer then applies the stamped entry with the same pure planner, so all
 * reach the same state. Application errors (a conflict that arose between check and apply) are
 * replies, never exceptions: an exception here would halt the peer.
 */
public final class StoreStateMachine extends BaseStateMachine {
  private static final Logger log = LoggerFactory.getLogger(StoreStateMachine.class);

  private static final org.apache.ratis.statemachine.SnapshotRetentionPolicy KEEP_TWO_SNAPSHOTS =
      new org.apache.ratis.statemachine.SnapshotRetentionPolicy() {
        @Override
        public int getNumSnapshotsRetained() {
          return 2;
        }
      };

  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final WatchHistory history;
  private final Clock clock;
  private final List<Consumer<WatchResponse>> listeners = new CopyOnWriteArrayList<>();
  private final List<CommitListener> commitListeners = new CopyOnWriteArrayList<>();
  private StoreState state = new StoreState();

  public StoreStateMachine(int watchHistory, Clock clock) {
    this.history = new WatchHistory(watchHistory, 0);
    this.clock = clock;
  }

  public WatchHistory history() {
    return history;
  }

  /** Called on the applier thread after each committed revision, in revision order. */
  public void addListener(Consumer<WatchResponse> listener) {
    listeners.add(listener);
  }

  /** Told of each commit under the write lock (see {@link CommitListener}). */
  public void addCommitListener(CommitListener listener) {
    commitListeners.add(listener);
  }

  // Logged with the process' uptime: the first one after a restart is when this peer can name its
  // leader again (what ClusterStatus answers), a phase of the controller's start-up.
  @Override
  public void notifyLeaderChanged(RaftGroupMemberId member, RaftPeerId leader) {
    log.info("store leader: {} ({})", leader == null ? "none" : leader, ProcessUptime.describe());
  }

  /** Reads the local state under the read lock: the STALE consistency path. */
  public <T> T read(Function<StoreState, T> reader) {
    lock.readLock().lock();
    try {
      return reader.apply(state);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
    super.initialize(server, groupId, raftStorage);
    storage.init(raftStorage);
    getLifeCycle().startAndTransition(() -> load(storage.loadLatestSnapshot()), IOException.class);
  }

  // Ratis pauses the state machine, installs a snapshot from the leader, then reinitializes;
  // it checks the lifecycle states in between.
  @Override
  public void pause() {
    if (getLifeCycleState() == LifeCycle.State.RUNNING) {
      getLifeCycle().transition(LifeCycle.State.PAUSING);
      getLifeCycle().transition(LifeCycle.State.PAUSED);
    }
  }

  @Override
  public void reinitialize() throws IOException {
    load(storage.loadLatestSnapshot());
    if (getLifeCycleState() == LifeCycle.State.PAUSED) {
      getLifeCycle().transition(LifeCycle.State.STARTING);
      getLifeCycle().transition(LifeCycle.State.RUNNING);
    }
  }

  private void load(SingleFileSnapshotInfo snapshot) throws IOException {
    latestSnapshot = snapshot;
    if (snapshot == null) {
      return;
    }
    File file = snapshot.getFile().getPath().toFile();
    long started = System.nanoTime();
    StoreSnapshot decoded;
    try {
      decoded = SnapshotCodec.decode(Files.readAllBytes(file.toPath()));
    } catch (SnapshotCodec.CorruptSnapshotException e) {
      throw new IOException("cannot load snapshot " + file + ": " + e.getMessage(), e);
    }
    lock.writeLock().lock();
    try {
      state = SnapshotCodec.toState(decoded);
      history.reset(state.revision());
      for (CommitListener listener : commitListeners) {
        listener.replaced(state.revision());
      }
      updateLastAppliedTermIndex(snapshot.getTerm(), snapshot.getIndex());
    } finally {
      lock.writeLock().unlock();
    }
    log.info("loaded snapshot {} at revision {} ({} objects) in {} ms", file.getName(), decoded.getRevision(),
        decoded.getResourcesCount(), (System.nanoTime() - started) / 1_000_000);
  }

  // Ratis asks for the latest snapshot on every append; the storage answers "none" by listing
  // its directory each time, so the answer is kept here and changed only when a snapshot is
  // taken or installed.
  private volatile SingleFileSnapshotInfo latestSnapshot;

  @Override
  public SingleFileSnapshotInfo getLatestSnapshot() {
    return latestSnapshot;
  }

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return storage;
  }

  @Override
  public long takeSnapshot() throws IOException {
    StoreSnapshot snapshot;
    TermIndex last;
    lock.readLock().lock();
    try {
      last = getLastAppliedTermIndex();
      snapshot = SnapshotCodec.fromState(state, last.getTerm(), last.getIndex());
    } finally {
      lock.readLock().unlock();
    }
    File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
    File tmp = new File(file.getParentFile(), file.getName() + ".tmp");
    Files.write(tmp.toPath(), SnapshotCodec.encode(snapshot));
    // fsync before rename: a snapshot Ratis believes taken lets it purge the log it replaces.
    try (var channel = java.nio.channels.FileChannel.open(tmp.toPath(), java.nio.file.StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    Files.move(tmp.toPath(), file.toPath(), StandardCopyOption.ATOMIC_MOVE);
    var md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
    latestSnapshot = storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), last));
    storage.cleanupOldSnapshots(KEEP_TWO_SNAPSHOTS);
    log.info("took snapshot at index {} revision {}", last.getIndex(), snapshot.getRevision());
    return last.getIndex();
  }

  /**
   * Checks each transaction of the batch against the applied state; only those that pass are
   * logged. The refusals stay with the leader (the context is not logged) and are merged into
   * the reply when the entry is applied.
   */
  @Override
  public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
    TransactionContext.Builder tx = TransactionContext.newBuilder().setStateMachine(this).setClientRequest(request);
    WriteRequest write;
    try {
      write = WriteRequest.parseFrom(request.getMessage().getContent().toByteArray());
    } catch (InvalidProtocolBufferException e) {
      TransactionContext refused = tx.build();
      refused.setException(new IllegalArgumentException("malformed write request: " + e.getMessage()));
      return refused;
    }
    Instant now = clock.instant();
    Timestamp time = Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
    LogEntry.Builder entry = LogEntry.newBuilder().setTime(time).setSlots(write.getTxnsCount());
    Map<Integer, WriteReply> refusals = new HashMap<>();
    Checked checked;
    lock.readLock().lock();
    try {
      Plan first = null;
      for (int slot = 0; slot < write.getTxnsCount(); slot++) {
        TxnRequest txn = write.getTxns(slot);
        List<String> ids = new ArrayList<>();
        for (int i = TxnPlanner.createCount(txn); i > 0; i--) {
          ids.add(UUID.randomUUID().toString());
        }
        switch (TxnPlanner.plan(state, txn, time, ids)) {
          case PlanResult.Rejected rejected ->
              refusals.put(slot, WriteReply.newBuilder().setError(StatusCodec.toStatus(rejected.error())).build());
          case PlanResult.Accepted accepted -> {
            if (entry.getTxnsCount() == 0) {
              first = accepted.plan();
            }
            entry.addTxns(LoggedTxn.newBuilder().setTxn(txn).addAllNewIds(ids).setSlot(slot));
          }
        }
      }
      checked = new Checked(refusals, state, state.revision(), first);
    } finally {
      lock.readLock().unlock();
    }
    if (entry.getTxnsCount() == 0) {
      // Nothing to log: answer now, through the exception text Ratis hands back to the client.
      TransactionContext refused = tx.build();
      refused.setException(new IllegalArgumentException(BatchReplies.embed(BatchReplies.merge(
          write.getTxnsCount(), refusals, Map.of()))));
      return refused;
    }
    return tx.setLogData(ByteString.copyFrom(entry.build().toByteArray())).setStateMachineContext(checked).build();
  }

  /**
   * What the leader's check of a batch leaves for its apply: the refusals, and the plan of the
   * first transaction it logged with the state and revision it was made from. Applied to that
   * same state (nothing else applied in between, the usual case for a lone write), it is the
   * plan the apply would make again (the time and new ids are the logged ones): the leader's two
   * plans of each write were 40% of its CPU while 400 agents registered their ports.
   */
  private record Checked(Map<Integer, WriteReply> refusals, StoreState state, long revision, Plan first) {
    /** The first logged transaction's plan, if {@code now} is still the state it was made from. */
    Plan firstFor(StoreState now) {
      return first != null && now == state && now.revision() == revision ? first : null;
    }
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    var logEntry = trx.getLogEntry();
    TermIndex termIndex = TermIndex.valueOf(logEntry);
    LogEntry entry;
    try {
      entry = LogEntry.parseFrom(logEntry.getStateMachineLogEntry().getLogData().toByteArray());
    } catch (InvalidProtocolBufferException e) {
      // Written by a leader running this same code: unreadable means corruption, never pass it silently.
      return CompletableFuture.failedFuture(new IllegalStateException("unreadable log entry " + termIndex, e));
    }
    Map<Integer, WriteReply> applied = new HashMap<>();
    List<WatchResponse> published = new ArrayList<>();
    // The leader that checked the batch still holds its refusals and its first plan; a peer that
    // became leader since has none, and answers those slots "retry" (they were refused, so nothing is lost).
    Checked checked = trx.getStateMachineContext() instanceof Checked c ? c : null;
    lock.writeLock().lock();
    try {
      for (int i = 0; i < entry.getTxnsCount(); i++) {
        LoggedTxn logged = entry.getTxns(i);
        Plan planned = i == 0 && checked != null ? checked.firstFor(state) : null;
        PlanResult result = planned != null ? new PlanResult.Accepted(planned)
            : TxnPlanner.plan(state, logged.getTxn(), entry.getTime(), logged.getNewIdsList());
        switch (result) {
          case PlanResult.Accepted accepted -> {
            state.commit(accepted.plan());
            for (CommitListener listener : commitListeners) {
              listener.committed(accepted.plan());
            }
            WatchResponse change = WatchHistory.toWatchResponse(accepted.plan());
            history.append(change);
            published.add(change);
            applied.put(logged.getSlot(), WriteReply.newBuilder().setOk(accepted.plan().response()).build());
          }
          case PlanResult.Rejected rejected -> applied.put(logged.getSlot(),
              WriteReply.newBuilder().setError(StatusCodec.toStatus(rejected.error())).build());
        }
      }
      updateLastAppliedTermIndex(termIndex.getTerm(), termIndex.getIndex());
    } finally {
      lock.writeLock().unlock();
    }
    for (WatchResponse change : published) {
      for (Consumer<WatchResponse> listener : listeners) {
        listener.accept(change);
      }
    }
    Map<Integer, WriteReply> refusals = checked != null ? checked.refusals() : Map.of();
    BatchReply reply = BatchReplies.merge(entry.getSlots(), refusals, applied);
    return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(reply.toByteArray())));
  }

  @Override
  public CompletableFuture<Message> query(Message request) {
    ReadReply reply;
    try {
      reply = answer(ReadRequest.parseFrom(request.getContent().toByteArray()));
    } catch (InvalidProtocolBufferException e) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("malformed read request", e));
    }
    return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(reply.toByteArray())));
  }

  /** Answers a read from the local state (linearizable when reached through Ratis' read index). */
  public ReadReply answer(ReadRequest request) {
    return read(s -> switch (request.getReadCase()) {
      case GET -> switch (Queries.get(s, request.getGet().getRef())) {
        case Queries.Answer.Found<tenet.api.v1.Resource> f -> ReadReply.newBuilder().setResource(f.value()).build();
        case Queries.Answer.Refused<tenet.api.v1.Resource> r -> ReadReply.newBuilder().setError(StatusCodec.toStatus(r.error())).build();
      };
      case LIST -> switch (Queries.list(s, request.getList())) {
        case Queries.Answer.Found<tenet.api.v1.ListResponse> f -> ReadReply.newBuilder().setList(f.value()).build();
        case Queries.Answer.Refused<tenet.api.v1.ListResponse> r -> ReadReply.newBuilder().setError(StatusCodec.toStatus(r.error())).build();
      };
      case READ_NOT_SET -> ReadReply.newBuilder().setError(com.google.rpc.Status.newBuilder()
          .setCode(com.google.rpc.Code.INVALID_ARGUMENT_VALUE).setMessage("empty read request")).build();
    });
  }

  /** Canonical bytes of the current state, for comparing peers and restarts. */
  public byte[] stateBytes() {
    return read(s -> SnapshotCodec.fromState(s, 0, 0).toByteArray());
  }

  public long revision() {
    return read(StoreState::revision);
  }
}
