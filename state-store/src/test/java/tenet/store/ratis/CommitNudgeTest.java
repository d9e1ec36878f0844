package tenet.store.ratis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import tenet.store.core.Plan;
import tenet.api.v1.TxnResponse;

/** When the leader asks itself for a read index: after commits, one at a time, never as a follower. */
class CommitNudgeTest {
  private final List<CompletableFuture<Object>> reads = new ArrayList<>();
  private boolean leader = true;
  private final CommitNudge nudge = new CommitNudge(() -> leader, () -> {
    CompletableFuture<Object> read = new CompletableFuture<>();
    reads.add(read);
    return read;
  });

  @Test
  void aCommitOnTheLeaderAsksForOneReadIndex() {
    nudge.committed(plan(1));
    assertThat(reads).hasSize(1);
    reads.get(0).complete(null);
    assertThat(reads).as("nothing committed since").hasSize(1);
  }

  @Test
  void commitsWhileOneIsOutGoWithOneMoreAfterIt() {
    nudge.committed(plan(1));
    nudge.committed(plan(2));
    nudge.committed(plan(3));
    assertThat(reads).hasSize(1);
    reads.get(0).completeExceptionally(new IllegalStateException("not the leader any more"));
    assertThat(reads).as("a failed read counts as done").hasSize(2);
    reads.get(1).complete(null);
    assertThat(reads).hasSize(2);
  }

  @Test
  void aFollowerAsksNothing() {
    leader = false;
    nudge.committed(plan(1));
    assertThat(reads).isEmpty();
  }

  private static Plan plan(long revision) {
    return new Plan(revision, List.of(), TxnResponse.getDefaultInstance());
  }
}
