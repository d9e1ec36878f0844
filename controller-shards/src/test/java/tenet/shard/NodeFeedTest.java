package tenet.shard;

import static tenet.api.Resources.metadata;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.grpc.ManagedChannel;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tenet.api.v1.CreateRequest;
import tenet.api.v1.Kind;
import tenet.api.v1.LogicalSwitch;
import tenet.api.v1.NorthboundGrpc;
import tenet.api.v1.Resource;
import tenet.api.v1.Tenant;
import tenet.controller.ControllerConfig;
import tenet.controller.TenetController;
import tenet.rpc.GrpcEndpoints;
import tenet.store.model.ResourceKey;

/**
 * A node's feed on a real store replica whose watch history keeps only 4 revisions: a feed that
 * fell further behind than that cannot know what changed, so every entity listening on its node
 * re-derives its state (the relist); one that keeps up tells only the datapaths a change touches.
 */
class NodeFeedTest {
  @TempDir
  Path dir;

  @Test
  void behindTheKeptHistoryEveryListenerIsToldToRederive() throws Exception {
    try (TenetController controller = startController()) {
      ManagedChannel channel = GrpcEndpoints.channel("127.0.0.1:" + controller.apiPort());
      var nb = NorthboundGrpc.newBlockingStub(channel);
      create(nb, Resource.newBuilder().setTenant(Tenant.newBuilder().setMetadata(metadata("acme", "acme"))).build());
      for (String sw : new String[] {"s1", "s2", "s3", "s4", "s5", "s6"}) {
        create(nb, Resource.newBuilder().setLogicalSwitch(LogicalSwitch.newBuilder().setMetadata(metadata("acme", sw))
            .addSubnets("10.0." + sw.charAt(1) + ".0/24")).build());
      }
      LinkedBlockingQueue<Object> told = new LinkedBlockingQueue<>();
      ActorSystem<DatapathEntity.Command> listener = ActorSystem.create(Behaviors.receiveMessage(m -> {
        told.add(m);
        return Behaviors.same();
      }), "listener");
      try {
        // Started at revision 0 while the history keeps only revisions 4..7: compacted.
        NodeFeed behind = new NodeFeed(controller.store().stateMachine(), 0);
        behind.listen(new ResourceKey(Kind.LOGICAL_SWITCH, "acme", "s1"), listener);
        create(nb, Resource.newBuilder().setLogicalSwitch(LogicalSwitch.newBuilder().setMetadata(metadata("acme", "s7"))
            .addSubnets("10.0.7.0/24")).build());
        assertThat(told.poll(10, TimeUnit.SECONDS)).isEqualTo(DatapathEntity.Recompute.INSTANCE);

        // Caught up now: a change to another switch tells s1's listener nothing; one to s1 does.
        create(nb, Resource.newBuilder().setLogicalSwitch(LogicalSwitch.newBuilder().setMetadata(metadata("acme", "s8"))
            .addSubnets("10.0.8.0/24")).build());
        assertThat(told.poll(1, TimeUnit.SECONDS)).isNull();
        nb.update(tenet.api.v1.UpdateRequest.newBuilder().setResource(Resource.newBuilder().setLogicalSwitch(
            LogicalSwitch.newBuilder().setMetadata(metadata("acme", "s1")).addSubnets("10.0.1.0/24").setMtu(1400))).build());
        assertThat(told.poll(10, TimeUnit.SECONDS)).isEqualTo(DatapathEntity.Recompute.INSTANCE);
        behind.close();
      } finally {
        listener.terminate();
        channel.shutdownNow();
      }
    }
  }

  /**
   * A chassis entity reads its view at some revision and only then says which datapaths it spans:
   * a change to one of them that the feed told in between is told to it when it listens.
   */
  @Test
  void aChassisListeningLateIsToldWhatItMissedSinceItsRead() throws Exception {
    try (TenetController controller = startController()) {
      ManagedChannel channel = GrpcEndpoints.channel("127.0.0.1:" + controller.apiPort());
      var nb = NorthboundGrpc.newBlockingStub(channel);
      create(nb, Resource.newBuilder().setTenant(Tenant.newBuilder().setMetadata(metadata("acme", "acme"))).build());
      for (String sw : new String[] {"s1", "s2"}) {
        create(nb, Resource.newBuilder().setLogicalSwitch(LogicalSwitch.newBuilder().setMetadata(metadata("acme", sw))
            .addSubnets("10.0." + sw.charAt(1) + ".0/24")).build());
      }
      LinkedBlockingQueue<Object> datapathTold = new LinkedBlockingQueue<>();
      LinkedBlockingQueue<Object> chassisTold = new LinkedBlockingQueue<>();
      ActorSystem<DatapathEntity.Command> datapath = ActorSystem.create(recorder(datapathTold), "datapath");
      ActorSystem<ChassisEntity.Command> chassis = ActorSystem.create(recorder(chassisTold), "chassis");
      try (NodeFeed feed = new NodeFeed(controller.store().stateMachine())) {
        ResourceKey s1 = new ResourceKey(Kind.LOGICAL_SWITCH, "acme", "s1");
        ResourceKey s2 = new ResourceKey(Kind.LOGICAL_SWITCH, "acme", "s2");
        feed.listen(s1, datapath);
        long read = feed.read(state -> state.revision());
        nb.update(tenet.api.v1.UpdateRequest.newBuilder().setResource(Resource.newBuilder().setLogicalSwitch(
            LogicalSwitch.newBuilder().setMetadata(metadata("acme", "s1")).addSubnets("10.0.1.0/24").setMtu(1400))).build());
        assertThat(datapathTold.poll(10, TimeUnit.SECONDS)).as("the feed has told s1's change").isNotNull();

        feed.listen("hv2", chassis, java.util.Set.of(s2), read);
        assertThat(chassisTold.poll(1, TimeUnit.SECONDS)).as("s2 did not change").isNull();
        feed.listen("hv1", chassis, java.util.Set.of(s1), feed.read(state -> state.revision()));
        assertThat(chassisTold.poll(1, TimeUnit.SECONDS)).as("read after s1's change").isNull();
        feed.listen("hv1", chassis, java.util.Set.of(s1), read);
        assertThat(chassisTold.poll(10, TimeUnit.SECONDS)).isEqualTo(ChassisEntity.Recompute.INSTANCE);
      } finally {
        datapath.terminate();
        chassis.terminate();
        channel.shutdownNow();
      }
    }
  }

  private static <T> org.apache.pekko.actor.typed.Behavior<T> recorder(LinkedBlockingQueue<Object> told) {
    return Behaviors.receiveMessage(m -> {
      told.add(m);
      return Behaviors.same();
    });
  }

  private TenetController startController() throws Exception {
    int raft;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      raft = s.getLocalPort();
    }
    return TenetController.start(ControllerConfig.from(ConfigFactory.parseString("""
        tenet.controller {
          data-dir = "%s"
          api.port = 0
          raft.port = %d
          compiler.port = 0
          store.watch-history = 4
        }""".formatted(dir.resolve("data-" + raft), raft)).withFallback(ConfigFactory.load()).resolve()));
  }

  private static void create(NorthboundGrpc.NorthboundBlockingStub nb, Resource r) {
    nb.create(CreateRequest.newBuilder().setResource(r).build());
  }

}
