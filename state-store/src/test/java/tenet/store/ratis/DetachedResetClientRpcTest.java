package tenet.store.ratis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Collection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.ratis.client.RaftClientRpc;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.junit.jupiter.api.Test;

class DetachedResetClientRpcTest {
  /** Ratis' transport as it behaves when a channel will not close: its reset blocks until released. */
  private static final class StuckReset implements RaftClientRpc {
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch resetDone = new CountDownLatch(1);
    final AtomicReference<String> reset = new AtomicReference<>();

    @Override
    public boolean handleException(RaftPeerId peer, Throwable failure, boolean reconnect) {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      reset.set(peer + " reconnect=" + reconnect);
      resetDone.countDown();
      return true;
    }

    @Override
    public boolean shouldReconnect(Throwable failure) {
      return failure instanceof IOException && !(failure instanceof NotLeaderException);
    }

    @Override
    public RaftClientReply sendRequest(RaftClientRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void addRaftPeers(Collection<RaftPeer> peers) {}

    @Override
    public void close() {}
  }

  @Test
  void aResetThatHangsDoesNotHoldUpTheFailedRequest() throws Exception {
    StuckReset transport = new StuckReset();
    DetachedResetClientRpc rpc = new DetachedResetClientRpc(transport);

    long start = System.nanoTime();
    assertThat(rpc.handleException(RaftPeerId.valueOf("c1"), new IOException("refused"), false)).isTrue();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1_000);
    assertThat(transport.reset.get()).as("still closing the old channel").isNull();

    transport.release.countDown();
    assertThat(transport.resetDone.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(transport.reset.get()).isEqualTo("c1 reconnect=true");
  }

  @Test
  void aFailureThatNeedsNoNewConnectionKeepsTheOldOne() {
    StuckReset transport = new StuckReset();
    transport.release.countDown();
    DetachedResetClientRpc rpc = new DetachedResetClientRpc(transport);

    NotLeaderException notLeader = new NotLeaderException(
        org.apache.ratis.protocol.RaftGroupMemberId.valueOf(RaftPeerId.valueOf("c2"),
            org.apache.ratis.protocol.RaftGroupId.randomId()), null, java.util.List.of());
    assertThat(rpc.handleException(RaftPeerId.valueOf("c2"), notLeader, false)).isFalse();
    assertThat(transport.reset.get()).isNull();
  }
}
