package tenet.controller.southbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import com.google.rpc.BadRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tenet.agent.v1.Ack;
import tenet.agent.v1.AgentMessage;
import tenet.agent.v1.ControllerMessage;
import tenet.agent.v1.Flow;
import tenet.agent.v1.FlowUpdate;
import tenet.agent.v1.Hello;
import tenet.agent.v1.HostedPort;
import tenet.agent.v1.Ports;
import tenet.agent.v1.SouthboundGrpc;
import tenet.agent.v1.TunnelHealth;
import tenet.agent.v1.Tunnels;
import tenet.api.v1.ChassisSync;
import tenet.api.v1.ChassisSyncRequest;
import tenet.api.v1.Encapsulation;
import tenet.api.v1.FabricGrpc;
import tenet.api.v1.NorthboundGrpc;
import tenet.agent.v1.VirtualFunction;
import tenet.agent.v1.VirtualFunctions;
import tenet.api.v1.CreateRequest;
import tenet.api.v1.GetRequest;
import tenet.api.v1.Kind;
import tenet.api.v1.LogicalSwitchPort;
import tenet.api.v1.Metadata;
import tenet.api.v1.ObjectRef;
import tenet.api.v1.PortType;
import tenet.api.v1.Resource;
import tenet.api.v1.SriovFunction;
import tenet.api.v1.Tunnel;
import tenet.api.v1.TxnRequest;
import tenet.controller.TenetController;
import tenet.rpc.GrpcEndpoints;

/**
 * The southbound protocol against one real controller (store, compiler cluster of one node):
 * a full set first, deltas on the version the agent holds after, desired vs applied visible
 * through the northbound Fabric service, and bad reports refused naming the field.
 */
class SouthboundTest {
  @TempDir
  static Path dir;
  private static TenetController controller;
  private static ManagedChannel channel;

  @BeforeAll
  static void start() throws Exception {
    controller = LoneController.start(dir, "");
    channel = GrpcEndpoints.channel("127.0.0.1:" + controller.apiPort());
    TxnRequest.Builder topology = TxnRequest.newBuilder();
    JsonFormat.parser().merge(Files.readString(Path.of("src/test/resources/golden/router/topology.json")), topology);
    NorthboundGrpc.newBlockingStub(channel).txn(topology.build());
  }

  @AfterAll
  static void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (controller != null) {
      controller.close();
    }
  }

  @Test
  void aFullSetThenDeltasOnTheVersionTheAgentHolds() throws Exception {
    Agent agent = new Agent();
    agent.send(hello("hv1", "192.0.2.1", port("web-1", 1)));
    FlowUpdate full = agent.next();
    assertThat(full.getFull()).isTrue();
    assertThat(full.getAddList()).anyMatch(f -> f.getMatch().equals("in_port=1"));
    Set<Long> flows = new HashSet<>();
    full.getAddList().forEach(f -> flows.add(f.getCookie()));
    agent.send(AgentMessage.newBuilder().setAck(Ack.newBuilder().setVersion(full.getVersion())).build());

    // db-1 plugs in here too: its switch joins this chassis' flows as a delta on the full set.
    agent.send(AgentMessage.newBuilder().setPorts(Ports.newBuilder().addPorts(port("web-1", 1)).addPorts(port("db-1", 2)))
        .build());
    FlowUpdate delta = agent.next();
    assertThat(delta.getFull()).isFalse();
    assertThat(delta.getBaseVersion()).isEqualTo(full.getVersion());
    assertThat(delta.getVersion()).isGreaterThan(full.getVersion());
    assertThat(delta.getAddList()).anyMatch(f -> f.getMatch().equals("in_port=2"));
    // A removed flow is named by its cookie alone.
    delta.getRemoveList().forEach(f -> assertThat(flows.remove(f.getCookie())).as("removed flow was there: " + f).isTrue());
    delta.getAddList().forEach(f -> flows.add(f.getCookie()));
    agent.send(AgentMessage.newBuilder().setAck(Ack.newBuilder().setVersion(delta.getVersion())).build());

    Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      ChassisSync sync = FabricGrpc.newBlockingStub(channel)
          .chassisSync(ChassisSyncRequest.newBuilder().setChassis("hv1").build()).getChassis(0);
      assertThat(sync.getConnected()).isTrue();
      assertThat(sync.getDesiredVersion()).isEqualTo(delta.getVersion());
      assertThat(sync.getAppliedVersion()).isEqualTo(delta.getVersion());
      assertThat(sync.getFlows()).isEqualTo(flows.size());
    });
    agent.close();

    // Its stream ends; on a new one it says which flows it holds: the first update is the delta
    // from them (none changed: empty), not the whole set again.
    Agent again = new Agent();
    again.send(AgentMessage.newBuilder().setHello(hello("hv1", "192.0.2.1", port("web-1", 1), port("db-1", 2))
        .getHello().toBuilder().setAppliedVersion(delta.getVersion()).setPagedUpdates(true).addAllHeldCookies(flows))
        .build());
    FlowUpdate first = again.next();
    assertThat(first.getFull()).isFalse();
    assertThat(first.getBaseVersion()).isEqualTo(delta.getVersion());
    assertThat(first.getVersion()).isGreaterThan(delta.getVersion());
    assertThat(first.getAddCount() + first.getRemoveCount()).isZero();
    again.close();
  }

  /**
   * A port of type SRIOV_VF is given a VF of a chassis' PF through the API; that chassis' agent
   * is told (and no other), and a representor reported elsewhere does not bind the port there.
   */
  @Test
  void theAgentIsToldTheVirtualFunctionsTheApiGivesItsPorts() throws Exception {
    Agent hv3 = new Agent();
    hv3.send(AgentMessage.newBuilder().setHello(hello("hv3", "192.0.2.3").getHello().toBuilder().setSriovVfCapacity(8))
        .build());
    assertThat(hv3.nextVirtualFunctions().getFunctionsList()).isEmpty();
    Agent hv4 = new Agent();
    hv4.send(hello("hv4", "192.0.2.4"));
    assertThat(hv4.nextVirtualFunctions().getFunctionsList()).isEmpty();

    LogicalSwitchPort.Builder port = LogicalSwitchPort.newBuilder()
        .setMetadata(Metadata.newBuilder().setTenant("acme").setName("db-vf")).setLogicalSwitch("db")
        .setType(PortType.SRIOV_VF).setMac("02:00:00:00:02:21").addIps("10.0.2.21")
        .setSriov(SriovFunction.newBuilder().setChassis("hv3").setPhysicalFunction("enp3s0f0").setVf(2).setVlan(100));
    // The VFs come after a leader read, which does not wait for the session's registration of
    // the chassis (a write): the port can refer to hv3 once that is in.
    Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
        .until(() -> NorthboundGrpc.newBlockingStub(channel).create(CreateRequest.newBuilder()
            .setResource(Resource.newBuilder().setLogicalSwitchPort(port)).build()) != null);
    assertThat(hv3.nextVirtualFunctions().getFunctionsList()).containsExactly(VirtualFunction.newBuilder()
        .setTenant("acme").setLogicalPort("db-vf").setPhysicalFunction("enp3s0f0").setVf(2).setMac("02:00:00:00:02:21")
        .setVlan(100).setSpoofCheck(true).build());

    // hv4 reports a representor labelled db-vf (left there by a move, say): not bound there.
    hv4.send(AgentMessage.newBuilder().setPorts(Ports.newBuilder().addPorts(port("db-vf", 7))).build());
    hv3.send(AgentMessage.newBuilder().setPorts(Ports.newBuilder().addPorts(port("db-vf", 5))).build());
    var nb = NorthboundGrpc.newBlockingStub(channel);
    Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
        assertThat(nb.get(GetRequest.newBuilder().setRef(ObjectRef.newBuilder().setKind(Kind.PORT_BINDING)
            .setTenant("acme").setName("db-vf")).build()).getPortBinding().getChassis()).isEqualTo("hv3"));
    Thread.sleep(2500); // hv4's session re-registers every 2 s: still hv3's
    assertThat(nb.get(GetRequest.newBuilder().setRef(ObjectRef.newBuilder().setKind(Kind.PORT_BINDING)
        .setTenant("acme").setName("db-vf")).build()).getPortBinding().getChassis()).isEqualTo("hv3");
    hv3.close();
    hv4.close();
  }

  @Test
  void anAgentThatTakesPagesGetsTheFullSetInPagesAndAcksItOnce() throws Exception {
    Agent agent = new Agent();
    agent.send(AgentMessage.newBuilder().setHello(hello("hv7", "192.0.2.7").getHello().toBuilder().setPagedUpdates(true))
        .build());
    List<FlowUpdate> pages = new java.util.ArrayList<>();
    do {
      pages.add(agent.next());
    } while (pages.get(pages.size() - 1).getMore());
    FlowUpdate first = pages.get(0);
    assertThat(first.getFull()).isTrue();
    assertThat(pages).allSatisfy(p -> {
      assertThat(p.getVersion()).isEqualTo(first.getVersion());
      assertThat(p.getFull()).isTrue();
      assertThat(p.getAddCount()).isLessThanOrEqualTo(tenet.api.FlowPages.FLOWS);
    });
    Set<Flow> flows = new HashSet<>();
    pages.forEach(p -> flows.addAll(p.getAddList()));
    assertThat(flows).isNotEmpty();
    agent.send(AgentMessage.newBuilder().setAck(Ack.newBuilder().setVersion(first.getVersion())).build());

    Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      ChassisSync sync = FabricGrpc.newBlockingStub(channel)
          .chassisSync(ChassisSyncRequest.newBuilder().setChassis("hv7").build()).getChassis(0);
      assertThat(sync.getAppliedVersion()).isEqualTo(first.getVersion());
      assertThat(sync.getFlows()).isEqualTo(flows.size());
    });
    agent.close();
  }

  /** BFD on an agent's tunnels, as it reports them with its hello and after, is in ChassisSync by chassis. */
  @Test
  void theTunnelsBfdStateTheAgentReportsIsShownByTheOtherEndsChassis() throws Exception {
    Agent hv21 = new Agent();
    Agent hv22 = new Agent();
    hv22.send(hello("hv22", "192.0.2.22"));
    hv21.send(AgentMessage.newBuilder().setHello(hello("hv21", "192.0.2.21").getHello().toBuilder()
        .setTunnels(tunnels(tunnel("192.0.2.22", "init", false), tunnel("198.51.100.9", "down", false)))).build());
    Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(tunnelsOf("hv21")).containsExactly(
        Tunnel.newBuilder().setRemoteChassis("hv22").setRemoteIp("192.0.2.22").setBfdState("init").build(),
        Tunnel.newBuilder().setRemoteIp("198.51.100.9").setBfdState("down").build()));

    hv21.send(AgentMessage.newBuilder().setTunnels(tunnels(tunnel("192.0.2.22", "up", true))).build());
    Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(tunnelsOf("hv21")).containsExactly(
        Tunnel.newBuilder().setRemoteChassis("hv22").setRemoteIp("192.0.2.22").setBfdState("up").setForwarding(true)
            .build()));
    assertThat(tunnelsOf("hv22")).isEmpty();

    hv21.close(); // a chassis without its agent shows no tunnels: nobody is reporting them
    Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(tunnelsOf("hv21")).isEmpty());
    hv22.close();
  }

  @Test
  void tunnelsBeforeHelloAreRefused() throws Exception {
    Agent agent = new Agent();
    agent.send(AgentMessage.newBuilder().setTunnels(tunnels(tunnel("192.0.2.22", "up", true))).build());
    StatusRuntimeException e = agent.error();
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(e.getStatus().getDescription()).startsWith("tunnels");
  }

  private static List<Tunnel> tunnelsOf(String chassis) {
    return FabricGrpc.newBlockingStub(channel).chassisSync(ChassisSyncRequest.newBuilder().setChassis(chassis).build())
        .getChassis(0).getTunnelsList();
  }

  private static Tunnels tunnels(TunnelHealth... tunnels) {
    return Tunnels.newBuilder().addAllTunnels(List.of(tunnels)).build();
  }

  private static TunnelHealth tunnel(String remoteIp, String state, boolean forwarding) {
    return TunnelHealth.newBuilder().setRemoteIp(remoteIp).setBfdState(state).setForwarding(forwarding).build();
  }

  @Test
  void aHelloWithoutChassisIsRefusedNamingTheField() throws Exception {
    Agent agent = new Agent();
    agent.send(hello("", "192.0.2.1"));
    StatusRuntimeException e = agent.error();
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).startsWith("hello.chassis");
  }

  @Test
  void portsBeforeHelloAreRefused() throws Exception {
    Agent agent = new Agent();
    agent.send(AgentMessage.newBuilder().setPorts(Ports.getDefaultInstance()).build());
    assertThat(agent.error().getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
  }

  @Test
  void aBadTunnelAddressIsRefusedWithTheStoresFieldViolation() throws Exception {
    Agent agent = new Agent();
    agent.send(hello("hv9", "not-an-ip"));
    StatusRuntimeException e = agent.error();
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    BadRequest bad = StatusProto.fromThrowable(e).getDetails(0).unpack(BadRequest.class);
    assertThat(bad.getFieldViolationsList()).anyMatch(v -> v.getField().endsWith("tunnel_ip"));
  }

  private static AgentMessage hello(String chassis, String tunnelIp, HostedPort... ports) {
    return AgentMessage.newBuilder().setHello(Hello.newBuilder().setChassis(chassis).setHostname("host-" + chassis)
        .setTunnelIp(tunnelIp).addEncapsulations(Encapsulation.GENEVE)
        .setPorts(Ports.newBuilder().addAllPorts(List.of(ports)))).build();
  }

  private static HostedPort port(String name, int ofport) {
    return HostedPort.newBuilder().setTenant("acme").setLogicalPort(name).setOfport(ofport).build();
  }

  /** The agent's end of one stream: what the controller sent, in order. */
  private static final class Agent implements AutoCloseable {
    private final LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final StreamObserver<AgentMessage> out = SouthboundGrpc.newStub(channel).sync(new StreamObserver<>() {
      @Override
      public void onNext(ControllerMessage m) {
        received.add(m.hasUpdate() ? m.getUpdate() : m.getVirtualFunctions());
      }

      @Override
      public void onError(Throwable t) {
        received.add(t);
      }

      @Override
      public void onCompleted() {
        received.add("completed");
      }
    });

    void send(AgentMessage m) {
      out.onNext(m);
    }

    FlowUpdate next() throws InterruptedException {
      return next(FlowUpdate.class);
    }

    VirtualFunctions nextVirtualFunctions() throws InterruptedException {
      return next(VirtualFunctions.class);
    }

    /** The next message of that type; the other kind of message may come between. */
    private <T> T next(Class<T> type) throws InterruptedException {
      Object o;
      do {
        o = received.poll(20, TimeUnit.SECONDS);
      } while ((o instanceof FlowUpdate || o instanceof VirtualFunctions) && !type.isInstance(o));
      assertThat(o).as("a " + type.getSimpleName()).isInstanceOf(type);
      return type.cast(o);
    }

    StatusRuntimeException error() throws InterruptedException {
      Object o;
      do {
        o = received.poll(20, TimeUnit.SECONDS);
      } while (o instanceof FlowUpdate || o instanceof VirtualFunctions);
      assertThat(o).as("the stream's error").isInstanceOf(StatusRuntimeException.class);
      return (StatusRuntimeException) o;
    }

    @Override
    public void close() {
      out.onCompleted();
    }
  }
}
