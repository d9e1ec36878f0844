package tenet.store.core;

import static org.assertj.core.api.Assertions.assertThat;
import static tenet.store.core.Fixtures.*;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tenet.api.v1.Kind;
import tenet.api.v1.PortType;
import tenet.api.v1.SriovFunction;
import tenet.api.v1.Resource;
import tenet.api.v1.TxnRequest;
import tenet.store.model.ResourceKey;

class TxnPlannerTest {

  private static StoreError refused(StoreState state, TxnRequest txn) {
    byte[] before = tenet.store.snapshot.SnapshotCodec.fromState(state, 0, 0).toByteArray();
    PlanResult result = plan(state, txn);
    assertThat(result).isInstanceOf(PlanResult.Rejected.class);
    // A refusal never changes the state it was planned against.
    assertThat(tenet.store.snapshot.SnapshotCodec.fromState(state, 0, 0).toByteArray()).isEqualTo(before);
    return ((PlanResult.Rejected) result).error();
  }

  private static StoreError.InvalidArgument invalid(StoreState state, TxnRequest txn) {
    StoreError e = refused(state, txn);
    assertThat(e).isInstanceOf(StoreError.InvalidArgument.class);
    return (StoreError.InvalidArgument) e;
  }

  @Test
  void createStampsMetadataAndAllocatesKeys() {
    StoreState s = acme();
    assertThat(s.revision()).isEqualTo(1);
    Resource web = s.get(new ResourceKey(Kind.LOGICAL_SWITCH, "acme", "web")).orElseThrow();
    assertThat(web.getLogicalSwitch().getMetadata().getId()).isEqualTo("id-1-1");
    assertThat(web.getLogicalSwitch().getMetadata().getRevision()).isEqualTo(1);
    assertThat(web.getLogicalSwitch().getMetadata().getCreateTime()).isEqualTo(T0);
    assertThat(web.getLogicalSwitch().getTunnelKey()).isEqualTo(1);
    assertThat(s.get(new ResourceKey(Kind.LOGICAL_SWITCH, "acme", "db")).orElseThrow().getLogicalSwitch().getTunnelKey()).isEqualTo(2);
    assertThat(s.get(new ResourceKey(Kind.LOGICAL_ROUTER, "acme", "edge")).orElseThrow().getLogicalRouter().getTunnelKey()).isEqualTo(3);
    assertThat(s.get(new ResourceKey(Kind.LOGICAL_SWITCH_PORT, "acme", "web-1")).orElseThrow().getLogicalSwitchPort().getPortKey()).isEqualTo(1);
    assertThat(s.get(new ResourceKey(Kind.LOGICAL_SWITCH_PORT, "acme", "web-2")).orElseThrow().getLogicalSwitchPort().getPortKey()).isEqualTo(2);
  }

  @Test
  void aRouterPortHasAKeyInItsRouterAndOneInItsSwitchSharedWithTheSwitchPorts() {
    StoreState s = acme();
    var edgeWeb = s.get(new ResourceKey(Kind.LOGICAL_ROUTER_PORT, "acme", "edge-web")).orElseThrow().getLogicalRouterPort();
    var edgeDb = s.get(new ResourceKey(Kind.LOGICAL_ROUTER_PORT, "acme", "edge-db")).orElseThrow().getLogicalRouterPort();
    assertThat(edgeWeb.getPortKey()).isEqualTo(1);
    assertThat(edgeDb.getPortKey()).isEqualTo(2);
    // web's ports web-1 and web-2 hold keys 1 and 2; the router is the switch's third port.
    assertThat(edgeWeb.getSwitchPortKey()).isEqualTo(3);
    assertThat(edgeDb.getSwitchPortKey()).isEqualTo(1);
    apply(s, create(lsp("acme", "web-3", "web", "02:00:00:00:01:03", "10.0.1.13")));
    assertThat(s.get(new ResourceKey(Kind.LOGICAL_SWITCH_PORT, "acme", "web-3")).orElseThrow()
        .getLogicalSwitchPort().getPortKey()).isEqualTo(4);
    apply(s, update(lrp("acme", "edge-web", "edge", "web", "02:00:00:00:ff:09", "10.0.1.1/24"), 0));
    assertThat(s.get(new ResourceKey(Kind.LOGICAL_ROUTER_PORT, "acme", "edge-web")).orElseThrow()
        .getLogicalRouterPort().getSwitchPortKey()).as("kept across updates").isEqualTo(3);
  }

  @Test
  void clientCannotChooseAllocatedKeys() {
    StoreState s = acme();
    Resource sneaky = ls("acme", "app", "10.0.3.0/24");
    sneaky = sneaky.toBuilder().setLogicalSwitch(sneaky.getLogicalSwitch().toBuilder().setTunnelKey(1)).build();
    apply(s, create(sneaky));
    assertThat(s.get(new ResourceKey(Kind.LOGICAL_SWITCH, "acme", "app")).orElseThrow().getLogicalSwitch().getTunnelKey()).isEqualTo(4);
  }

  @Test
  void tunnelKeysAreUniqueAcrossTenantsAndReusedAfterDelete() {
    StoreState s = acme();
    apply(s, create(tenant("globex")), create(ls("globex", "web", "10.0.1.0/24")));
    Set<Integer> keys = new HashSet<>();
    for (Resource r : s.objects().values()) {
      Keys.tunnelKey(r).ifPresent(k -> assertThat(keys.add(k)).as("duplicate tunnel key %s", k).isTrue());
    }
    assertThat(keys).hasSize(4);
    apply(s, delete(Kind.LOGICAL_SWITCH, "globex", "web", 0));
    apply(s, create(ls("globex", "app", "10.9.0.0/16")));
    assertThat(s.get(new ResourceKey(Kind.LOGICAL_SWITCH, "globex", "app")).orElseThrow().getLogicalSwitch().getTunnelKey()).isEqualTo(4);
  }

  @Test
  void tenantsMayReuseEachOthersAddressesButNotNames() {
    StoreState s = acme();
    apply(s, create(tenant("globex")),
        create(ls("globex", "web", "10.0.1.0/24")),
        create(lsp("globex", "web-1", "web", "02:00:00:00:01:01", "10.0.1.11")));
    assertThat(refused(s, txn(create(ls("acme", "web", "10.5.0.0/24")))))
        .isEqualTo(new StoreError.AlreadyExists(new ResourceKey(Kind.LOGICAL_SWITCH, "acme", "web")));
  }

  @Test
  void badFieldsAreAllReportedWithTheirPaths() {
    StoreState s = acme();
    var e = invalid(s, txn(create(lsp("acme", "bad port", "web", "01:00:5e:00:00:01", "10.0.1.300", "10.0.1.11"))));
    assertThat(e.violations()).extracting(Violation::field).containsExactly(
        "logical_switch_port.metadata.name", "logical_switch_port.mac", "logical_switch_port.ips[0]");
    assertThat(e.violations().get(1).description()).contains("multicast");
  }

  @Test
  void subnetsMustNotHaveHostBitsOrOverlap() {
    StoreState s = acme();
    var e = invalid(s, txn(create(ls("acme", "x", "10.1.0.5/24", "10.2.0.0/16", "10.2.3.0/24"))));
    assertThat(e.violations()).extracting(Violation::field)
        .containsExactly("logical_switch.subnets[0]", "logical_switch.subnets[2]");
  }

  @Test
  void portAddressesMustLieInsideTheSwitchSubnets() {
    StoreState s = acme();
    var e = invalid(s, txn(create(lsp("acme", "web-3", "web", "02:00:00:00:01:03", "10.0.2.5"))));
    assertThat(e.violations().get(0).field()).isEqualTo("logical_switch_port.ips[0]");
    assertThat(e.violations().get(0).description()).contains("outside the subnets").contains("logical_switch acme/web");
  }

  @Test
  void addressesAndMacsAreUniqueOnASwitch() {
    StoreState s = acme();
    var e = invalid(s, txn(create(lsp("acme", "web-3", "web", "02:00:00:00:01:01", "10.0.1.12", "10.0.1.1"))));
    assertThat(e.violations()).extracting(Violation::toString).containsExactly(
        "logical_switch_port.mac: 02:00:00:00:01:01 is already used by logical_switch_port acme/web-1 on the same switch",
        "logical_switch_port.ips[0]: 10.0.1.12 is already used by logical_switch_port acme/web-2",
        "logical_switch_port.ips[1]: 10.0.1.1 is the address of router port logical_router_port acme/edge-web");
  }

  @Test
  void routerSubnetsMustNotOverlap() {
    StoreState s = acme();
    apply(s, create(ls("acme", "wide", "10.0.0.0/16")));
    var e = invalid(s, txn(create(lrp("acme", "edge-wide", "edge", "wide", "02:00:00:00:ff:03", "10.0.0.1/16"))));
    assertThat(e.violations()).extracting(Violation::description)
        .anyMatch(d -> d.contains("overlaps 10.0.1.0/24 of logical_router_port acme/edge-web on the same router"));
  }

  @Test
  void referencesMustExist() {
    StoreState s = acme();
    StoreError e = refused(s, txn(create(lsp("acme", "p", "nope", "02:00:00:00:01:09"))));
    assertThat(e).isInstanceOf(StoreError.NotFound.class);
    assertThat(e.message()).isEqualTo(
        "logical_switch_port acme/p refers to logical_switch acme/nope (logical_switch), which does not exist");
    assertThat(refused(s, txn(create(ls("ghost", "web", "10.0.0.0/24")))).message())
        .contains("refers to tenant ghost");
  }

  @Test
  void deleteIsRefusedWhileReferencedAndNamesTheReferrer() {
    StoreState s = acme();
    StoreError e = refused(s, txn(delete(Kind.LOGICAL_SWITCH, "acme", "web", 0)));
    assertThat(e).isInstanceOf(StoreError.FailedPrecondition.class);
    assertThat(e.message()).isEqualTo(
        "cannot delete logical_switch acme/web: logical_switch_port acme/web-1 (and 2 more) still refers to it");
  }

  @Test
  void deletingReferrersAndTargetInOneTransactionWorksInAnyOrder() {
    StoreState s = acme();
    apply(s, delete(Kind.LOGICAL_SWITCH, "acme", "db", 0), delete(Kind.LOGICAL_ROUTER_PORT, "acme", "edge-db", 0));
    assertThat(s.get(new ResourceKey(Kind.LOGICAL_SWITCH, "acme", "db"))).isEmpty();
  }

  @Test
  void transactionsAreAtomic() {
    StoreState s = acme();
    StoreError e = refused(s, txn(create(ls("acme", "app", "10.0.3.0/24")), create(lsp("acme", "app-1", "app", "02:00:00:00:03:01", "10.9.9.9"))));
    assertThat(e).isInstanceOf(StoreError.InvalidArgument.class);
    assertThat(s.get(new ResourceKey(Kind.LOGICAL_SWITCH, "acme", "app"))).isEmpty();
    assertThat(s.revision()).isEqualTo(1);
  }

  @Test
  void updateChecksExpectedRevision() {
    StoreState s = acme();
    apply(s, update(ls("acme", "db", "10.0.2.0/24", "10.0.20.0/24"), 1));
    StoreError e = refused(s, txn(update(ls("acme", "db", "10.0.2.0/24"), 1)));
    assertThat(e).isEqualTo(new StoreError.RevisionConflict(new ResourceKey(Kind.LOGICAL_SWITCH, "acme", "db"), 1, 2));
  }

  @Test
  void updateKeepsIdentityAndAllocatedKeys() {
    StoreState s = acme();
    Resource before = s.get(new ResourceKey(Kind.LOGICAL_SWITCH_PORT, "acme", "web-1")).orElseThrow();
    apply(s, update(lsp("acme", "web-1", "web", "02:00:00:00:01:01", "10.0.1.21"), 0));
    Resource after = s.get(new ResourceKey(Kind.LOGICAL_SWITCH_PORT, "acme", "web-1")).orElseThrow();
    assertThat(after.getLogicalSwitchPort().getMetadata().getId()).isEqualTo(before.getLogicalSwitchPort().getMetadata().getId());
    assertThat(after.getLogicalSwitchPort().getMetadata().getCreateRevision()).isEqualTo(1);
    assertThat(after.getLogicalSwitchPort().getMetadata().getRevision()).isEqualTo(2);
    assertThat(after.getLogicalSwitchPort().getPortKey()).isEqualTo(before.getLogicalSwitchPort().getPortKey());
  }

  @Test
  void shrinkingASubnetUnderItsPortsIsRefused() {
    StoreState s = acme();
    var e = invalid(s, txn(update(ls("acme", "web", "10.0.1.0/28", "fd00:1::/64"), 0)));
    assertThat(e.violations()).extracting(Violation::field).contains("logical_router_port.networks[0]");
  }

  @Test
  void placementFieldsCannotChange() {
    StoreState s = acme();
    var e = invalid(s, txn(update(lsp("acme", "web-1", "db", "02:00:00:00:01:01", "10.0.2.11"), 0)));
    assertThat(e.violations().get(0).field()).isEqualTo("logical_switch_port.logical_switch");
  }

  @Test
  void staticRouteNexthopMustBeOnARouterNetwork() {
    StoreState s = acme();
    apply(s, create(route("acme", "default", "edge", "0.0.0.0/0", "10.0.1.254")));
    var e = invalid(s, txn(create(route("acme", "other", "edge", "192.168.0.0/16", "172.16.0.1"))));
    assertThat(e.violations().get(0).description()).contains("not inside any network of logical_router acme/edge");
  }

  @Test
  void bindingsReferToPortsAndChassis() {
    StoreState s = acme();
    apply(s, create(chassis("hv1", "192.0.2.1")), create(binding("acme", "web-1", "hv1")));
    StoreError e = refused(s, txn(delete(Kind.CHASSIS, "", "hv1", 0)));
    assertThat(e.message()).contains("port_binding acme/web-1 still refers to it");
    assertThat(refused(s, txn(create(binding("acme", "web-2", "hv9")))).message()).contains("chassis hv9");
  }

  @Test
  void twoChassisCannotShareATunnelAddress() {
    StoreState s = acme();
    apply(s, create(chassis("hv1", "192.0.2.1")));
    var e = invalid(s, txn(create(chassis("hv2", "192.0.2.1"))));
    assertThat(e.violations()).extracting(Violation::field).containsExactly("chassis.tunnel_ip");
    assertThat(e.violations().get(0).description()).contains("already the tunnel address of chassis hv1");
    apply(s, create(chassis("hv2", "192.0.2.2")));
  }

  @Test
  void twoRoutersOnASwitchCannotShareAnAddressOrMac() {
    StoreState s = acme();
    apply(s, create(lr("acme", "other")));
    var e = invalid(s, txn(create(lrp("acme", "other-web", "other", "web", "02:00:00:00:ff:01", "10.0.1.1/24"))));
    assertThat(e.violations()).extracting(Violation::field)
        .contains("logical_router_port.mac", "logical_router_port.networks[0]");
    apply(s, create(lrp("acme", "other-web", "other", "web", "02:00:00:00:ff:77", "10.0.1.2/24")));
  }

  @Test
  void aGatewayChassisIsANameNotAReference() {
    StoreState s = acme();
    apply(s, create(ls("acme", "uplink", "203.0.113.0/24")),
        create(gatewayLrp("acme", "edge-up", "edge", "uplink", "02:00:00:00:ff:03", "hv9", "203.0.113.10/24")));
    assertThat(s.get(new ResourceKey(Kind.LOGICAL_ROUTER_PORT, "acme", "edge-up")).orElseThrow()
        .getLogicalRouterPort().getGatewayChassis()).as("hv9 may register later").isEqualTo("hv9");
    apply(s, create(chassis("hv9", "192.0.2.9")));
    apply(s, delete(Kind.CHASSIS, "", "hv9", 0));
    var e = invalid(s, txn(update(gatewayLrp("acme", "edge-up", "edge", "uplink", "02:00:00:00:ff:03", "hv 9",
        "203.0.113.10/24"), 0)));
    assertThat(e.violations()).extracting(Violation::field).containsExactly("logical_router_port.gateway_chassis");
  }

  @Test
  void aRouterHasAtMostOneGatewayPort() {
    StoreState s = acme();
    apply(s, update(gatewayLrp("acme", "edge-web", "edge", "web", "02:00:00:00:ff:01", "hv1", "10.0.1.1/24"), 0));
    var e = invalid(s, txn(update(gatewayLrp("acme", "edge-db", "edge", "db", "02:00:00:00:ff:02", "hv2",
        "10.0.2.1/24"), 0)));
    assertThat(e.violations()).extracting(Violation::toString).containsExactly("logical_router_port.gateway_chassis: "
        + "logical_router acme/edge already has a gateway port, logical_router_port acme/edge-web: a router has at most one");
  }

  @Test
  void natNeedsTheRoutersGatewayPortOnTheNetworkOfItsExternalIp() {
    StoreState s = acme();
    apply(s, create(ls("acme", "uplink", "203.0.113.0/24")),
        create(lrp("acme", "edge-up", "edge", "uplink", "02:00:00:00:ff:03", "203.0.113.10/24")));
    var none = invalid(s, txn(create(snat("acme", "out", "edge", "203.0.113.10", "10.0.0.0/16"))));
    assertThat(none.violations()).extracting(Violation::toString).containsExactly("nat_rule.logical_router: "
        + "nat_rule acme/out: logical_router acme/edge has no gateway port, and NAT runs on the gateway chassis: "
        + "set gateway_chassis on the router port whose network holds 203.0.113.10");

    apply(s, update(gatewayLrp("acme", "edge-web", "edge", "web", "02:00:00:00:ff:01", "hv1", "10.0.1.1/24"), 0));
    var elsewhere = invalid(s, txn(create(snat("acme", "out", "edge", "203.0.113.10", "10.0.0.0/16"))));
    assertThat(elsewhere.violations()).extracting(Violation::toString).containsExactly("nat_rule.external_ip: "
        + "nat_rule acme/out: 203.0.113.10 is outside the networks [10.0.1.1/24] of logical_router_port acme/edge-web, "
        + "the gateway port of logical_router acme/edge");

    // Moving the gateway to the uplink port and adding the rule, in one transaction, in any order.
    apply(s, create(snat("acme", "out", "edge", "203.0.113.10", "10.0.0.0/16")),
        update(lrp("acme", "edge-web", "edge", "web", "02:00:00:00:ff:01", "10.0.1.1/24"), 0),
        update(gatewayLrp("acme", "edge-up", "edge", "uplink", "02:00:00:00:ff:03", "hv1", "203.0.113.10/24"), 0));
    // and the gateway cannot go while a rule needs it
    var orphaned = invalid(s, txn(update(lrp("acme", "edge-up", "edge", "uplink", "02:00:00:00:ff:03",
        "203.0.113.10/24"), 0)));
    assertThat(orphaned.violations()).extracting(Violation::field).containsExactly("nat_rule.logical_router");
    assertThat(orphaned.violations().get(0).description()).startsWith("nat_rule acme/out: ");
  }

  private static Resource vfPort(String tenant, String name, String sw, String mac, SriovFunction.Builder sriov) {
    var port = lsp(tenant, name, sw, mac).getLogicalSwitchPort().toBuilder().setType(PortType.SRIOV_VF);
    if (sriov != null) {
      port.setSriov(sriov);
    }
    return Resource.newBuilder().setLogicalSwitchPort(port).build();
  }

  private static Resource vfPort(String tenant, String name, String sw, String mac, String chassis, String pf,
      Integer vf) {
    var sriov = SriovFunction.newBuilder().setChassis(chassis).setPhysicalFunction(pf);
    if (vf != null) {
      sriov.setVf(vf);
    }
    return vfPort(tenant, name, sw, mac, sriov);
  }

  private static Resource sriovChassis(String name, String tunnelIp, int capacity) {
    return Resource.newBuilder().setChassis(chassis(name, tunnelIp).getChassis().toBuilder()
        .setSriovVfCapacity(capacity)).build();
  }

  @Test
  void aVirtualFunctionPortNamesItsChassisAndPhysicalFunction() {
    StoreState s = acme();
    var missing = invalid(s, txn(create(vfPort("acme", "vf-1", "web", "02:00:00:00:01:21", null))));
    assertThat(missing.violations()).extracting(Violation::field).containsExactly("logical_switch_port.sriov");
    var bad = invalid(s, txn(create(vfPort("acme", "vf-1", "web", "02:00:00:00:01:21", SriovFunction.newBuilder()
        .setChassis("hv 1").setPhysicalFunction("enp3s0f0/x").setVf(70000).setVlan(4095)))));
    assertThat(bad.violations()).extracting(Violation::field).containsExactly("logical_switch_port.sriov.chassis",
        "logical_switch_port.sriov.physical_function", "logical_switch_port.sriov.vf", "logical_switch_port.sriov.vlan");
    var vif = lsp("acme", "vif-1", "web", "02:00:00:00:01:22").getLogicalSwitchPort().toBuilder()
        .setSriov(SriovFunction.newBuilder().setChassis("hv1").setPhysicalFunction("enp3s0f0"));
    var notVf = invalid(s, txn(create(Resource.newBuilder().setLogicalSwitchPort(vif).build())));
    assertThat(notVf.violations()).extracting(Violation::toString).containsExactly("logical_switch_port.sriov: "
        + "only a port of type SRIOV_VF gets a VF: set type SRIOV_VF, or leave sriov out");
  }

  @Test
  void aChassisGivesEachVirtualFunctionOnceAndNoMoreThanItHas() {
    StoreState s = acme();
    assertThat(refused(s, txn(create(vfPort("acme", "vf-1", "web", "02:00:00:00:01:21", "hv1", "enp3s0f0", 0))))
        .message()).contains("chassis hv1").contains("sriov.chassis");
    apply(s, create(sriovChassis("hv1", "192.0.2.1", 2)), create(tenant("beta")), create(ls("beta", "web", "10.0.1.0/24")),
        create(vfPort("acme", "vf-1", "web", "02:00:00:00:01:21", "hv1", "enp3s0f0", 0)));
    var same = invalid(s, txn(create(vfPort("acme", "vf-2", "web", "02:00:00:00:01:22", "hv1", "enp3s0f0", 0))));
    assertThat(same.violations()).extracting(Violation::toString).containsExactly("logical_switch_port.sriov.vf: "
        + "VF 0 of enp3s0f0 on hv1 is already given to logical_switch_port acme/vf-1");
    var otherTenant = invalid(s, txn(create(vfPort("beta", "vf-2", "web", "02:00:00:00:01:22", "hv1", "enp3s0f0", 0))));
    assertThat(otherTenant.violations().get(0).description()).endsWith("is already given to another tenant's port");
    // The same index on another PF is another VF; an unset index is the agent's to pick.
    apply(s, create(vfPort("beta", "vf-2", "web", "02:00:00:00:01:22", "hv1", "enp3s0f1", 0)));
    var full = invalid(s, txn(create(vfPort("acme", "vf-3", "web", "02:00:00:00:01:23", "hv1", "enp3s0f0", null))));
    assertThat(full.violations()).extracting(Violation::toString).containsExactly("logical_switch_port.sriov.chassis: "
        + "hv1 has 2 VFs (its sriov_vf_capacity), and 3 ports would have one");
    // A chassis that shrinks keeps its registration (its agent reports the hardware), and cannot
    // go while ports ask for its VFs.
    apply(s, update(sriovChassis("hv1", "192.0.2.1", 1), 0));
    assertThat(refused(s, txn(delete(Kind.CHASSIS, "", "hv1", 0))).message()).contains("still refers to it");
  }

  @Test
  void oneOperationPerObjectPerTransaction() {
    StoreState s = acme();
    var e = invalid(s, txn(create(ls("acme", "x", "10.7.0.0/24")), delete(Kind.LOGICAL_SWITCH, "acme", "x", 0)));
    assertThat(e.violations().get(0).field()).isEqualTo("ops[1]");
  }

  @Test
  void emptyTransactionIsInvalid() {
    assertThat(invalid(new StoreState(), TxnRequest.getDefaultInstance()).violations().get(0).field()).isEqualTo("ops");
  }
}
