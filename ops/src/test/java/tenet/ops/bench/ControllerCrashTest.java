package tenet.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tenet.api.v1.CreateRequest;
import tenet.api.v1.GetRequest;
import tenet.api.v1.Kind;
import tenet.api.v1.Metadata;
import tenet.api.v1.NorthboundGrpc;
import tenet.api.v1.ObjectRef;
import tenet.api.v1.Resource;
import tenet.api.v1.Tenant;
import tenet.api.v1.WatchRequest;
import tenet.api.v1.WatchResponse;

/**
 * Three real tenet-controller processes; the leader is killed with SIGKILL while eight clients
 * write. Every acknowledged write survives, the killed controller comes back from its disk, and
 * a watcher sees every revision exactly once.
 */
class ControllerCrashTest {
  @TempDir
  Path dir;

  @Test
  void kill9OfTheLeaderUnderConcurrentWritesLosesNothingAcknowledged() throws Exception {
    Children children = new Children();
    try (TenetCluster cluster = TenetCluster.start(3, dir, new Ports(), children, "crash", Duration.ofSeconds(60))) {
      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      List<Thread> writers = new ArrayList<>();
      for (int w = 0; w < 8; w++) {
        int writer = w;
        writers.add(Thread.ofVirtual().start(() -> {
          for (int i = 0; i < 100; i++) {
            String name = "w" + writer + "-" + i;
            create(cluster, writer, name, acknowledged);
          }
        }));
      }
      Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 200);
      int leader = cluster.leader(Duration.ofSeconds(10));
      cluster.kill(leader);
      for (Thread t : writers) {
        t.join(Duration.ofSeconds(120));
        assertThat(t.isAlive()).as("writer finished").isFalse();
      }
      assertThat(acknowledged).hasSize(800);

      cluster.restartAndAwaitRejoined(leader, Duration.ofSeconds(60));
      // The restarted controller answers linearizable reads of everything acknowledged.
      var stub = NorthboundGrpc.newBlockingStub(cluster.channel(leader));
      for (String name : acknowledged) {
        Resource got = stub.withDeadlineAfter(10, TimeUnit.SECONDS).get(GetRequest.newBuilder()
            .setRef(ObjectRef.newBuilder().setKind(Kind.TENANT).setName(name)).build());
        assertThat(got.getTenant().getMetadata().getName()).isEqualTo(name);
      }
      // Every revision once, in order: each create is one revision.
      Iterator<WatchResponse> watch = NorthboundGrpc.newBlockingStub(cluster.channel(leader))
          .withDeadlineAfter(30, TimeUnit.SECONDS)
          .watch(WatchRequest.newBuilder().setStartRevision(1).build());
      for (long expected = 1; expected <= 800; expected++) {
        assertThat(watch.next().getRevision()).isEqualTo(expected);
      }
    } finally {
      children.stopAll();
    }
  }

  /** Creates through some controller, moving on to the next when one is dead or slow. */
  private static void create(TenetCluster cluster, int start, String name, Set<String> acknowledged) {
    Resource tenant = Resource.newBuilder().setTenant(Tenant.newBuilder()
        .setMetadata(Metadata.newBuilder().setTenant(name).setName(name))).build();
    for (int attempt = 0; attempt < 200; attempt++) {
      int node = (start + attempt) % cluster.size();
      if (!cluster.alive(node)) {
        continue;
      }
      try {
        NorthboundGrpc.newBlockingStub(cluster.channel(node)).withDeadlineAfter(5, TimeUnit.SECONDS)
            .create(CreateRequest.newBuilder().setResource(tenant).build());
        acknowledged.add(name);
        return;
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() == Status.Code.ALREADY_EXISTS && attempt > 0) {
          acknowledged.add(name); // an earlier attempt committed; its answer was lost
          return;
        }
      }
    }
    throw new AssertionError("could not create " + name);
  }
}
