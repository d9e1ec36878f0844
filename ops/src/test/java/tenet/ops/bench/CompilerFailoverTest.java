package tenet.ops.bench;

import static tenet.api.Resources.createOp;
import static tenet.api.Resources.metadata;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tenet.agent.v1.Flow;
import tenet.agent.v1.HostedPort;
import tenet.api.v1.ChassisSync;
import tenet.api.v1.ChassisSyncRequest;
import tenet.api.v1.FabricGrpc;
import tenet.api.v1.Kind;
import tenet.api.v1.ListRequest;
import tenet.api.v1.ListResponse;
import tenet.api.v1.LogicalRouter;
import tenet.api.v1.LogicalRouterPort;
import tenet.api.v1.LogicalSwitch;
import tenet.api.v1.LogicalSwitchPort;
import tenet.api.v1.NorthboundGrpc;
import tenet.api.v1.Resource;
import tenet.api.v1.Tenant;
import tenet.api.v1.TxnRequest;
import tenet.compiler.incremental.LogicalCompiler;
import tenet.compiler.input.ChassisViews;
import tenet.compiler.logical.LogicalFlow;
import tenet.compiler.specialize.OpenFlowRule;
import tenet.compiler.specialize.Specializer;
import tenet.southbound.WireFlows;
import tenet.store.core.StoreState;
import tenet.store.model.ResourceKey;

/**
 * Three real tenet-controller processes, six agents (in memory) spread over them. While ports
 * keep being added, the controller serving the most agents' streams is killed with SIGKILL: the
 * agents it served reconnect to the others, which serve them from their own compiler at once, so
 * a change made right after the kill reaches every chassis within 2 s; every agent ends with
 * exactly the flows a full compile of the final state gives, having never been sent a delta on a
 * version it did not hold. Then the killed node restarts and serves again.
 */
class CompilerFailoverTest {
  private static final int CHASSIS = 6;

  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
  Path dir;

  @Test
  void killingAControllerMovesItsChassisAndNoAgentMissesAnUpdate() throws Exception {
    Children children = new Children();
    List<InMemoryAgent> agents = new ArrayList<>();
    // -Dtenet.test.controller-config='compiler { ... }' runs it with other timing (docs/operations.md).
    String extra = System.getProperty("tenet.test.controller-config", "");
    try (TenetCluster cluster = TenetCluster.start(3, dir, new Ports(), children, "compile", Duration.ofSeconds(90), extra)) {
      write(cluster, 0, topology());
      for (int c = 1; c <= CHASSIS; c++) {
        List<HostedPort> hosted = new ArrayList<>();
        for (int p = c; p <= 12; p += CHASSIS) {
          hosted.add(HostedPort.newBuilder().setTenant("acme").setLogicalPort("p" + p).setOfport(p).build());
        }
        hosted.add(HostedPort.newBuilder().setTenant("beta").setLogicalPort("q" + c).setOfport(100 + c).build());
        InMemoryAgent agent = new InMemoryAgent("hv" + c, "192.0.2." + c, hosted, cluster::channel, 3, c % 3);
        agents.add(agent);
        agent.connect();
      }
      awaitConverged(cluster, agents, 0, Duration.ofSeconds(90));

      // Each stream's node as its session reported it (every 2 s, and on each change).
      Map<String, Long> owners = new HashMap<>();
      Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
        owners.clear();
        for (ChassisSync s : sync(cluster, 0)) {
          assertThat(s.getStreamNode()).as(s.getChassis() + "'s stream").isNotEmpty();
          owners.merge(s.getStreamNode(), 1L, Long::sum);
        }
      });
      String victimId = owners.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
      int victim = Integer.parseInt(victimId.substring(1)) - 1;
      int survivor = (victim + 1) % 3;

      // Ports keep coming while the controller dies; each lands on one chassis and changes
      // the flows of all (the switch and router are everywhere).
      Thread writer = Thread.ofVirtual().start(() -> {
        for (int p = 13; p <= 40; p++) {
          write(cluster, survivor, TxnRequest.newBuilder().addOps(createOp(port("acme", "p" + p, p % 2 == 0 ? "s1" : "s2", p))).build());
          sleep(250);
        }
      });
      sleep(1000);
      long killedAt = System.nanoTime();
      cluster.kill(victim);
      // One write right after the kill reaches every chassis (all of them host acme ports): the
      // time until every agent holds it is the failover time.
      write(cluster, survivor, TxnRequest.newBuilder().addOps(createOp(port("acme", "p99", "s1", 99))).build());
      Awaitility.await().pollInterval(Duration.ofMillis(50))
          .atMost(Duration.ofSeconds(extra.isEmpty() ? 60 : 120))
          .conditionEvaluationListener(c -> {
            if (c.getRemainingTimeInMS() < 100) {
              agents.forEach(a -> System.out.printf("%s: version %d from %s, controller %d, %d updates%n",
                  a.chassis, a.version(), a.servedBy(), a.controller(), a.updates()));
              sync(cluster, survivor).forEach(st -> System.out.println(st.toString().replace('\n', ' ')));
            }
          })
          .until(() -> agents.stream().allMatch(a -> knows(a, "10.0.1.109")));
      double failover = (System.nanoTime() - killedAt) / 1e9;
      System.out.printf("compiler failover: every chassis served again %.1f s after kill -9 of %s%n", failover, victimId);
      if (extra.isEmpty()) {
        assertThat(failover).isLessThan(2.0);
      }

      writer.join(Duration.ofSeconds(60));
      assertThat(writer.isAlive()).isFalse();
      awaitConverged(cluster, agents, survivor, Duration.ofSeconds(60));
      for (InMemoryAgent agent : agents) {
        assertThat(agent.violations()).as(agent.chassis).isEmpty();
      }

      cluster.restartAndAwaitRejoined(victim, Duration.ofSeconds(60));
      // The restarted node is a member again: it answers for every chassis, wherever they live.
      Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
          .until(() -> sync(cluster, victim).stream().allMatch(s -> s.getConnected()
              && s.getAppliedVersion() == s.getDesiredVersion()));
      agents.forEach(InMemoryAgent::close);
    } finally {
      agents.forEach(InMemoryAgent::close);
      children.stopAll();
    }
  }

  /** Until every agent holds what a full compile of the store gives it, and says so. */
  private static void awaitConverged(TenetCluster cluster, List<InMemoryAgent> agents, int node, Duration timeout) {
    Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(200)).ignoreExceptions().untilAsserted(() -> {
      StoreState state = read(cluster, node);
      for (InMemoryAgent agent : agents) {
        Set<Flow> want = expected(state, agent.chassis);
        Set<Flow> have = agent.flows();
        assertThat(difference(have, want)).as("%s (version %d, from %s) has flows it should not", agent.chassis,
            agent.version(), agent.servedBy()).isEmpty();
        assertThat(difference(want, have)).as("%s (version %d, from %s) lacks flows", agent.chassis,
            agent.version(), agent.servedBy()).isEmpty();
      }
      for (ChassisSync s : sync(cluster, node)) {
        assertThat(s.getAppliedVersion()).as(s.getChassis() + " applied").isEqualTo(s.getDesiredVersion());
      }
    });
  }

  /** Whether the agent has a flow naming {@code ip} (p99's: the switch answers ARP for it everywhere). */
  private static boolean knows(InMemoryAgent agent, String ip) {
    return agent.flows().stream().anyMatch(f -> f.getMatch().contains(ip));
  }

  private static List<String> difference(Set<Flow> a, Set<Flow> b) {
    return a.stream().filter(f -> !b.contains(f))
        .map(f -> "table=" + f.getTable() + ",priority=" + f.getPriority() + "," + f.getMatch() + " " + f.getActions())
        .sorted().limit(8).toList();
  }

  private static Set<Flow> expected(StoreState state, String chassis) {
    List<LogicalFlow> logical = new ArrayList<>();
    for (ResourceKey dp : ChassisViews.span(state, chassis)) {
      logical.addAll(LogicalCompiler.configOf(state, dp).compile());
    }
    Set<Flow> out = new HashSet<>();
    for (OpenFlowRule r : Specializer.specialize(logical, ChassisViews.from(state, chassis).orElseThrow())) {
      out.add(WireFlows.of(r));
    }
    return out;
  }

  private static List<ChassisSync> sync(TenetCluster cluster, int node) {
    return FabricGrpc.newBlockingStub(cluster.channel(node)).withDeadlineAfter(10, TimeUnit.SECONDS)
        .chassisSync(ChassisSyncRequest.getDefaultInstance()).getChassisList();
  }

  /** The whole desired state, kind by kind (nothing else writes meanwhile). */
  private static StoreState read(TenetCluster cluster, int node) {
    List<Resource> all = new ArrayList<>();
    long revision = 0;
    var stub = NorthboundGrpc.newBlockingStub(cluster.channel(node));
    for (Kind kind : Kind.values()) {
      if (kind == Kind.KIND_UNSPECIFIED || kind == Kind.UNRECOGNIZED) {
        continue;
      }
      String token = "";
      do {
        ListResponse page = stub.withDeadlineAfter(10, TimeUnit.SECONDS)
            .list(ListRequest.newBuilder().setKind(kind).setPageSize(5000).setPageToken(token).build());
        all.addAll(page.getItemsList());
        revision = Math.max(revision, page.getRevision());
        token = page.getNextPageToken();
      } while (!token.isEmpty());
    }
    return StoreState.of(revision, all);
  }

  private static TxnRequest topology() {
    TxnRequest.Builder txn = TxnRequest.newBuilder();
    for (String tenant : List.of("acme", "beta")) {
      txn.addOps(createOp(Resource.newBuilder().setTenant(Tenant.newBuilder().setMetadata(metadata(tenant, tenant))).build()));
      txn.addOps(createOp(Resource.newBuilder().setLogicalSwitch(LogicalSwitch.newBuilder()
          .setMetadata(metadata(tenant, "s1")).addSubnets("10.0.1.0/24")).build()));
    }
    txn.addOps(createOp(Resource.newBuilder().setLogicalSwitch(LogicalSwitch.newBuilder()
        .setMetadata(metadata("acme", "s2")).addSubnets("10.0.2.0/24")).build()));
    txn.addOps(createOp(Resource.newBuilder().setLogicalRouter(LogicalRouter.newBuilder().setMetadata(metadata("acme", "r"))).build()));
    for (int s = 1; s <= 2; s++) {
      txn.addOps(createOp(Resource.newBuilder().setLogicalRouterPort(LogicalRouterPort.newBuilder()
          .setMetadata(metadata("acme", "r-s" + s)).setLogicalRouter("r").setLogicalSwitch("s" + s)
          .setMac("02:00:00:00:ff:0" + s).addNetworks("10.0." + s + ".1/24")).build()));
    }
    for (int p = 1; p <= 12; p++) {
      txn.addOps(createOp(port("acme", "p" + p, p <= 6 ? "s1" : "s2", p)));
    }
    for (int q = 1; q <= CHASSIS; q++) {
      txn.addOps(createOp(port("beta", "q" + q, "s1", q))); // the same addresses as acme's s1
    }
    return txn.build();
  }

  private static Resource port(String tenant, String name, String sw, int n) {
    String subnet = sw.equals("s1") ? "1" : "2";
    return Resource.newBuilder().setLogicalSwitchPort(LogicalSwitchPort.newBuilder().setMetadata(metadata(tenant, name))
        .setLogicalSwitch(sw).setMac(String.format("02:00:00:00:%02x:%02x", Integer.parseInt(subnet), n))
        .addIps("10.0." + subnet + "." + (10 + n))).build();
  }



  private static long write(TenetCluster cluster, int node, TxnRequest txn) {
    return NorthboundGrpc.newBlockingStub(cluster.channel(node)).withDeadlineAfter(30, TimeUnit.SECONDS).txn(txn)
        .getRevision();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
