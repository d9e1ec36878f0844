package tenet.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tenet.agent.ovs.PrivateSwitch;
import tenet.agent.v1.AgentMessage;
import tenet.agent.v1.ControllerMessage;
import tenet.agent.v1.HostedPort;
import tenet.agent.v1.SouthboundGrpc;
import tenet.rpc.GrpcEndpoints;

/**
 * What a controller hears of plugged-in ports, from a real tenet-agent on a real (private) Open
 * vSwitch: the hello's list, and a new list as soon as OVSDB commits a change. The agent's audit
 * and its safety re-read are set to an hour, so whatever arrives within the test came from OVSDB's
 * notifications.
 */
class PortReportTest {
  /** Far above the tens of milliseconds it takes, so a loaded machine does not fail it; a 1 s poll would. */
  private static final Duration SOON = Duration.ofMillis(900);
  private static PrivateSwitch ovs;
  private static GrpcEndpoints.RunningServer controller;
  private static final BlockingQueue<Heard> heard = new LinkedBlockingQueue<>();
  private TenetAgent agent;
  private int vms;

  private record Heard(long nanos, AgentMessage message) {}

  @BeforeAll
  static void start() throws IOException {
    ovs = PrivateSwitch.start();
    controller = GrpcEndpoints.startServer("127.0.0.1", 0, List.of(new SouthboundGrpc.SouthboundImplBase() {
      @Override
      public StreamObserver<AgentMessage> sync(StreamObserver<ControllerMessage> toAgent) {
        return new StreamObserver<>() {
          @Override
          public void onNext(AgentMessage message) {
            heard.add(new Heard(System.nanoTime(), message));
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {
            toAgent.onCompleted();
          }
        };
      }
    }));
  }

  @AfterAll
  static void stop() throws IOException {
    if (controller != null) {
      controller.close();
    }
    if (ovs != null) {
      ovs.close();
    }
  }

  @BeforeEach
  void noBridgeNorMessages() throws IOException {
    ovs.vsctl("--if-exists", "del-br", "br-int");
    heard.clear();
  }

  @AfterEach
  void stopAgent() {
    if (agent != null) {
      agent.close();
    }
  }

  @Test
  void theHelloSaysWhatIsPluggedInAndEachChangeIsReportedWithinMilliseconds() throws Exception {
    ovs.vsctl("add-br", "br-int", "--", "set", "bridge", "br-int", "datapath_type=netdev");
    String web1 = plug("acme/web-1");
    startAgent();
    assertThat(awaitHello().getHello().getPorts().getPortsList()).extracting(HostedPort::getLogicalPort)
        .containsExactly("web-1");

    long t0 = System.nanoTime();
    plug("acme/web-2");
    Heard plugged = awaitPorts();
    long ms = TimeUnit.NANOSECONDS.toMillis(plugged.nanos() - t0);
    System.err.println("PortReportTest: add-port to the Ports message: " + ms + " ms");
    assertThat(ms).isLessThan(SOON.toMillis());
    assertThat(plugged.message().getPorts().getPortsList()).extracting(HostedPort::getLogicalPort)
        .containsExactly("web-1", "web-2");
    assertThat(plugged.message().getPorts().getPortsList()).allMatch(p -> p.getOfport() > 0 && p.getTenant().equals("acme"));

    t0 = System.nanoTime();
    ovs.vsctl("del-port", "br-int", web1);
    Heard unplugged = awaitPorts();
    assertThat(TimeUnit.NANOSECONDS.toMillis(unplugged.nanos() - t0)).isLessThan(SOON.toMillis());
    assertThat(unplugged.message().getPorts().getPortsList()).extracting(HostedPort::getLogicalPort)
        .containsExactly("web-2");
  }

  @Test
  void aRestartedOvsdbServerMakesNoPartialListAndChangesAfterItAreReported() throws Exception {
    ovs.vsctl("add-br", "br-int", "--", "set", "bridge", "br-int", "datapath_type=netdev");
    plug("acme/db-1");
    plug("acme/db-2");
    startAgent();
    awaitHello();
    ovs.restartDatabase(Duration.ofMillis(300));
    plug("acme/db-3");
    Heard after = awaitPorts();
    assertThat(after.message().getPorts().getPortsList()).extracting(HostedPort::getLogicalPort)
        .containsExactly("db-1", "db-2", "db-3");
    assertThat(heard).as("nothing else was said across the restart").isEmpty();
  }

  @Test
  void anAgentStartedAgainReadsTheTableAgain() throws Exception {
    // What a kill -9 leaves is what a stop leaves here: OVS as it was, and an agent that knows nothing.
    ovs.vsctl("add-br", "br-int", "--", "set", "bridge", "br-int", "datapath_type=netdev");
    plug("globex/www-1");
    startAgent();
    awaitHello();
    agent.close();
    agent = null;
    plug("globex/www-2");
    heard.clear();
    startAgent();
    assertThat(awaitHello().getHello().getPorts().getPortsList()).extracting(HostedPort::getLogicalPort)
        .containsExactly("www-1", "www-2");
  }

  private void startAgent() throws Exception {
    agent = TenetAgent.start(AgentConfig.from(ConfigFactory.load(ConfigFactory.parseString("""
        tenet.agent { chassis = "hv-test", tunnel-ip = "192.0.2.1", controllers = ["127.0.0.1:%d"],
          encapsulations = [GENEVE], reconnect { min = 50ms, max = 200ms },
          ovs { rundir = "%s", bfd = false, audit-interval = 1h, vif-reread-interval = 1h } }"""
        .formatted(controller.port(), ovs.dir())))));
  }

  /** A VM's port (a netdev-dummy one: no kernel device), plugged in as a cloud does: one transaction. */
  private String plug(String ifaceId) throws IOException {
    String name = "vm" + (++vms);
    ovs.vsctl("add-port", "br-int", name, "--", "set", "interface", name, "type=dummy",
        "external_ids:iface-id=" + ifaceId);
    return name;
  }

  private AgentMessage awaitHello() throws InterruptedException {
    Heard h = heard.poll(20, TimeUnit.SECONDS);
    assertThat(h).as("a hello within 20 s").isNotNull();
    assertThat(h.message().hasHello()).as("the first message is a hello: " + h.message()).isTrue();
    return h.message();
  }

  /** The next message, which must be a Ports list, within 10 s. */
  private Heard awaitPorts() throws InterruptedException {
    Heard h = heard.poll(10, TimeUnit.SECONDS);
    assertThat(h).as("a Ports message within 10 s").isNotNull();
    assertThat(h.message().hasPorts()).as("a Ports message: " + h.message()).isTrue();
    return h;
  }
}
