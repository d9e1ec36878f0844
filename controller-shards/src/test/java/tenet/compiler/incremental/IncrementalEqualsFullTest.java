package tenet.compiler.incremental;

import static tenet.api.Resources.createOp;
import static tenet.api.Resources.metadata;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tenet.api.v1.AclAction;
import tenet.api.v1.AclRule;
import tenet.api.v1.DeleteRequest;
import tenet.api.v1.Direction;
import tenet.api.v1.IpProtocol;
import tenet.api.v1.Kind;
import tenet.api.v1.LabelSelector;
import tenet.api.v1.LogicalRouter;
import tenet.api.v1.LogicalRouterPort;
import tenet.api.v1.LogicalSwitch;
import tenet.api.v1.LogicalSwitchPort;
import tenet.api.v1.NatRule;
import tenet.api.v1.NatType;
import tenet.api.v1.ObjectRef;
import tenet.api.v1.Resource;
import tenet.api.v1.SecurityGroup;
import tenet.api.v1.StaticRoute;
import tenet.api.v1.Tenant;
import tenet.api.v1.TxnOp;
import tenet.api.v1.TxnRequest;
import tenet.api.v1.UpdateRequest;
import tenet.compiler.Topologies;
import tenet.compiler.logical.LogicalFlow;
import tenet.store.core.StoreState;
import tenet.store.model.ResourceKey;

/**
 * OVN's CHECK_NO_CHANGE_AFTER_RECOMPUTE as a property: random topologies and random changes;
 * after every committed step the incremental compiler's flows equal a full recompute, and the
 * deltas it reported turn the previous flows into the new ones. Rerun one seed with
 * -Dtenet.seed=N.
 */
class IncrementalEqualsFullTest {
  private static final String[] SWITCHES = {"s1", "s2", "s3"};
  private static final String[] SUBNETS = {"10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"};
  private static final String[] PORTS = {"p1", "p2", "p3", "p4", "p5"};
  private static final String[] APPS = {"web", "db"};
  private static final String[] GATEWAYS = {"", "hv1", "hv2"};

  @Test
  void incrementalEqualsFullRecomputeAfterEveryStep() {
    long only = Long.getLong("tenet.seed", -1);
    int steps = 0;
    int deltasSeen = 0;
    for (long seed = only >= 0 ? only : 0; seed < (only >= 0 ? only + 1 : 80); seed++) {
      SplittableRandom r = new SplittableRandom(seed);
      StoreState state = new StoreState();
      commit(state, TxnRequest.newBuilder().addOps(createOp(Resource.newBuilder().setTenant(Tenant.newBuilder()
          .setMetadata(metadata("t", "t"))).build())).build(), 0);
      LogicalCompiler incremental = LogicalCompiler.full(state);
      Map<ResourceKey, Set<LogicalFlow>> replica = copy(incremental.flows());
      for (int step = 0; step < 80; step++) {
        TxnRequest txn = TxnRequest.newBuilder().addOps(randomOp(r, state)).build();
        var plan = commit(state, txn, step + 1);
        if (plan == null) {
          continue;
        }
        steps++;
        Map<ResourceKey, FlowDelta> deltas = incremental.apply(state, plan.changes());
        deltasSeen += deltas.size();
        deltas.forEach((dp, d) -> {
          Set<LogicalFlow> set = replica.computeIfAbsent(dp, k -> new HashSet<>());
          set.removeAll(d.removed());
          set.addAll(d.added());
          if (set.isEmpty()) {
            replica.remove(dp);
          }
        });
        Map<ResourceKey, List<LogicalFlow>> full = LogicalCompiler.full(state).flows();
        String where = "seed " + seed + " step " + step + ": " + txn.getOps(0);
        assertThat(incremental.flows()).as("incremental == full, %s", where).isEqualTo(full);
        assertThat(replica).as("deltas applied == full, %s", where).isEqualTo(copy(full));
      }
    }
    assertThat(steps).as("committed steps").isGreaterThan(1000);
    assertThat(deltasSeen).as("deltas reported").isGreaterThan(1000);
  }

  private static Map<ResourceKey, Set<LogicalFlow>> copy(Map<ResourceKey, List<LogicalFlow>> flows) {
    Map<ResourceKey, Set<LogicalFlow>> out = new TreeMap<>();
    flows.forEach((k, v) -> out.put(k, new HashSet<>(v)));
    return out;
  }

  private static tenet.store.core.Plan commit(StoreState state, TxnRequest txn, int step) {
    return Topologies.commit(state, txn, "id-" + step);
  }


  private static <T> T pick(SplittableRandom r, T[] values) {
    return values[r.nextInt(values.length)];
  }


  private static TxnOp randomOp(SplittableRandom r, StoreState state) {
    int sw = r.nextInt(SWITCHES.length);
    Resource res = switch (r.nextInt(9)) {
      case 0 -> Resource.newBuilder().setLogicalSwitch(LogicalSwitch.newBuilder().setMetadata(metadata("t", SWITCHES[sw]))
          .addSubnets(SUBNETS[sw])).build();
      case 1, 2, 3 -> {
        String port = pick(r, PORTS);
        int host = 10 + r.nextInt(3);
        yield Resource.newBuilder().setLogicalSwitchPort(LogicalSwitchPort.newBuilder()
            .setMetadata(metadata("t", port).toBuilder().putLabels("app", pick(r, APPS)))
            .setLogicalSwitch(SWITCHES[sw]).setMac(String.format("02:00:00:00:%02x:%02x", sw + 1, host))
            .addIps(SUBNETS[sw].replace("0/24", Integer.toString(host)))).build();
      }
      case 4 -> Resource.newBuilder().setLogicalRouter(LogicalRouter.newBuilder().setMetadata(metadata("t", "r"))).build();
      // A gateway port (on one of two chassis) or not: NAT rules need one on their network. Mostly
      // s1's, so that NAT rules find one; now and then another's, which a second one refuses.
      case 5 -> Resource.newBuilder().setLogicalRouterPort(LogicalRouterPort.newBuilder()
          .setMetadata(metadata("t", "r-" + SWITCHES[sw])).setLogicalRouter("r").setLogicalSwitch(SWITCHES[sw])
          .setMac(String.format("02:00:00:00:ff:%02x", sw + 1)).addNetworks(SUBNETS[sw].replace("0/24", "1/24"))
          .setGatewayChassis(sw == 0 || r.nextInt(4) == 0 ? pick(r, GATEWAYS) : "")).build();
      case 6 -> Resource.newBuilder().setStaticRoute(StaticRoute.newBuilder().setMetadata(metadata("t", "default"))
          .setLogicalRouter("r").setPrefix("0.0.0.0/0").setNexthop(SUBNETS[sw].replace("0/24", "10"))).build();
      // NAT on s1's network mostly, where the gateway mostly is: a floating IP for an address on
      // another switch, or SNAT to the router's own address.
      case 7 -> {
        int ext = r.nextInt(4) == 0 ? sw : 0;
        yield r.nextBoolean()
            ? Resource.newBuilder().setNatRule(NatRule.newBuilder().setMetadata(metadata("t", "out"))
                .setLogicalRouter("r").setType(NatType.SNAT).setExternalIp(SUBNETS[ext].replace("0/24", "1"))
                .setLogicalIp("10.0.0.0/8")).build()
            : Resource.newBuilder().setNatRule(NatRule.newBuilder().setMetadata(metadata("t", "fip"))
                .setLogicalRouter("r").setType(NatType.DNAT_AND_SNAT).setExternalIp(SUBNETS[ext].replace("0/24", "50"))
                .setLogicalIp(SUBNETS[(ext + 1) % SUBNETS.length].replace("0/24", Integer.toString(10 + r.nextInt(3)))))
                .build();
      }
      default -> Resource.newBuilder().setSecurityGroup(SecurityGroup.newBuilder().setMetadata(metadata("t", "sg"))
          .setPortSelector(LabelSelector.newBuilder().setExpression("app=" + pick(r, APPS)))
          .addRules(AclRule.newBuilder().setDirection(Direction.INGRESS).setPriority(10)
              .setAction(AclAction.ALLOW_RELATED).setProtocol(IpProtocol.TCP).setPortMin(80)
              .setRemoteSelector(LabelSelector.newBuilder().setExpression("app=" + pick(r, APPS))))).build();
    };
    ResourceKey key = ResourceKey.of(res);
    return switch (r.nextInt(6)) {
      case 0, 1, 2 -> createOp(res);
      case 3, 4 -> TxnOp.newBuilder().setUpdate(UpdateRequest.newBuilder().setResource(res)).build();
      default -> TxnOp.newBuilder().setDelete(DeleteRequest.newBuilder().setRef(ObjectRef.newBuilder()
          .setKind(key.kind()).setTenant(key.tenant()).setName(key.name()))).build();
    };
  }

}
