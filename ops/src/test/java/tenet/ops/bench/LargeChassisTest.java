package tenet.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static tenet.api.Resources.createOp;
import static tenet.api.Resources.metadata;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tenet.agent.v1.Flow;
import tenet.agent.v1.HostedPort;
import tenet.api.v1.ChassisSync;
import tenet.api.v1.ChassisSyncRequest;
import tenet.api.v1.FabricGrpc;
import tenet.api.v1.LogicalRouter;
import tenet.api.v1.LogicalRouterPort;
import tenet.api.v1.LogicalSwitch;
import tenet.api.v1.LogicalSwitchPort;
import tenet.api.v1.NorthboundGrpc;
import tenet.api.v1.Resource;
import tenet.api.v1.Tenant;
import tenet.api.v1.TxnRequest;

/**
 * No size ceiling: three real controllers, and a chassis whose ports span every datapath of
 * 16,000 ports, over 250,000 flows. Its agent's stream is on another controller than its chassis
 * entity, and it converges; then one transaction adds 1,000 ports, which the first agent plugs in,
 * and both agents (on different controllers) get their flows.
 */
class LargeChassisTest {
  private static final int TENANTS = 400;
  private static final int SWITCHES = 4;
  private static final int PORTS_PER_SWITCH = 10;
  private static final int ADDED = 1000;

  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
  Path dir;

  @Test
  void aChassisOfAQuarterMillionFlowsConvergesAndAThousandPortChangeReachesEveryAgent() throws Exception {
    Children children = new Children();
    List<InMemoryAgent> agents = new ArrayList<>();
    try (TenetCluster cluster = TenetCluster.start(3, dir, new Ports(), children, "large", Duration.ofSeconds(90))) {
      List<List<HostedPort>> hosted = List.of(new ArrayList<>(), new ArrayList<>());
      for (int from = 0; from < TENANTS; from += 50) {
        write(cluster, tenants(from, Math.min(TENANTS, from + 50), hosted));
      }
      // hv0's stream goes to a controller that does not hold hv0's entity.
      String owner = sync(cluster, 0, "hv0").getOwnerNode();
      int streamNode = owner.equals("c1") ? 1 : 0;
      InMemoryAgent hv0 = new InMemoryAgent("hv0", "192.0.2.10", hosted.get(0), cluster::channel, 3, streamNode);
      InMemoryAgent hv1 = new InMemoryAgent("hv1", "192.0.2.11", hosted.get(1), cluster::channel, 3, (streamNode + 1) % 3);
      agents.add(hv0);
      agents.add(hv1);
      agents.forEach(InMemoryAgent::connect);

      awaitConverged(cluster, agents, Duration.ofMinutes(3));
      ChassisSync big = sync(cluster, 0, "hv0");
      System.out.printf("hv0: %d flows over %d datapaths, stream on %s, entity on %s%n", big.getFlows(),
          big.getDatapaths(), big.getStreamNode(), big.getOwnerNode());
      assertThat(big.getFlows()).isGreaterThanOrEqualTo(250_000);
      assertThat(big.getStreamNode()).isNotEqualTo(big.getOwnerNode());
      // Its 14,400 ports are bound in writes of Registration.MAX_PORT_OPS: the first set holds the
      // first ones, and the change that binds more at once than southbound.max-waiting-rules
      // comes as a second full set. No more: a set too big to send would be asked for again.
      assertThat(hv0.fullSets()).isBetween(1, 2);

      // One transaction of 1,000 ports; hv0 plugs them all in.
      TxnRequest.Builder more = TxnRequest.newBuilder();
      List<HostedPort> plugged = new ArrayList<>(hosted.get(0));
      List<String> macs = new ArrayList<>();
      for (int n = 0; n < ADDED; n++) {
        int t = n % TENANTS;
        int s = (n / TENANTS) % SWITCHES;
        int host = 100 + n / (TENANTS * SWITCHES);
        String name = "x" + n;
        String mac = String.format("02:aa:00:%02x:%02x:%02x", n >> 16 & 0xff, n >> 8 & 0xff, n & 0xff);
        macs.add(mac);
        more.addOps(createOp(port("t" + t, name, s, mac, "10." + (t / 64) + "." + (t % 64 * 4 + s) + "." + host)));
        plugged.add(HostedPort.newBuilder().setTenant("t" + t).setLogicalPort(name).setOfport(20_000 + n).build());
      }
      write(cluster, more.build());
      hv0.plug(plugged);
      // The controllers answer while their compilers work on the change: until the agents hold it,
      // a status can be that of the set before it.
      Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        for (InMemoryAgent agent : agents) {
          String matches = agent.flows().stream().map(Flow::getMatch).collect(Collectors.joining("\n"));
          for (String mac : macs) {
            assertThat(matches).as("%s has a flow for %s", agent.chassis, mac).contains(mac);
          }
        }
      });
      awaitConverged(cluster, agents, Duration.ofMinutes(2));
      for (InMemoryAgent agent : agents) {
        assertThat(agent.violations()).as(agent.chassis).isEmpty();
      }
    } finally {
      agents.forEach(InMemoryAgent::close);
      children.stopAll();
    }
  }

  /** Every agent acked what its stream has for it, holds as many flows as it says, and nothing waits. */
  private static void awaitConverged(TenetCluster cluster, List<InMemoryAgent> agents, Duration timeout) {
    Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
      Map<String, ChassisSync> status = FabricGrpc.newBlockingStub(cluster.channel(2))
          .withDeadlineAfter(10, TimeUnit.SECONDS).chassisSync(ChassisSyncRequest.getDefaultInstance())
          .getChassisList().stream().collect(Collectors.toMap(ChassisSync::getChassis, Function.identity()));
      for (InMemoryAgent agent : agents) {
        ChassisSync s = status.get(agent.chassis);
        assertThat(s.getComplete()).as(agent.chassis + " complete").isTrue();
        assertThat(s.getAppliedVersion()).as(agent.chassis + " applied").isEqualTo(s.getDesiredVersion());
        assertThat(agent.version()).as(agent.chassis + " agent's version").isEqualTo(s.getAppliedVersion());
        assertThat(agent.flows()).as(agent.chassis + " flows").hasSize(s.getFlows());
      }
    });
  }

  /** Tenants as bench compile makes them, without bindings: the agents report where ports are. */
  private static TxnRequest tenants(int from, int to, List<List<HostedPort>> hosted) {
    TxnRequest.Builder txn = TxnRequest.newBuilder();
    for (int t = from; t < to; t++) {
      String tenant = "t" + t;
      txn.addOps(createOp(Resource.newBuilder().setTenant(Tenant.newBuilder().setMetadata(metadata(tenant, tenant))).build()));
      txn.addOps(createOp(Resource.newBuilder().setLogicalRouter(LogicalRouter.newBuilder().setMetadata(metadata(tenant, "r")))
          .build()));
      for (int s = 0; s < SWITCHES; s++) {
        String subnet = "10." + (t / 64) + "." + (t % 64 * 4 + s);
        txn.addOps(createOp(Resource.newBuilder().setLogicalSwitch(LogicalSwitch.newBuilder()
            .setMetadata(metadata(tenant, "s" + s)).addSubnets(subnet + ".0/24")).build()));
        txn.addOps(createOp(Resource.newBuilder().setLogicalRouterPort(LogicalRouterPort.newBuilder()
            .setMetadata(metadata(tenant, "r-s" + s)).setLogicalRouter("r").setLogicalSwitch("s" + s)
            .setMac(String.format("02:ff:00:%02x:%02x:%02x", t >> 8, t & 0xff, s)).addNetworks(subnet + ".1/24")).build()));
        for (int p = 0; p < PORTS_PER_SWITCH; p++) {
          String name = "vm" + s + "-" + p;
          txn.addOps(createOp(port(tenant, name, s, String.format("02:00:%02x:%02x:%02x:%02x", t >> 8, t & 0xff, s, p),
              subnet + "." + (10 + p))));
          // hv0 holds nine ports of each switch: a chassis gets the port security and ACLs of its own ports only.
          List<HostedPort> on = hosted.get(p == 0 ? 1 : 0);
          on.add(HostedPort.newBuilder().setTenant(tenant).setLogicalPort(name).setOfport(on.size() + 1).build());
        }
      }
    }
    return txn.build();
  }

  private static Resource port(String tenant, String name, int s, String mac, String ip) {
    return Resource.newBuilder().setLogicalSwitchPort(LogicalSwitchPort.newBuilder().setMetadata(metadata(tenant, name))
        .setLogicalSwitch("s" + s).setMac(mac).addIps(ip)).build();
  }

  private static ChassisSync sync(TenetCluster cluster, int node, String chassis) {
    return FabricGrpc.newBlockingStub(cluster.channel(node)).withDeadlineAfter(10, TimeUnit.SECONDS)
        .chassisSync(ChassisSyncRequest.newBuilder().setChassis(chassis).build()).getChassis(0);
  }

  private static void write(TenetCluster cluster, TxnRequest txn) {
    NorthboundGrpc.newBlockingStub(cluster.channel(0)).withDeadlineAfter(60, TimeUnit.SECONDS).txn(txn);
  }
}
