package tenet.store.ratis;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.Code;
import com.google.rpc.Status;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.exceptions.ReadIndexException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import tenet.api.v1.TxnRequest;
import tenet.api.v1.TxnResponse;
import tenet.store.wire.BatchReply;
import tenet.store.wire.ReadReply;
import tenet.store.wire.ReadRequest;
import tenet.store.wire.WriteRequest;

/**
 * Writes and reads through Ratis. Futures fail with {@link StoreStatusException} carrying the
 * status the API returns: the store's own refusals, or UNAVAILABLE when no leader answered.
 */
public final class StoreClient {
  // Batches in flight at once: enough to keep the leader's pipeline busy, few enough that
  // writes arriving meanwhile gather into large batches.
  private static final int MAX_IN_FLIGHT = 4;
  private static final int MAX_BATCH = 256;

  private final RaftClient raft;
  private final StoreStateMachine local;
  private final WriteBatcher batcher;

  StoreClient(RaftClient raft, StoreStateMachine local) {
    this.raft = raft;
    this.local = local;
    this.batcher = new WriteBatcher(this::send, MAX_IN_FLIGHT, MAX_BATCH);
  }

  /** Commits one transaction; concurrent calls share Raft entries, each keeps its own answer. */
  public CompletableFuture<TxnResponse> write(TxnRequest txn) {
    return batcher.submit(txn).thenApply(reply -> {
      if (reply.hasError()) {
        throw new StoreStatusException(reply.getError());
      }
      return reply.getOk();
    });
  }

  private CompletableFuture<BatchReply> send(WriteRequest request) {
    Message message = Message.valueOf(ByteString.copyFrom(request.toByteArray()));
    return raft.async().send(message).handle((reply, failure) -> {
      Throwable cause = unwrap(failure);
      if (cause != null) {
        // Refused before the log: the leader's answers come back in the exception text.
        return BatchReplies.extract(cause.getMessage()).orElseThrow(() -> new StoreStatusException(unavailable(cause)));
      }
      if (!reply.isSuccess() && reply.getStateMachineException() != null) {
        StateMachineException sme = reply.getStateMachineException();
        String text = sme.getMessage() + (sme.getCause() == null ? "" : " " + sme.getCause().getMessage());
        return BatchReplies.extract(text).orElseThrow(() -> new StoreStatusException(Status.newBuilder()
            .setCode(Code.INTERNAL_VALUE).setMessage(sme.getMessage()).build()));
      }
      byte[] content = content(reply, null);
      return parse(() -> BatchReply.parseFrom(content));
    });
  }

  /**
   * Read index through the leader: reflects every write acknowledged before this call. Unordered:
   * the client's ordered requests share one sliding window, and a read queued there behind a
   * write the client is still retrying waited for it (a controller's sessions, whose reads gate
   * their agents' flows, waited 100 s behind one at 40,000 ports); a read index needs no place in
   * that order, it is taken when the leader gets the read.
   */
  public CompletableFuture<ReadReply> readLinearizable(ReadRequest request) {
    Message message = Message.valueOf(ByteString.copyFrom(request.toByteArray()));
    return readIndexed(message, System.nanoTime() + READ_INDEX_RETRY_FOR.toNanos()).handle((reply, failure) -> {
      byte[] content = content(reply, failure);
      return parse(() -> ReadReply.parseFrom(content));
    });
  }

  /**
   * While no peer can give a read index, a read asks again as often and as long as the Ratis
   * client retries a write whose leader is gone. A peer that knows no leader (a follower between
   * its vote and the new leader's first heartbeat, a candidate) answers "Leader is unknown", a
   * {@link ReadIndexException} the Ratis client hands back instead of retrying.
   */
  private static final Duration READ_INDEX_RETRY_FOR = StoreNode.CLIENT_RETRY_SLEEP.multipliedBy(StoreNode.CLIENT_RETRIES);
  private static final Executor READ_INDEX_RETRY =
      CompletableFuture.delayedExecutor(StoreNode.CLIENT_RETRY_SLEEP.toMillis(), TimeUnit.MILLISECONDS);

  private CompletableFuture<RaftClientReply> readIndexed(Message message, long deadline) {
    return raft.async().sendReadOnlyUnordered(message).handle((reply, failure) -> {
      Throwable cause = failure != null ? unwrap(failure) : reply.isSuccess() ? null : reply.getException();
      if (cause instanceof ReadIndexException && System.nanoTime() < deadline) {
        return CompletableFuture.runAsync(() -> {}, READ_INDEX_RETRY).thenCompose(x -> readIndexed(message, deadline));
      }
      return failure == null ? CompletableFuture.completedFuture(reply) : CompletableFuture.<RaftClientReply>failedFuture(failure);
    }).thenCompose(f -> f);
  }

  /** The cause a CompletionException wraps; anything else (null too) as it is. */
  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
  }

  /** This peer's applied state, without asking anyone: may lag behind the leader. */
  public ReadReply readLocal(ReadRequest request) {
    return local.answer(request);
  }

  private static byte[] content(RaftClientReply reply, Throwable failure) {
    if (failure != null) {
      throw new StoreStatusException(unavailable(unwrap(failure)));
    }
    if (!reply.isSuccess()) {
      throw new StoreStatusException(unavailable(reply.getException()));
    }
    return reply.getMessage().getContent().toByteArray();
  }

  private static Status unavailable(Throwable cause) {
    return Status.newBuilder().setCode(Code.UNAVAILABLE_VALUE)
        .setMessage("the store has no reachable leader: " + (cause == null ? "unknown" : cause.getMessage()))
        .build();
  }

  private interface Parser<T> {
    T parse() throws InvalidProtocolBufferException;
  }

  private static <T> T parse(Parser<T> parser) {
    try {
      return parser.parse();
    } catch (InvalidProtocolBufferException e) {
      throw new StoreStatusException(Status.newBuilder().setCode(Code.INTERNAL_VALUE)
          .setMessage("unreadable store reply: " + e.getMessage()).build());
    }
  }
}
