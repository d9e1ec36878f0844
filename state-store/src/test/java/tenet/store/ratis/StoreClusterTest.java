package tenet.store.ratis;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tenet.api.v1.AddPeerRequest;
import tenet.api.v1.ClusterStatusRequest;
import tenet.api.v1.Consistency;
import tenet.api.v1.CreateRequest;
import tenet.api.v1.GetRequest;
import tenet.api.v1.Kind;
import tenet.api.v1.NorthboundGrpc;
import tenet.api.v1.ObjectRef;
import tenet.api.v1.Peer;
import tenet.api.v1.RemovePeerRequest;
import tenet.api.v1.WatchRequest;
import tenet.api.v1.WatchResponse;
import tenet.store.core.Fixtures;
import tenet.api.Resources;
import tenet.store.model.ResourceKey;

/** Real Ratis peers: the store keeps every acknowledged write through crashes and restarts. */
class StoreClusterTest {
  @TempDir
  Path dir;

  /** Creates tenants named prefix-N through any live peer; records which were acknowledged. */
  private static final class Writer implements Runnable {
    final StoreCluster cluster;
    final String prefix;
    final int count;
    final Set<String> acknowledged;

    Writer(StoreCluster cluster, String prefix, int count, Set<String> acknowledged) {
      this.cluster = cluster;
      this.prefix = prefix;
      this.count = count;
      this.acknowledged = acknowledged;
    }

    @Override
    public void run() {
      int target = prefix.hashCode() & 0xff;
      for (int i = 0; i < count; i++) {
        String name = prefix + "-" + i;
        for (int attempt = 0; ; attempt++) {
          StoreCluster.Peer peer = cluster.peer(target % cluster.size());
          if (peer == null) {
            target++;
            continue;
          }
          try {
            peer.nb().withDeadlineAfter(10, TimeUnit.SECONDS)
                .create(CreateRequest.newBuilder().setResource(Fixtures.tenant(name)).build());
            acknowledged.add(name);
            break;
          } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.ALREADY_EXISTS && attempt > 0) {
              // An earlier attempt committed but its answer was lost with the peer.
              acknowledged.add(name);
              break;
            }
            if (attempt > 50) {
              throw e;
            }
            target++;
          }
        }
      }
    }
  }

  /** Follows every revision from 1 on, reconnecting to another peer when its peer dies. */
  private static final class Watcher {
    final List<Long> revisions = new CopyOnWriteArrayList<>();
    final Set<String> created = ConcurrentHashMap.newKeySet();
    final AtomicLong last = new AtomicLong();
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicInteger reconnects = new AtomicInteger();
    final StoreCluster cluster;
    volatile int target;

    Watcher(StoreCluster cluster, int target) {
      this.cluster = cluster;
      this.target = target;
    }

    void start() {
      StoreCluster.Peer peer = cluster.peer(target);
      while (peer == null) {
        target = (target + 1) % cluster.size();
        peer = cluster.peer(target);
      }
      NorthboundGrpc.newStub(peer.channel).watch(
          WatchRequest.newBuilder().setStartRevision(last.get() + 1).build(), new StreamObserver<>() {
            @Override
            public void onNext(WatchResponse r) {
              revisions.add(r.getRevision());
              last.set(r.getRevision());
              r.getEventsList().forEach(e -> created.add(ResourceKey.of(e.getResource()).name()));
            }

            @Override
            public void onError(Throwable t) {
              if (!stop.get()) {
                reconnects.incrementAndGet();
                target = (target + 1) % cluster.size();
                start();
              }
            }

            @Override
            public void onCompleted() {}
          });
    }
  }

  private static void assertContiguousFromOne(List<Long> revisions, long upTo) {
    assertThat(revisions).hasSize((int) upTo);
    for (int i = 0; i < revisions.size(); i++) {
      assertThat(revisions.get(i)).as("revision at position %d", i).isEqualTo(i + 1L);
    }
  }

  @Test
  void killingTheLeaderUnderConcurrentWritesLosesNothingAcknowledged() throws Exception {
    try (StoreCluster cluster = new StoreCluster(dir, 3, 100_000).startAll()) {
      int leader = cluster.awaitLeader();
      Watcher watcher = new Watcher(cluster, (leader + 1) % 3);
      watcher.start();
      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      List<Thread> writers = new ArrayList<>();
      for (int w = 0; w < 8; w++) {
        writers.add(Thread.ofVirtual().start(new Writer(cluster, "w" + w, 150, acknowledged)));
      }
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= 300);
      cluster.stop(leader);
      for (Thread t : writers) {
        t.join(Duration.ofSeconds(90));
        assertThat(t.isAlive()).isFalse();
      }
      assertThat(acknowledged).hasSize(8 * 150);
      int newLeader = cluster.awaitLeader();
      assertThat(newLeader).isNotEqualTo(leader);

      var reader = cluster.peer(newLeader == 0 ? 1 : 0) != null ? cluster.peer(newLeader == 0 ? 1 : 0) : cluster.peer(newLeader);
      for (String name : acknowledged) {
        var got = reader.nb().get(GetRequest.newBuilder()
            .setRef(ObjectRef.newBuilder().setKind(Kind.TENANT).setName(name)).build());
        assertThat(got.getTenant().getMetadata().getName()).isEqualTo(name);
      }
      long revision = cluster.peer(newLeader).node.stateMachine().revision();
      assertThat(revision).isEqualTo(acknowledged.size());
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> watcher.last.get() == revision);
      watcher.stop.set(true);
      assertContiguousFromOne(watcher.revisions, revision);
      assertThat(watcher.created).containsAll(acknowledged);
    }
  }

  /**
   * A read through the leader asked while the group has none waits for the next leader instead
   * of failing: a peer that knows no leader answers "Leader is unknown", which the Ratis client
   * hands back as it is; the store's client asks again. (Before, such a read failed at once with
   * UNAVAILABLE, and a controller's agent session waited for its 2 s tick to ask again.) The read
   * is asked on the one peer left of three, the group gets its majority back a second later.
   */
  @Test
  void aLinearizableReadAskedWithoutALeaderIsAnsweredByTheNextOne() throws Exception {
    try (StoreCluster cluster = new StoreCluster(dir, 3, 100_000).startAll()) {
      int leader = cluster.awaitLeader();
      cluster.peer(leader).nb().create(CreateRequest.newBuilder().setResource(Fixtures.tenant("before")).build());
      cluster.awaitRevision(1);
      int follower = (leader + 1) % 3;
      int alone = (leader + 2) % 3;
      cluster.stop(leader);
      cluster.stop(follower);
      Thread.sleep(500); // the peer left alone has lost its leader and keeps asking for votes
      var read = cluster.peer(alone).node.client().readLinearizable(tenet.store.wire.ReadRequest.newBuilder()
          .setList(tenet.api.v1.ListRequest.newBuilder().setKind(Kind.TENANT).setPageSize(1)).build());
      Thread.sleep(1_000);
      cluster.start(follower);
      assertThat(read.get(30, TimeUnit.SECONDS).getList().getRevision()).isEqualTo(1);
    }
  }

  /**
   * A follower down for 20 s, then restarted on its data, names its leader again within 2 s. With
   * Ratis' default appender retry policy the leader, after that many failed sends, tried it only
   * every 2.5-7.5 s (StoreNode.APPENDER_RETRY_POLICY); the restart itself takes well under 1 s here
   * (the JVM is warm), so the bound is about the leader finding the peer again, with room for a
   * loaded machine.
   */
  @Test
  void aFollowerRestartedAfterALongAbsenceNamesItsLeaderWithinTwoSeconds() throws Exception {
    try (StoreCluster cluster = new StoreCluster(dir, 3, 100_000).startAll()) {
      int leader = cluster.awaitLeader();
      int follower = (leader + 1) % 3;
      cluster.peer(leader).nb().create(CreateRequest.newBuilder().setResource(Fixtures.tenant("before")).build());
      cluster.stop(follower);
      Thread.sleep(20_000);
      long restarted = System.nanoTime();
      StoreCluster.Peer back = cluster.start(follower);
      Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).until(() ->
          !back.admin().clusterStatus(ClusterStatusRequest.getDefaultInstance()).getLeaderId().isEmpty());
      long ms = (System.nanoTime() - restarted) / 1_000_000;
      assertThat(ms).as("ms from restart to naming a leader").isLessThan(2_000);
      cluster.awaitRevision(1);
    }
  }

  @Test
  void aWatchResumesAcrossALeaderChangeWithoutGapsOrDuplicates() throws Exception {
    try (StoreCluster cluster = new StoreCluster(dir, 3, 100_000).startAll()) {
      int leader = cluster.awaitLeader();
      Watcher watcher = new Watcher(cluster, leader);
      watcher.start();
      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      Thread writer = Thread.ofVirtual().start(new Writer(cluster, "a", 400, acknowledged));
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> watcher.last.get() >= 100);
      cluster.stop(leader);
      writer.join(Duration.ofSeconds(60));
      long revision = acknowledged.size();
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> watcher.last.get() == revision);
      watcher.stop.set(true);
      assertThat(watcher.reconnects.get()).isGreaterThanOrEqualTo(1);
      assertContiguousFromOne(watcher.revisions, revision);
    }
  }

  @Test
  void aWipedFollowerCatchesUpThroughASnapshot() throws Exception {
    try (StoreCluster cluster = new StoreCluster(dir, 3, 50).startAll()) {
      int leader = cluster.awaitLeader();
      int follower = (leader + 1) % 3;
      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      new Writer(cluster, "s", 300, acknowledged).run();
      cluster.awaitRevision(300);
      var leaderNode = cluster.peer(leader).node;
      Awaitility.await().atMost(Duration.ofSeconds(20))
          .until(() -> leaderNode.division().getRaftLog().getStartIndex() > 1);

      // A peer that lost its disk lost its Raft promises too (votes, acknowledged entries): the
      // leader must not trust its old match index, so it leaves the group and joins anew.
      cluster.stop(follower);
      cluster.wipe(follower);
      var admin = cluster.peer(leader).admin();
      admin.removePeer(RemovePeerRequest.newBuilder().setId("n" + follower).build());
      new Writer(cluster, "t", 20, acknowledged).run();
      var rejoined = cluster.rejoin(follower);
      admin.addPeer(AddPeerRequest.newBuilder().setPeer(Peer.newBuilder().setId("n" + follower)
          .setRaftAddress("127.0.0.1:" + cluster.config(follower).raftPort())).build());
      cluster.awaitRevision(320);
      assertThat(rejoined.node.stateMachine().getLatestSnapshot()).as("installed a snapshot").isNotNull();
      assertThat(rejoined.node.stateMachine().stateBytes()).isEqualTo(leaderNode.stateMachine().stateBytes());
      var got = rejoined.nb().get(GetRequest.newBuilder().setConsistency(Consistency.STALE)
          .setRef(ObjectRef.newBuilder().setKind(Kind.TENANT).setName("s-0")).build());
      assertThat(got.getTenant().getMetadata().getRevision()).isPositive();
    }
  }

  @Test
  void aFullClusterRestartKeepsTheStateByteForByte() throws Exception {
    try (StoreCluster cluster = new StoreCluster(dir, 3, 120).startAll()) {
      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      new Writer(cluster, "r", 200, acknowledged).run();
      cluster.awaitRevision(200);
      byte[] before = cluster.peer(0).node.stateMachine().stateBytes();
      for (int i = 0; i < 3; i++) {
        assertThat(cluster.peer(i).node.stateMachine().stateBytes()).isEqualTo(before);
        cluster.stop(i);
      }
      for (int i = 0; i < 3; i++) {
        cluster.start(i);
      }
      cluster.awaitLeader();
      cluster.awaitRevision(200);
      for (int i = 0; i < 3; i++) {
        assertThat(cluster.peer(i).node.stateMachine().stateBytes()).isEqualTo(before);
      }
      // And it goes on from there: the next write gets the next revision.
      new Writer(cluster, "after", 1, acknowledged).run();
      cluster.awaitRevision(201);
    }
  }

  @Test
  void peersAreAddedAndRemovedThroughTheAdminApi() throws Exception {
    try (StoreCluster cluster = new StoreCluster(dir, 3, 100_000).startAll()) {
      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      new Writer(cluster, "m", 50, acknowledged).run();
      var joiner = cluster.startJoiner();
      var admin = cluster.peer(0).admin();
      var status = admin.addPeer(AddPeerRequest.newBuilder().setPeer(Peer.newBuilder()
          .setId("n3").setRaftAddress("127.0.0.1:" + cluster.config(3).raftPort())).build());
      assertThat(status.getPeersList()).extracting(Peer::getId).contains("n0", "n1", "n2", "n3");
      cluster.awaitRevision(50);
      assertThat(joiner.node.stateMachine().stateBytes()).isEqualTo(cluster.peer(0).node.stateMachine().stateBytes());

      var after = admin.removePeer(RemovePeerRequest.newBuilder().setId("n3").build());
      assertThat(after.getPeersList()).extracting(Peer::getId).containsExactlyInAnyOrder("n0", "n1", "n2");
      assertThat(admin.clusterStatus(ClusterStatusRequest.getDefaultInstance()).getPeersCount()).isEqualTo(3);
    }
  }
}
