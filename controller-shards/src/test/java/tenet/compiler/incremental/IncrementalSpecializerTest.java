package tenet.compiler.incremental;

import static tenet.api.Resources.createOp;
import static tenet.api.Resources.metadata;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tenet.api.v1.Chassis;
import tenet.api.v1.DeleteRequest;
import tenet.api.v1.Encapsulation;
import tenet.api.v1.Kind;
import tenet.api.v1.LogicalRouter;
import tenet.api.v1.LogicalRouterPort;
import tenet.api.v1.LogicalSwitch;
import tenet.api.v1.LogicalSwitchPort;
import tenet.api.v1.Metadata;
import tenet.api.v1.ObjectRef;
import tenet.api.v1.PortBinding;
import tenet.api.v1.Resource;
import tenet.api.v1.Tenant;
import tenet.api.v1.TxnOp;
import tenet.api.v1.TxnRequest;
import tenet.api.v1.UpdateRequest;
import tenet.compiler.input.ChassisViews;
import tenet.compiler.logical.LogicalFlow;
import tenet.compiler.specialize.OpenFlowRule;
import tenet.compiler.specialize.Specializer;
import tenet.compiler.Topologies;
import tenet.store.core.Plan;
import tenet.store.core.StoreState;
import tenet.store.model.ResourceKey;

/**
 * Random topologies, placements and changes (switches, ports, routers and their ports, gateway
 * ports, bindings
 * moving and plugging in, chassis coming, going and changing tunnel address and encapsulations
 * (Geneve, VXLAN or both), one to three
 * operations a transaction): after every committed step each chassis' rules, kept by the
 * incremental specializer, equal {@link Specializer} on its full view, and the deltas it reported
 * turn every chassis' previous rules into the new ones. Rerun one seed with -Dtenet.seed=N.
 */
class IncrementalSpecializerTest {
  private static final String[] TENANTS = {"t", "u"};
  private static final String[] SWITCHES = {"s1", "s2", "s3"};
  private static final String[] SUBNETS = {"10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"};
  private static final String[] ROUTERS = {"r1", "r2"};
  private static final String[] PORTS = {"p1", "p2", "p3", "p4", "p5"};
  private static final String[] CHASSIS = {"hv1", "hv2", "hv3"};
  /** A router port's gateway chassis: none mostly, a chassis that may come and go, one never registered. */
  private static final String[] GATEWAYS = {"", "", "", "hv1", "hv3", "hv9"};
  @SuppressWarnings("unchecked")
  private static final List<Encapsulation>[] TUNNELS = new List[] {
      List.of(Encapsulation.GENEVE), List.of(Encapsulation.GENEVE), List.of(Encapsulation.VXLAN),
      List.of(Encapsulation.GENEVE, Encapsulation.VXLAN)};

  @Test
  void incrementalEqualsFullSpecializationAfterEveryStep() {
    long only = Long.getLong("tenet.seed", -1);
    int steps = 0;
    int deltasSeen = 0;
    for (long seed = only >= 0 ? only : 0; seed < (only >= 0 ? only + 1 : 60); seed++) {
      SplittableRandom r = new SplittableRandom(seed);
      StoreState state = new StoreState();
      TxnRequest.Builder tenants = TxnRequest.newBuilder();
      for (String t : TENANTS) {
        tenants.addOps(createOp(Resource.newBuilder().setTenant(Tenant.newBuilder().setMetadata(metadata(t, t))).build()));
      }
      commit(state, tenants.build(), 0);
      IncrementalSpecializer incremental = IncrementalSpecializer.full(state);
      Map<String, Set<OpenFlowRule>> replica = new TreeMap<>();
      for (int step = 0; step < 200; step++) {
        TxnRequest.Builder txn = TxnRequest.newBuilder();
        int ops = 1 + (r.nextInt(3) == 0 ? r.nextInt(3) : 0);
        for (int i = 0; i < ops; i++) {
          txn.addOps(randomOp(r));
        }
        Plan plan = commit(state, txn.build(), step + 1);
        if (plan == null) {
          continue;
        }
        steps++;
        Map<String, ChassisDelta> deltas = incremental.apply(state, plan.changes());
        deltasSeen += deltas.size();
        deltas.forEach((chassis, d) -> {
          assertThat(Collections.disjoint(d.added(), d.removed())).as("added and removed overlap").isTrue();
          Set<OpenFlowRule> set = replica.computeIfAbsent(chassis, k -> new HashSet<>());
          set.removeAll(d.removed());
          set.addAll(d.added());
        });
        String where = "seed " + seed + " step " + step + ": " + txn.getOpsList();
        Map<ResourceKey, List<LogicalFlow>> logical = LogicalCompiler.full(state).flows();
        for (String chassis : CHASSIS) {
          Set<OpenFlowRule> full = fullSpecialization(state, logical, chassis);
          assertSame("incremental", incremental.rules(chassis), full, chassis + ", " + where);
          assertSame("deltas applied", replica.getOrDefault(chassis, Set.of()), full, chassis + ", " + where);
        }
        assertThat(IncrementalSpecializer.full(state).ruleCount()).as("rule count, %s", where)
            .isEqualTo(incremental.ruleCount());
      }
    }
    assertThat(steps).as("committed steps").isGreaterThan(2000);
    assertThat(deltasSeen).as("chassis deltas reported").isGreaterThan(800);
  }

  private static void assertSame(String what, Set<OpenFlowRule> actual, Set<OpenFlowRule> full, String where) {
    Set<OpenFlowRule> missing = new HashSet<>(full);
    missing.removeAll(actual);
    Set<OpenFlowRule> extra = new HashSet<>(actual);
    extra.removeAll(full);
    assertThat(missing).as("%s lacks, for %s (and has more: %s)", what, where, extra).isEmpty();
    assertThat(extra).as("%s has more, for %s", what, where).isEmpty();
  }

  /** What the specializer makes of the chassis' whole view: its span's logical flows and its own rules. */
  private static Set<OpenFlowRule> fullSpecialization(StoreState state, Map<ResourceKey, List<LogicalFlow>> logical,
      String chassis) {
    return ChassisViews.from(state, chassis).map(view -> {
      List<LogicalFlow> flows = new ArrayList<>();
      ChassisViews.span(state, chassis).forEach(dp -> flows.addAll(logical.getOrDefault(dp, List.of())));
      return (Set<OpenFlowRule>) new HashSet<>(Specializer.specialize(flows, view));
    }).orElse(Set.of());
  }

  private static Plan commit(StoreState state, TxnRequest txn, int step) {
    return Topologies.commit(state, txn, "id-" + step);
  }


  private static <T> T pick(SplittableRandom r, T[] values) {
    return values[r.nextInt(values.length)];
  }


  private static TxnOp randomOp(SplittableRandom r) {
    String t = pick(r, TENANTS);
    int sw = r.nextInt(SWITCHES.length);
    Resource res = switch (r.nextInt(10)) {
      case 0 -> Resource.newBuilder().setLogicalSwitch(LogicalSwitch.newBuilder().setMetadata(metadata(t, SWITCHES[sw]))
          .addSubnets(SUBNETS[sw])).build();
      case 1, 2 -> {
        int host = 10 + r.nextInt(3);
        yield Resource.newBuilder().setLogicalSwitchPort(LogicalSwitchPort.newBuilder().setMetadata(metadata(t, pick(r, PORTS)))
            .setLogicalSwitch(SWITCHES[sw]).setMac(String.format("02:00:00:00:%02x:%02x", sw + 1, host))
            .addIps(SUBNETS[sw].replace("0/24", Integer.toString(host)))).build();
      }
      case 3 -> Resource.newBuilder().setLogicalRouter(LogicalRouter.newBuilder().setMetadata(metadata(t, pick(r, ROUTERS)))).build();
      case 4 -> {
        String router = pick(r, ROUTERS);
        yield Resource.newBuilder().setLogicalRouterPort(LogicalRouterPort.newBuilder()
            .setMetadata(metadata(t, router + "-" + SWITCHES[sw])).setLogicalRouter(router).setLogicalSwitch(SWITCHES[sw])
            .setMac(String.format("02:00:00:00:ff:%02x", sw + 1)).addNetworks(SUBNETS[sw].replace("0/24", "1/24"))
            .setGatewayChassis(pick(r, GATEWAYS))).build();
      }
      case 5, 6, 7 -> {
        String port = pick(r, PORTS);
        yield Resource.newBuilder().setPortBinding(PortBinding.newBuilder().setMetadata(metadata(t, port)).setLogicalPort(port)
            .setChassis(pick(r, CHASSIS)).setOfport(r.nextInt(3))).build();
      }
      default -> {
        int c = r.nextInt(CHASSIS.length);
        // Tunnel addresses move, but two chassis never share one: views name a peer by its address.
        yield Resource.newBuilder().setChassis(Chassis.newBuilder()
            .setMetadata(Metadata.newBuilder().setName(CHASSIS[c])).setHostname(CHASSIS[c])
            .setTunnelIp("192.0.2." + (10 * (c + 1) + r.nextInt(3))).addAllEncapsulations(pick(r, TUNNELS))).build();
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
