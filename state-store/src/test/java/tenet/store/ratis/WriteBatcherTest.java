package tenet.store.ratis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import tenet.api.v1.TxnRequest;
import tenet.api.v1.TxnResponse;
import tenet.store.wire.BatchReply;
import tenet.store.wire.WriteReply;
import tenet.store.wire.WriteRequest;

class WriteBatcherTest {
  private final List<WriteRequest> sent = new ArrayList<>();
  private final List<CompletableFuture<BatchReply>> answers = new ArrayList<>();

  private CompletableFuture<BatchReply> send(WriteRequest request) {
    sent.add(request);
    CompletableFuture<BatchReply> answer = new CompletableFuture<>();
    answers.add(answer);
    return answer;
  }

  private static TxnRequest txn(int n) {
    return TxnRequest.newBuilder().addOps(tenet.store.core.Fixtures.create(tenet.store.core.Fixtures.tenant("t" + n))).build();
  }

  private static BatchReply echo(WriteRequest request, long firstRevision) {
    BatchReply.Builder b = BatchReply.newBuilder();
    for (int i = 0; i < request.getTxnsCount(); i++) {
      b.addReplies(WriteReply.newBuilder().setOk(TxnResponse.newBuilder().setRevision(firstRevision + i)));
    }
    return b.build();
  }

  @Test
  void aLoneWriteGoesAtOnceAndWritesArrivingMeanwhileShareTheNextEntries() {
    WriteBatcher batcher = new WriteBatcher(this::send, 2, 3);
    List<CompletableFuture<WriteReply>> replies = new ArrayList<>();
    replies.add(batcher.submit(txn(0)));
    assertThat(sent).hasSize(1);
    replies.add(batcher.submit(txn(1)));
    assertThat(sent).as("a second batch may be in flight").hasSize(2);
    for (int i = 2; i < 7; i++) {
      replies.add(batcher.submit(txn(i)));
    }
    assertThat(sent).as("at most two in flight").hasSize(2);

    answers.get(0).complete(echo(sent.get(0), 1));
    assertThat(sent).hasSize(3);
    assertThat(sent.get(2).getTxnsCount()).as("at most three per batch").isEqualTo(3);
    answers.get(1).complete(echo(sent.get(1), 2));
    assertThat(sent).hasSize(4);
    assertThat(sent.get(3).getTxnsCount()).isEqualTo(2);
    answers.get(2).complete(echo(sent.get(2), 3));
    answers.get(3).complete(echo(sent.get(3), 6));

    for (int i = 0; i < 7; i++) {
      assertThat(replies.get(i).join().getOk().getRevision()).as("write %d", i).isEqualTo(i + 1L);
    }
    assertThat(sent.stream().flatMap(r -> r.getTxnsList().stream()).toList())
        .as("every write sent once, in order").containsExactly(
            txn(0), txn(1), txn(2), txn(3), txn(4), txn(5), txn(6));
  }

  @Test
  void aFailedBatchFailsEachOfItsWritesAndTheNextBatchStillGoes() {
    WriteBatcher batcher = new WriteBatcher(this::send, 1, 10);
    var first = batcher.submit(txn(0));
    var second = batcher.submit(txn(1));
    answers.get(0).completeExceptionally(new IllegalStateException("no leader"));
    assertThat(first).isCompletedExceptionally();
    assertThat(sent).hasSize(2);
    answers.get(1).complete(echo(sent.get(1), 1));
    assertThat(second.join().getOk().getRevision()).isEqualTo(1);
    org.assertj.core.api.Assertions.assertThatThrownBy(first::join).isInstanceOf(CompletionException.class)
        .hasRootCauseMessage("no leader");
  }
}
