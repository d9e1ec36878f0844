package tenet.store.core;

import com.google.protobuf.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tenet.api.v1.Chassis;
import tenet.api.v1.CreateRequest;
import tenet.api.v1.DeleteRequest;
import tenet.api.v1.Encapsulation;
import tenet.api.v1.Kind;
import tenet.api.v1.LogicalRouter;
import tenet.api.v1.LogicalRouterPort;
import tenet.api.v1.LogicalSwitch;
import tenet.api.v1.LogicalSwitchPort;
import tenet.api.v1.Metadata;
import tenet.api.v1.NatRule;
import tenet.api.v1.NatType;
import tenet.api.v1.ObjectRef;
import tenet.api.v1.PortBinding;
import tenet.api.v1.Resource;
import tenet.api.v1.StaticRoute;
import tenet.api.v1.Tenant;
import tenet.api.v1.TxnOp;
import tenet.api.v1.TxnRequest;
import tenet.api.v1.UpdateRequest;

/** Builders for test topologies, in the words of the API. */
public final class Fixtures {
  public static final Timestamp T0 = Timestamp.newBuilder().setSeconds(1_700_000_000).build();

  private Fixtures() {}

  public static Metadata md(String tenant, String name) {
    return Metadata.newBuilder().setTenant(tenant).setName(name).build();
  }

  public static Metadata md(String tenant, String name, Map<String, String> labels) {
    return md(tenant, name).toBuilder().putAllLabels(labels).build();
  }

  public static Resource tenant(String name) {
    return Resource.newBuilder().setTenant(Tenant.newBuilder().setMetadata(md(name, name))).build();
  }

  public static Resource ls(String tenant, String name, String... subnets) {
    return Resource.newBuilder().setLogicalSwitch(LogicalSwitch.newBuilder().setMetadata(md(tenant, name))
        .addAllSubnets(List.of(subnets))).build();
  }

  public static Resource lsp(String tenant, String name, String sw, String mac, String... ips) {
    return Resource.newBuilder().setLogicalSwitchPort(LogicalSwitchPort.newBuilder().setMetadata(md(tenant, name))
        .setLogicalSwitch(sw).setMac(mac).addAllIps(List.of(ips))).build();
  }

  public static Resource lr(String tenant, String name) {
    return Resource.newBuilder().setLogicalRouter(LogicalRouter.newBuilder().setMetadata(md(tenant, name))).build();
  }

  public static Resource lrp(String tenant, String name, String router, String sw, String mac, String... networks) {
    return Resource.newBuilder().setLogicalRouterPort(LogicalRouterPort.newBuilder().setMetadata(md(tenant, name))
        .setLogicalRouter(router).setLogicalSwitch(sw).setMac(mac).addAllNetworks(List.of(networks))).build();
  }

  /** A router port that is its router's gateway port, resident on chassis {@code gateway}. */
  public static Resource gatewayLrp(String tenant, String name, String router, String sw, String mac, String gateway,
      String... networks) {
    Resource r = lrp(tenant, name, router, sw, mac, networks);
    return r.toBuilder().setLogicalRouterPort(r.getLogicalRouterPort().toBuilder().setGatewayChassis(gateway)).build();
  }

  public static Resource snat(String tenant, String name, String router, String externalIp, String logicalCidr) {
    return Resource.newBuilder().setNatRule(NatRule.newBuilder().setMetadata(md(tenant, name)).setLogicalRouter(router)
        .setType(NatType.SNAT).setExternalIp(externalIp).setLogicalIp(logicalCidr)).build();
  }

  public static Resource route(String tenant, String name, String router, String prefix, String nexthop) {
    return Resource.newBuilder().setStaticRoute(StaticRoute.newBuilder().setMetadata(md(tenant, name))
        .setLogicalRouter(router).setPrefix(prefix).setNexthop(nexthop)).build();
  }

  public static Resource chassis(String name, String tunnelIp) {
    return Resource.newBuilder().setChassis(Chassis.newBuilder().setMetadata(md("", name))
        .setHostname(name).setTunnelIp(tunnelIp).addEncapsulations(Encapsulation.GENEVE)).build();
  }

  public static Resource binding(String tenant, String port, String chassis) {
    return Resource.newBuilder().setPortBinding(PortBinding.newBuilder().setMetadata(md(tenant, port))
        .setLogicalPort(port).setChassis(chassis)).build();
  }

  public static TxnOp create(Resource r) {
    return TxnOp.newBuilder().setCreate(CreateRequest.newBuilder().setResource(r)).build();
  }

  public static TxnOp update(Resource r, long expectedRevision) {
    return TxnOp.newBuilder().setUpdate(UpdateRequest.newBuilder().setResource(r).setExpectedRevision(expectedRevision)).build();
  }

  public static TxnOp delete(Kind kind, String tenant, String name, long expectedRevision) {
    return TxnOp.newBuilder().setDelete(DeleteRequest.newBuilder()
        .setRef(ObjectRef.newBuilder().setKind(kind).setTenant(tenant).setName(name))
        .setExpectedRevision(expectedRevision)).build();
  }

  public static TxnRequest txn(TxnOp... ops) {
    return TxnRequest.newBuilder().addAllOps(List.of(ops)).build();
  }

  /** Plans with deterministic ids ("id-<revision>-<n>"), as the leader would stamp them. */
  public static PlanResult plan(StoreState state, TxnRequest txn) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < TxnPlanner.createCount(txn); i++) {
      ids.add("id-" + (state.revision() + 1) + "-" + i);
    }
    return TxnPlanner.plan(state, txn, T0, ids);
  }

  /** Plans and commits; fails the test if the store refuses. */
  public static Plan apply(StoreState state, TxnOp... ops) {
    PlanResult result = plan(state, txn(ops));
    if (result instanceof PlanResult.Rejected r) {
      throw new AssertionError("refused: " + r.error().message());
    }
    Plan plan = ((PlanResult.Accepted) result).plan();
    state.commit(plan);
    return plan;
  }

  /** Tenant acme: switch web 10.0.1.0/24 with two ports, router edge attached to it. */
  public static StoreState acme() {
    StoreState s = new StoreState();
    apply(s, create(tenant("acme")),
        create(ls("acme", "web", "10.0.1.0/24", "fd00:1::/64")),
        create(ls("acme", "db", "10.0.2.0/24")),
        create(lsp("acme", "web-1", "web", "02:00:00:00:01:01", "10.0.1.11")),
        create(lsp("acme", "web-2", "web", "02:00:00:00:01:02", "10.0.1.12", "fd00:1::12")),
        create(lr("acme", "edge")),
        create(lrp("acme", "edge-web", "edge", "web", "02:00:00:00:ff:01", "10.0.1.1/24")),
        create(lrp("acme", "edge-db", "edge", "db", "02:00:00:00:ff:02", "10.0.2.1/24")));
    return s;
  }
}
