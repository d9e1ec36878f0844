package tenet.store.ratis;

import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import tenet.api.v1.TxnRequest;
import tenet.store.wire.BatchReply;
import tenet.store.wire.WriteRequest;

/**
 * Gathers the transactions of concurrent callers into shared Raft entries. At most
 * {@code maxInFlight} batches are outstanding; whatever arrives meanwhile waits and leaves as one
 * batch when a slot frees. A lone caller therefore waits for nothing, and under load the cost of
 * an entry (replication, an fsync) is shared by many writes. One Raft entry per request made
 * Ratis leaders step down under thousands of concurrent writes (RATIS-1418).
 */
final class WriteBatcher {
  private record Pending(TxnRequest txn, CompletableFuture<tenet.store.wire.WriteReply> reply) {}

  private final Function<WriteRequest, CompletableFuture<BatchReply>> sender;
  private final int maxInFlight;
  private final int maxBatch;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private int inFlight;

  WriteBatcher(Function<WriteRequest, CompletableFuture<BatchReply>> sender, int maxInFlight, int maxBatch) {
    this.sender = sender;
    this.maxInFlight = maxInFlight;
    this.maxBatch = maxBatch;
  }

  CompletableFuture<tenet.store.wire.WriteReply> submit(TxnRequest txn) {
    CompletableFuture<tenet.store.wire.WriteReply> reply = new CompletableFuture<>();
    synchronized (this) {
      queue.add(new Pending(txn, reply));
    }
    sendWhatFits();
    return reply;
  }

  private void sendWhatFits() {
    while (true) {
      List<Pending> batch = new ArrayList<>();
      synchronized (this) {
        if (inFlight >= maxInFlight || queue.isEmpty()) {
          return;
        }
        while (!queue.isEmpty() && batch.size() < maxBatch) {
          batch.add(queue.poll());
        }
        inFlight++;
      }
      WriteRequest.Builder request = WriteRequest.newBuilder();
      batch.forEach(p -> request.addTxns(p.txn()));
      CompletableFuture<BatchReply> sent;
      try {
        sent = sender.apply(request.build());
      } catch (RuntimeException e) {
        sent = CompletableFuture.failedFuture(e);
      }
      sent.whenComplete((reply, failure) -> {
        synchronized (this) {
          inFlight--;
        }
        for (int i = 0; i < batch.size(); i++) {
          if (failure != null) {
            batch.get(i).reply().completeExceptionally(failure);
          } else if (i < reply.getRepliesCount()) {
            batch.get(i).reply().complete(reply.getReplies(i));
          } else {
            batch.get(i).reply().completeExceptionally(new IllegalStateException(
                "store answered " + reply.getRepliesCount() + " of " + batch.size() + " writes"));
          }
        }
        sendWhatFits();
      });
    }
  }
}
