package tenet.store.ratis;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import tenet.store.core.Plan;
import tenet.store.wire.ReadRequest;

/**
 * Tells the followers of each commit at once. Ratis gives a follower the leader's commit index
 * with the next append or heartbeat (every {@code election-timeout-min / 2}, 75 ms by default);
 * until then the follower holds the entry but does not apply it, and a controller serving an
 * agent's stream from a follower compiled each change 50-110 ms after the leader (port add:
 * 107 ms to the port's own chassis through the leader, 295 ms through a follower, at 10,000
 * ports). Ratis' own remedy, a log entry after each commit ({@code log-metadata}), is off: it
 * doubled the log ({@link StoreNode}). A read index does it instead: the leader confirms its
 * leadership with a round of heartbeats, and heartbeats carry the commit index. So the leader asks
 * itself for one after each commit, one at a time; commits made while one is out go with the next.
 */
final class CommitNudge implements CommitListener {
  private static final Message NUDGE = Message.valueOf(ByteString.copyFrom(ReadRequest.getDefaultInstance().toByteArray()));

  private final BooleanSupplier leader;
  private final Supplier<CompletableFuture<?>> readIndex;
  private final AtomicBoolean out = new AtomicBoolean();
  private final AtomicBoolean again = new AtomicBoolean();

  /** {@code readIndex} starts a linearizable read (asynchronously) and completes with it. */
  CommitNudge(BooleanSupplier leader, Supplier<CompletableFuture<?>> readIndex) {
    this.leader = leader;
    this.readIndex = readIndex;
  }

  /**
   * Through {@code client}, to {@code self}: an empty read, answered once the read index is
   * confirmed. The client must be this one's alone (see StoreNode).
   */
  static CommitNudge of(BooleanSupplier leader, RaftClient client, RaftPeerId self) {
    return new CommitNudge(leader, () -> client.async().sendReadOnlyUnordered(NUDGE, self));
  }

  @Override
  public void committed(Plan plan) {
    if (leader.getAsBoolean()) {
      nudge();
    }
  }

  @Override
  public void replaced(long revision) {
    // a follower installing the leader's snapshot: nothing to tell
  }

  private void nudge() {
    if (!out.compareAndSet(false, true)) {
      again.set(true);
      return;
    }
    // Asynchronous: the state machine tells commits under its write lock and must not wait.
    readIndex.get().whenComplete((reply, failure) -> {
      out.set(false);
      if (again.getAndSet(false)) {
        nudge();
      }
    });
  }
}
