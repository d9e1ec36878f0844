package tenet.store.core;

import static org.assertj.core.api.Assertions.assertThat;
import static tenet.store.core.Fixtures.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tenet.api.v1.Kind;
import tenet.api.v1.Resource;
import tenet.api.v1.TxnOp;
import tenet.api.v1.TxnRequest;
import tenet.store.core.net.Cidr;
import tenet.store.core.net.IpAddress;
import tenet.store.core.net.IpInterface;
import tenet.store.model.References;
import tenet.store.model.ResourceKey;
import tenet.api.Resources;
import tenet.store.snapshot.SnapshotCodec;

/**
 * Random transactions over a small universe of names and addresses, so that they collide often:
 * after every step the store's invariants hold, a refusal changed nothing, planning is
 * deterministic, and the derived indexes equal those rebuilt from a snapshot. A failure names
 * the seed and step; rerun one seed with -Dtenet.seed=N.
 */
class StoreInvariantsTest {
  private static final String[] TENANTS = {"a", "b"};
  private static final String[] SWITCHES = {"s1", "s2", "s3"};
  private static final String[] SUBNETS = {"10.0.0.0/24", "10.0.1.0/24", "10.0.0.0/16", "fd00::/64"};
  private static final String[] PORTS = {"p1", "p2", "p3", "p4"};
  private static final String[] IPS = {"10.0.0.5", "10.0.0.6", "10.0.1.5", "10.0.2.9", "fd00::5"};
  private static final String[] MACS = {"02:00:00:00:00:01", "02:00:00:00:00:02", "02:00:00:00:00:03"};
  private static final String[] NETWORKS = {"10.0.0.1/24", "10.0.1.1/24", "10.0.0.1/16", "fd00::1/64"};
  private static final String[] CHASSIS = {"h1", "h2"};

  @Test
  void invariantsHoldAfterEveryStepOfRandomTransactions() {
    long only = Long.getLong("tenet.seed", -1);
    int accepted = 0;
    int rejected = 0;
    for (long seed = only >= 0 ? only : 0; seed < (only >= 0 ? only + 1 : 300); seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      StoreState state = new StoreState();
      for (int step = 0; step < 60; step++) {
        TxnRequest txn = randomTxn(random, state);
        String where = "seed " + seed + " step " + step + ": " + txn;
        byte[] before = bytes(state);
        PlanResult first = plan(state, txn);
        assertThat(plan(state, txn)).as("deterministic, %s", where).isEqualTo(first);
        assertThat(bytes(state)).as("planning changes nothing, %s", where).isEqualTo(before);
        if (first instanceof PlanResult.Accepted a) {
          state.commit(a.plan());
          accepted++;
          for (Change c : a.plan().changes()) {
            if (c.after() != null) {
              assertThat(Resources.metadata(c.after()).getRevision()).as(where).isEqualTo(state.revision());
            }
          }
        } else {
          rejected++;
        }
        checkInvariants(state, where);
      }
    }
    // The generator must exercise both outcomes, or the test proves little.
    System.out.printf("random transactions: %d accepted, %d refused%n", accepted, rejected);
    assertThat(accepted).isGreaterThan(2500);
    assertThat(rejected).isGreaterThan(2500);
  }

  private static byte[] bytes(StoreState s) {
    return SnapshotCodec.fromState(s, 0, 0).toByteArray();
  }

  private static void checkInvariants(StoreState state, String where) {
    StoreState rebuilt = SnapshotCodec.toState(SnapshotCodec.fromState(state, 0, 0));
    Set<Integer> tunnelKeys = new HashSet<>();
    Map<ResourceKey, Set<Integer>> portKeys = new HashMap<>();
    for (var e : state.objects().entrySet()) {
      Resource r = e.getValue();
      assertThat(ResourceKey.of(r)).as(where).isEqualTo(e.getKey());
      for (References.Reference ref : References.of(r)) {
        assertThat(state.get(ref.target())).as("%s refers to missing %s, %s", e.getKey(), ref.target(), where).isPresent();
      }
      assertThat(state.referrers(e.getKey())).as("referrer index, %s", where).isEqualTo(rebuilt.referrers(e.getKey()));
      Keys.tunnelKey(r).ifPresent(k -> assertThat(tunnelKeys.add(k)).as("tunnel key %s twice, %s", k, where).isTrue());
      if (Keys.isDatapath(r)) {
        assertThat(Keys.tunnelKey(r)).as("datapath without tunnel key, %s", where).isPresent();
      }
      for (Keys.PortKey pk : Keys.portKeys(r)) {
        assertThat(portKeys.computeIfAbsent(pk.datapath(), d -> new HashSet<>()).add(pk.key()))
            .as("port key %s twice, %s", pk, where).isTrue();
      }
      assertThat(Keys.portKeys(r)).as("every port key allocated, %s", where).hasSameSizeAs(Keys.portDatapaths(r));
      if (r.hasLogicalSwitchPort()) {
        var port = r.getLogicalSwitchPort();
        List<Cidr> subnets = state.get(new ResourceKey(Kind.LOGICAL_SWITCH, e.getKey().tenant(), port.getLogicalSwitch()))
            .orElseThrow().getLogicalSwitch().getSubnetsList().stream().map(Cidr::parse).toList();
        for (String ip : port.getIpsList()) {
          assertThat(subnets.stream().anyMatch(c -> c.contains(IpAddress.parse(ip)))).as("%s outside, %s", ip, where).isTrue();
        }
      }
    }
    for (var router : state.objects().keySet().stream().filter(k -> k.kind() == Kind.LOGICAL_ROUTER).toList()) {
      List<Cidr> nets = new ArrayList<>();
      for (ResourceKey k : state.referrers(router)) {
        if (k.kind() == Kind.LOGICAL_ROUTER_PORT) {
          state.get(k).orElseThrow().getLogicalRouterPort().getNetworksList()
              .forEach(n -> nets.add(IpInterface.parse(n).subnet()));
        }
      }
      for (int i = 0; i < nets.size(); i++) {
        for (int j = i + 1; j < nets.size(); j++) {
          assertThat(nets.get(i).overlaps(nets.get(j))).as("router %s overlaps, %s", router, where).isFalse();
        }
      }
    }
  }

  private static <T> T pick(SplittableRandom r, T[] values) {
    return values[r.nextInt(values.length)];
  }

  private static TxnRequest randomTxn(SplittableRandom r, StoreState state) {
    List<TxnOp> ops = new ArrayList<>();
    int n = r.nextInt(10) < 7 ? 1 : 2 + r.nextInt(2);
    for (int i = 0; i < n; i++) {
      ops.add(randomOp(r, state));
    }
    return TxnRequest.newBuilder().addAllOps(ops).build();
  }

  private static TxnOp randomOp(SplittableRandom r, StoreState state) {
    String t = pick(r, TENANTS);
    if (state.get(ResourceKey.tenant(t)).isEmpty() && r.nextBoolean()) {
      return create(tenant(t));
    }
    Resource res = switch (r.nextInt(8)) {
      case 0 -> tenant(t);
      case 1 -> ls(t, pick(r, SWITCHES), r.nextBoolean() ? new String[] {pick(r, SUBNETS)} : new String[] {pick(r, SUBNETS), pick(r, SUBNETS)});
      case 2, 3 -> lsp(t, pick(r, PORTS), pick(r, SWITCHES), pick(r, MACS), r.nextBoolean() ? new String[] {pick(r, IPS)} : new String[] {});
      case 4 -> lr(t, "r1");
      case 5 -> lrp(t, "r1-" + pick(r, SWITCHES), "r1", pick(r, SWITCHES), pick(r, MACS), pick(r, NETWORKS));
      case 6 -> chassis(pick(r, CHASSIS), "192.0.2." + (1 + r.nextInt(2)));
      default -> binding(t, pick(r, PORTS), pick(r, CHASSIS));
    };
    ResourceKey key = ResourceKey.of(res);
    if (res.hasTenant()) {
      key = ResourceKey.tenant(t);
    }
    long current = state.get(key).map(x -> Resources.metadata(x).getRevision()).orElse(0L);
    return switch (r.nextInt(8)) {
      case 0, 1, 2, 3 -> create(res);
      case 4, 5 -> update(res, r.nextBoolean() ? 0 : current - r.nextInt(2));
      default -> delete(key.kind(), key.tenant(), key.name(), r.nextInt(4) == 0 ? current + 1 : 0);
    };
  }
}
