package tenet.controller.southbound;

import static org.assertj.core.api.Assertions.assertThat;
import static tenet.api.Resources.createOp;
import static tenet.api.Resources.metadata;

import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tenet.agent.v1.AgentMessage;
import tenet.agent.v1.ControllerMessage;
import tenet.agent.v1.FlowUpdate;
import tenet.agent.v1.Hello;
import tenet.agent.v1.HostedPort;
import tenet.agent.v1.Ports;
import tenet.agent.v1.SouthboundGrpc;
import tenet.api.v1.Encapsulation;
import tenet.api.v1.LogicalRouter;
import tenet.api.v1.LogicalRouterPort;
import tenet.api.v1.LogicalSwitch;
import tenet.api.v1.LogicalSwitchPort;
import tenet.api.v1.NorthboundGrpc;
import tenet.api.v1.Resource;
import tenet.api.v1.Tenant;
import tenet.api.v1.TxnRequest;
import tenet.controller.TenetController;
import tenet.rpc.GrpcEndpoints;

/**
 * An agent that stops reading its stream: the controller writes only while gRPC says the stream
 * is ready, keeps at most max-waiting-rules of changes for it (here 2,000), and past that sends
 * it a full set when it reads again; another agent on the same controller gets every change
 * meanwhile, as if nothing were wrong.
 */
class StalledAgentTest {
  @TempDir
  Path dir;

  @Test
  void aStalledAgentCostsBoundedMemoryAndSlowsNoOtherChassis() throws Exception {
    try (TenetController controller = start()) {
      ManagedChannel channel = GrpcEndpoints.channel("127.0.0.1:" + controller.apiPort());
      var nb = NorthboundGrpc.newBlockingStub(channel);
      nb.txn(TxnRequest.newBuilder()
          .addOps(createOp(Resource.newBuilder().setTenant(Tenant.newBuilder().setMetadata(metadata("t", "t"))).build()))
          .addOps(createOp(Resource.newBuilder().setLogicalSwitch(LogicalSwitch.newBuilder().setMetadata(metadata("t", "s"))
              .addSubnets("10.1.0.0/16")).build()))
          .addOps(createOp(Resource.newBuilder().setLogicalRouter(LogicalRouter.newBuilder().setMetadata(metadata("t", "r")))
              .build()))
          .addOps(createOp(Resource.newBuilder().setLogicalRouterPort(LogicalRouterPort.newBuilder()
              .setMetadata(metadata("t", "r-s")).setLogicalRouter("r").setLogicalSwitch("s").setMac("02:ff:00:00:00:00")
              .addNetworks("10.1.0.1/16")).build()))
          .addOps(createOp(port(0))).addOps(createOp(port(1))).build());
      StreamAgent healthy = new StreamAgent("hv1", "192.0.2.1", channel);
      healthy.plug(List.of(hosted(0)));
      healthy.connect();
      Stalling stalled = new Stalling(channel);
      stalled.hello("hv2", "192.0.2.2", hosted(1));
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> stalled.fullSets() == 1 && healthy.version() > 0);
      stalled.stop();

      // Switches of 50 ports each on the router, each a change for both chassis (the router
      // joins every switch to both spans): far more than the stalled agent's stream buffers
      // hold, and more than may wait for it.
      for (int batch = 1; batch <= 60; batch++) {
        TxnRequest.Builder txn = TxnRequest.newBuilder()
            .addOps(createOp(Resource.newBuilder().setLogicalSwitch(LogicalSwitch.newBuilder()
                .setMetadata(metadata("t", "s" + batch)).addSubnets("10.2." + batch + ".0/24")).build()))
            .addOps(createOp(Resource.newBuilder().setLogicalRouterPort(LogicalRouterPort.newBuilder()
                .setMetadata(metadata("t", "r-s" + batch)).setLogicalRouter("r").setLogicalSwitch("s" + batch)
                .setMac(String.format("02:ff:00:00:00:%02x", batch)).addNetworks("10.2." + batch + ".1/24")).build()));
        for (int p = 0; p < 50; p++) {
          int n = 2 + (batch - 1) * 50 + p;
          txn.addOps(createOp(Resource.newBuilder().setLogicalSwitchPort(LogicalSwitchPort.newBuilder()
              .setMetadata(metadata("t", "p" + n)).setLogicalSwitch("s" + batch).setMac(mac(n))
              .addIps("10.2." + batch + "." + (10 + p))).build()));
        }
        nb.txn(txn.build());
      }
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> healthy.flows().values().stream()
          .anyMatch(f -> f.getMatch().contains(mac(3001))));
      assertThat(healthy.violations()).isEmpty();

      stalled.resume();
      Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        assertThat(stalled.fullSets()).as("a second full set instead of the dropped changes").isEqualTo(2);
        assertThat(stalled.lastFullSetHas(mac(3001))).isTrue();
      });
      channel.shutdownNow();
    }
  }

  private static Resource port(int n) {
    return Resource.newBuilder().setLogicalSwitchPort(LogicalSwitchPort.newBuilder().setMetadata(metadata("t", "p" + n))
        .setLogicalSwitch("s").setMac(mac(n)).addIps("10.1." + (n / 250) + "." + (n % 250 + 2))).build();
  }

  private static String mac(int n) {
    return String.format("02:00:00:00:%02x:%02x", n >> 8, n & 0xff);
  }

  private static HostedPort hosted(int n) {
    return HostedPort.newBuilder().setTenant("t").setLogicalPort("p" + n).setOfport(n + 1).build();
  }

  /** A stream whose reading the test stops and resumes (gRPC's manual inbound flow control). */
  private static final class Stalling {
    private final List<FlowUpdate> received = new CopyOnWriteArrayList<>();
    private final ClientCallStreamObserver<AgentMessage>[] call = new ClientCallStreamObserver[1];
    private volatile boolean stopped;

    Stalling(ManagedChannel channel) {
      SouthboundGrpc.newStub(channel).sync(new ClientResponseObserver<AgentMessage, ControllerMessage>() {
        @Override
        public void beforeStart(ClientCallStreamObserver<AgentMessage> requestStream) {
          call[0] = requestStream;
          requestStream.disableAutoInboundFlowControl();
        }

        @Override
        public void onNext(ControllerMessage m) {
          if (m.hasUpdate()) {
            received.add(m.getUpdate());
          }
          if (!stopped) {
            call[0].request(1);
          }
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {}
      });
    }

    void hello(String chassis, String ip, HostedPort port) {
      call[0].onNext(AgentMessage.newBuilder().setHello(Hello.newBuilder().setChassis(chassis).setHostname(chassis)
          .setTunnelIp(ip).addEncapsulations(Encapsulation.GENEVE).setPagedUpdates(true)
          .setPorts(Ports.newBuilder().addPorts(port))).build());
    }

    void stop() {
      stopped = true;
    }

    void resume() {
      stopped = false;
      call[0].request(1);
    }

    long fullSets() {
      return received.stream().filter(u -> u.getFull() && !u.getMore()).count();
    }

    /** Whether the last full set's pages hold a flow naming {@code text}. */
    boolean lastFullSetHas(String text) {
      List<FlowUpdate> pages = new ArrayList<>(received);
      long version = -1;
      for (FlowUpdate u : pages) {
        if (u.getFull()) {
          version = u.getVersion();
        }
      }
      for (FlowUpdate u : pages) {
        if (u.getVersion() == version && u.getAddList().stream().anyMatch(f -> f.getMatch().contains(text))) {
          return true;
        }
      }
      return false;
    }
  }

  private TenetController start() throws Exception {
    return LoneController.start(dir, "southbound.max-waiting-rules = 2000");
  }
}
