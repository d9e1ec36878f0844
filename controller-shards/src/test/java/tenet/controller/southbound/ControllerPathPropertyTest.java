package tenet.controller.southbound;

import tenet.southbound.WireFlows;
import static org.assertj.core.api.Assertions.assertThat;
import static tenet.api.Resources.createOp;
import static tenet.api.Resources.metadata;

import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tenet.agent.v1.Flow;
import tenet.agent.v1.HostedPort;
import tenet.api.v1.DeleteRequest;
import tenet.api.v1.LogicalRouter;
import tenet.api.v1.LogicalRouterPort;
import tenet.api.v1.LogicalSwitch;
import tenet.api.v1.LogicalSwitchPort;
import tenet.api.v1.NorthboundGrpc;
import tenet.api.v1.ObjectRef;
import tenet.api.v1.Resource;
import tenet.api.v1.Tenant;
import tenet.api.v1.TxnOp;
import tenet.api.v1.TxnRequest;
import tenet.api.v1.UpdateRequest;
import tenet.compiler.oracle.Oracle;
import tenet.compiler.specialize.OpenFlowRule;
import tenet.controller.TenetController;
import tenet.rpc.GrpcEndpoints;
import tenet.store.core.StoreState;
import tenet.store.model.ResourceKey;

/**
 * The path the controllers take, property-tested: a random log of northbound writes and of
 * agents plugging, moving and unplugging ports and reconnecting, against one real controller
 * (store, node compiler, sessions, real southbound streams). Every few steps each agent must come
 * to hold exactly, flow by flow, what a full compile of the store as it is then gives its
 * chassis, and none may ever have been sent an update it could not apply.
 */
class ControllerPathPropertyTest {
  private static final String[] TENANTS = {"t", "u"};
  private static final String[] SWITCHES = {"s1", "s2", "s3"};
  private static final String[] SUBNETS = {"10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"};
  private static final String[] ROUTERS = {"r1", "r2"};
  private static final String[] PORTS = {"p1", "p2", "p3", "p4", "p5"};
  private static final String[] CHASSIS = {"hv1", "hv2", "hv3"};
  private static final String[] GATEWAYS = {"", "", "", "hv1", "hv3", "hv9"};
  private static final int STEPS = 120;
  private static final int CHECK_EVERY = 6;

  @TempDir
  Path dir;

  @Test
  void everyAgentHoldsWhatAFullCompileGivesItsChassis() throws Exception {
    long seed = Long.getLong("tenet.seed", new SplittableRandom().nextLong());
    System.out.println("ControllerPathPropertyTest seed " + seed + " (-Dtenet.seed=" + seed + " replays it)");
    SplittableRandom r = new SplittableRandom(seed);
    try (TenetController controller = start()) {
      ManagedChannel channel = GrpcEndpoints.channel("127.0.0.1:" + controller.apiPort());
      var nb = NorthboundGrpc.newBlockingStub(channel);
      List<StreamAgent> agents = new ArrayList<>();
      try {
        TxnRequest.Builder tenants = TxnRequest.newBuilder();
        for (String t : TENANTS) {
          tenants.addOps(createOp(Resource.newBuilder().setTenant(Tenant.newBuilder().setMetadata(metadata(t, t))).build()));
        }
        nb.txn(tenants.build());
        for (int c = 0; c < CHASSIS.length; c++) {
          StreamAgent agent = new StreamAgent(CHASSIS[c], "192.0.2." + (c + 1), channel);
          agent.connect();
          agents.add(agent);
        }
        Map<String, Integer> pluggedAt = new HashMap<>(); // "tenant/port" -> agent
        int checks = 0;
        for (int step = 1; step <= STEPS; step++) {
          String what = step(r, nb, agents, pluggedAt);
          if (step % CHECK_EVERY == 0 || step == STEPS) {
            awaitEveryAgentHoldsItsSet(controller, agents, "seed " + seed + ", step " + step + " (" + what + ")");
            checks++;
          }
        }
        assertThat(checks).isEqualTo(STEPS / CHECK_EVERY);

        // Not vacuous whatever the seed (one ran 120 steps without a bound port at any check): a
        // switch and a port of a tenant of their own, plugged in on hv1 next to what it hosts.
        nb.txn(TxnRequest.newBuilder()
            .addOps(createOp(Resource.newBuilder().setTenant(Tenant.newBuilder().setMetadata(metadata("v", "v"))).build()))
            .addOps(createOp(Resource.newBuilder().setLogicalSwitch(LogicalSwitch.newBuilder()
                .setMetadata(metadata("v", "s")).addSubnets("10.9.0.0/24")).build()))
            .addOps(createOp(Resource.newBuilder().setLogicalSwitchPort(LogicalSwitchPort.newBuilder()
                .setMetadata(metadata("v", "p")).setLogicalSwitch("s").setMac("02:00:00:00:09:0a")
                .addIps("10.9.0.10")).build()))
            .build());
        List<HostedPort> onFirst = new ArrayList<>(hostedOn(pluggedAt, 0));
        onFirst.add(HostedPort.newBuilder().setTenant("v").setLogicalPort("p").setOfport(99).build());
        agents.get(0).plug(onFirst);
        awaitEveryAgentHoldsItsSet(controller, agents, "seed " + seed + ", a port of its own plugged in on hv1");
        assertThat(agents.get(0).flows()).as("hv1 with a port bound").hasSizeGreaterThan(20);
      } finally {
        agents.forEach(StreamAgent::close);
        channel.shutdownNow();
      }
    }
  }

  private static String step(SplittableRandom r, NorthboundGrpc.NorthboundBlockingStub nb, List<StreamAgent> agents,
      Map<String, Integer> pluggedAt) {
    switch (r.nextInt(10)) {
      case 0, 1, 2 -> {
        // Plug, move or unplug one port; a port is plugged on one agent at most.
        String port = pick(r, TENANTS) + "/" + pick(r, PORTS);
        Integer from = pluggedAt.remove(port);
        int to = r.nextInt(agents.size() + 1);
        if (to < agents.size()) {
          pluggedAt.put(port, to);
        }
        Set<Integer> touched = new HashSet<>();
        if (from != null) {
          touched.add(from);
        }
        if (to < agents.size()) {
          touched.add(to);
        }
        for (int a : touched) {
          agents.get(a).plug(hostedOn(pluggedAt, a));
        }
        return "port " + port + " from " + from + " to " + to;
      }
      case 3 -> {
        StreamAgent agent = agents.get(r.nextInt(agents.size()));
        boolean sayHeld = r.nextBoolean();
        agent.connect(sayHeld);
        return "agent " + agent.chassis + " reconnects" + (sayHeld ? " saying which flows it holds" : "");
      }
      default -> {
        TxnRequest.Builder txn = TxnRequest.newBuilder();
        int ops = 1 + r.nextInt(3);
        for (int i = 0; i < ops; i++) {
          txn.addOps(randomOp(r));
        }
        try {
          nb.txn(txn.build());
          return "txn " + txn.getOpsList().toString().replace('\n', ' ');
        } catch (io.grpc.StatusRuntimeException refused) {
          return "refused txn";
        }
      }
    }
  }

  /** The ports plugged in on agent {@code a}, as it reports them. */
  private static List<HostedPort> hostedOn(Map<String, Integer> pluggedAt, int a) {
    List<HostedPort> hosted = new ArrayList<>();
    pluggedAt.forEach((p, at) -> {
      if (at == a) {
        String[] tp = p.split("/");
        hosted.add(HostedPort.newBuilder().setTenant(tp[0]).setLogicalPort(tp[1])
            .setOfport(10 + List.of(PORTS).indexOf(tp[1]) + 10 * List.of(TENANTS).indexOf(tp[0])).build());
      }
    });
    return hosted;
  }

  private static void awaitEveryAgentHoldsItsSet(TenetController controller, List<StreamAgent> agents, String where) {
    Map<String, Map<Long, Flow>> expected = new HashMap<>();
    try {
      Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
        expected.clear();
        expected.putAll(controller.store().stateMachine().read(ControllerPathPropertyTest::fullCompile));
        return agents.stream().allMatch(a -> a.flows().equals(expected.getOrDefault(a.chassis, Map.of())));
      });
    } catch (ConditionTimeoutException e) {
      for (StreamAgent a : agents) {
        Map<Long, Flow> want = expected.getOrDefault(a.chassis, Map.of());
        Map<Long, Flow> has = a.flows();
        Set<Flow> missing = new HashSet<>(want.values());
        missing.removeAll(has.values());
        Set<Flow> extra = new HashSet<>(has.values());
        extra.removeAll(want.values());
        assertThat(missing).as("%s lacks, at %s (and has more: %s)", a.chassis, where, extra).isEmpty();
        assertThat(extra).as("%s has more, at %s", a.chassis, where).isEmpty();
      }
      throw e;
    }
    for (StreamAgent a : agents) {
      assertThat(a.violations()).as("%s, at %s", a.chassis, where).isEmpty();
    }
  }

  /**
   * What each registered chassis should hold, as the agent holds it (wire flows by cookie), by the
   * naive oracle: none of the engine's placement, spans or slices.
   */
  private static Map<String, Map<Long, Flow>> fullCompile(StoreState state) {
    Map<String, Map<Long, Flow>> out = new HashMap<>();
    for (var chassis : Oracle.everyChassis(state).entrySet()) {
      Map<Long, Flow> flows = new HashMap<>();
      for (OpenFlowRule rule : chassis.getValue()) {
        Flow f = WireFlows.of(rule);
        flows.put(f.getCookie(), f);
      }
      out.put(chassis.getKey(), flows);
    }
    return out;
  }

  private TenetController start() throws Exception {
    return LoneController.start(dir, "");
  }

  private static <T> T pick(SplittableRandom r, T[] values) {
    return values[r.nextInt(values.length)];
  }

  private static TxnOp randomOp(SplittableRandom r) {
    String t = pick(r, TENANTS);
    int sw = r.nextInt(SWITCHES.length);
    Resource res = switch (r.nextInt(6)) {
      case 0 -> Resource.newBuilder().setLogicalSwitch(LogicalSwitch.newBuilder().setMetadata(metadata(t, SWITCHES[sw]))
          .addSubnets(SUBNETS[sw])).build();
      case 1, 2 -> {
        int host = 10 + r.nextInt(3);
        yield Resource.newBuilder().setLogicalSwitchPort(LogicalSwitchPort.newBuilder()
            .setMetadata(metadata(t, pick(r, PORTS))).setLogicalSwitch(SWITCHES[sw])
            .setMac(String.format("02:00:00:00:%02x:%02x", sw + 1, host))
            .addIps(SUBNETS[sw].replace("0/24", Integer.toString(host)))).build();
      }
      case 3 -> Resource.newBuilder().setLogicalRouter(LogicalRouter.newBuilder().setMetadata(metadata(t, pick(r, ROUTERS))))
          .build();
      default -> {
        String router = pick(r, ROUTERS);
        yield Resource.newBuilder().setLogicalRouterPort(LogicalRouterPort.newBuilder()
            .setMetadata(metadata(t, router + "-" + SWITCHES[sw])).setLogicalRouter(router).setLogicalSwitch(SWITCHES[sw])
            .setMac(String.format("02:00:00:00:ff:%02x", sw + 1)).addNetworks(SUBNETS[sw].replace("0/24", "1/24"))
            .setGatewayChassis(pick(r, GATEWAYS))).build();
      }
    };
    ResourceKey key = ResourceKey.of(res);
    return switch (r.nextInt(8)) {
      case 0, 1, 2, 3, 4 -> createOp(res);
      case 5, 6 -> TxnOp.newBuilder().setUpdate(UpdateRequest.newBuilder().setResource(res)).build();
      default -> TxnOp.newBuilder().setDelete(DeleteRequest.newBuilder().setRef(ObjectRef.newBuilder()
          .setKind(key.kind()).setTenant(key.tenant()).setName(key.name()))).build();
    };
  }
}
