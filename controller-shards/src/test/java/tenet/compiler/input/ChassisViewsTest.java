package tenet.compiler.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tenet.api.v1.Kind;
import tenet.compiler.Topologies;
import tenet.compiler.specialize.ChassisView;
import tenet.compiler.specialize.ChassisView.Gateway;
import tenet.compiler.specialize.ChassisView.Patch;
import tenet.compiler.specialize.ChassisView.PortRef;
import tenet.store.core.Plan;
import tenet.store.core.StoreState;
import tenet.store.model.ResourceKey;

/**
 * Chassis views read from the store, on the router topology of the golden cases (keys as the
 * store allocates them: web=1, db=2, uplink=3, edge=4; web-1, db-1 and upstream are port 1 of
 * their switch; the router is port 2 of each switch and has ports 1..3).
 */
class ChassisViewsTest {
  private StoreState state;

  @BeforeEach
  void topology() throws Exception {
    state = Topologies.load(Path.of("src/test/resources/golden/router/topology.json"));
    Plan registered = Topologies.commit(state, Topologies.txn("""
        {"ops": [
          {"create": {"resource": {"chassis": {"metadata": {"name": "hv1"}, "hostname": "hv1", "tunnelIp": "192.0.2.1", "encapsulations": ["GENEVE"]}}}},
          {"create": {"resource": {"chassis": {"metadata": {"name": "hv2"}, "hostname": "hv2", "tunnelIp": "192.0.2.2", "encapsulations": ["GENEVE"]}}}},
          {"create": {"resource": {"chassis": {"metadata": {"name": "hv3"}, "hostname": "hv3", "tunnelIp": "192.0.2.3", "encapsulations": ["GENEVE"]}}}},
          {"create": {"resource": {"portBinding": {"metadata": {"tenant": "acme", "name": "web-1"}, "logicalPort": "web-1", "chassis": "hv1", "ofport": 1}}}},
          {"create": {"resource": {"portBinding": {"metadata": {"tenant": "acme", "name": "upstream"}, "logicalPort": "upstream", "chassis": "hv1", "ofport": 2}}}},
          {"create": {"resource": {"portBinding": {"metadata": {"tenant": "acme", "name": "db-1"}, "logicalPort": "db-1", "chassis": "hv2"}}}}
        ]}"""), "registration");
    assertThat(registered).as("the store took the chassis and bindings").isNotNull();
  }

  @Test
  void localPortsAtTheirOfportsRemotePortsAtTheirChassisAndEveryRouterPatch() {
    // edge's gateway port, edge-up, is hv1's (golden/router).
    assertThat(ChassisViews.from(state, "hv1")).contains(new ChassisView("hv1", ChassisViews.GENEVE_OFPORT, 0,
        Map.of(new PortRef(1, 1), 1, new PortRef(3, 1), 2),
        Map.of(new PortRef(2, 1), "192.0.2.2"),
        List.of(new Patch(1, 2, 4, 1), new Patch(2, 2, 4, 2), new Patch(3, 2, 4, 3)), Set.of(),
        List.of(new Gateway(new Patch(3, 2, 4, 3), true, ""))));
  }

  @Test
  void elsewhereTheGatewayIsAtItsChassisTunnelIpOnceThatChassisIsRegistered() {
    assertThat(ChassisViews.from(state, "hv2").orElseThrow().gateways())
        .containsExactly(new Gateway(new Patch(3, 2, 4, 3), false, "192.0.2.1"));
    moveGatewayTo("hv7");
    assertThat(ChassisViews.from(state, "hv2").orElseThrow().gateways())
        .as("hv7 is not registered: nothing crosses the gateway from hv2")
        .containsExactly(new Gateway(new Patch(3, 2, 4, 3), false, ""));
  }

  @Test
  void aGatewayChassisSpansTheRouterEvenWithoutPortsOfItsOwn() {
    assertThat(ChassisViews.span(state, "hv3")).isEmpty();
    moveGatewayTo("hv3");
    assertThat(ChassisViews.span(state, "hv3")).containsExactlyInAnyOrder(
        key(Kind.LOGICAL_SWITCH, "web"), key(Kind.LOGICAL_SWITCH, "db"), key(Kind.LOGICAL_SWITCH, "uplink"),
        key(Kind.LOGICAL_ROUTER, "edge"));
    assertThat(ChassisViews.from(state, "hv3").orElseThrow().gateways())
        .containsExactly(new Gateway(new Patch(3, 2, 4, 3), true, ""));
    // and a change of the gateway tells the chassis it names, whose span did not hold the router
    var edgeUp = new ResourceKey(Kind.LOGICAL_ROUTER_PORT, "acme", "edge-up");
    assertThat(ChassisViews.touchedBy(state, edgeUp, state.get(edgeUp).orElseThrow()).chassis()).containsExactly("hv3");
  }

  @Test
  void theSpanReachesThroughTheRouterToEverySwitchBehindIt() {
    assertThat(ChassisViews.span(state, "hv2")).containsExactlyInAnyOrder(
        key(Kind.LOGICAL_SWITCH, "web"), key(Kind.LOGICAL_SWITCH, "db"), key(Kind.LOGICAL_SWITCH, "uplink"),
        key(Kind.LOGICAL_ROUTER, "edge"));
  }

  @Test
  void aPortBoundButNotPluggedInIsNeitherLocalNorRemote() {
    ChassisView hv2 = ChassisViews.from(state, "hv2").orElseThrow();
    assertThat(hv2.localPorts()).isEmpty();
    assertThat(hv2.remotePorts()).containsOnlyKeys(new PortRef(1, 1), new PortRef(3, 1));
  }

  @Test
  void aChassisWithNothingBoundNeedsNoDatapath() {
    assertThat(ChassisViews.span(state, "hv3")).isEmpty();
    ChassisView hv3 = ChassisViews.from(state, "hv3").orElseThrow();
    assertThat(hv3.localPorts()).isEmpty();
    assertThat(hv3.remotePorts()).isEmpty();
    assertThat(hv3.patches()).isEmpty();
  }

  @Test
  void aChassisSharingOnlyVxlanIsReachedByVxlanAndOneSharingNothingNotAtAll() {
    Topologies.commit(state, Topologies.txn("""
        {"ops": [
          {"update": {"resource": {"chassis": {"metadata": {"name": "hv1"}, "hostname": "hv1", "tunnelIp": "192.0.2.1", "encapsulations": ["GENEVE", "VXLAN"]}}}},
          {"update": {"resource": {"chassis": {"metadata": {"name": "hv2"}, "hostname": "hv2", "tunnelIp": "192.0.2.2", "encapsulations": ["VXLAN"]}}}}
        ]}"""), "vxlan");
    ChassisView hv1 = ChassisViews.from(state, "hv1").orElseThrow();
    assertThat(hv1.vxlanOfport()).isEqualTo(ChassisViews.VXLAN_OFPORT);
    assertThat(hv1.vxlanPeers()).containsExactly("192.0.2.2");
    assertThat(hv1.remotePorts()).containsEntry(new PortRef(2, 1), "192.0.2.2");

    Topologies.commit(state, Topologies.txn("""
        {"ops": [{"update": {"resource": {"chassis": {"metadata": {"name": "hv1"}, "hostname": "hv1", "tunnelIp": "192.0.2.1", "encapsulations": ["GENEVE"]}}}}]}"""),
        "geneve-only");
    ChassisView geneveOnly = ChassisViews.from(state, "hv1").orElseThrow();
    assertThat(geneveOnly.vxlanOfport()).isZero();
    assertThat(geneveOnly.remotePorts()).isEmpty();
  }

  @Test
  void aVifAtAnOfportInTheRoutersZoneRangeIsRefused() {
    // Its ofport would be its conntrack zone, and 32768 and up are routers' (docs/pipeline.md).
    assertThat(Topologies.commit(state, Topologies.txn("""
        {"ops": [{"update": {"resource": {"portBinding": {"metadata": {"tenant": "acme", "name": "web-1"},
          "logicalPort": "web-1", "chassis": "hv1", "ofport": 32772}}}}]}"""), "rebind")).isNull();
  }

  @Test
  void anUnregisteredChassisHasNoView() {
    assertThat(ChassisViews.from(state, "hv9")).isEmpty();
  }

  private void moveGatewayTo(String chassis) {
    assertThat(Topologies.commit(state, Topologies.txn("""
        {"ops": [{"update": {"resource": {"logicalRouterPort": {"metadata": {"tenant": "acme", "name": "edge-up"},
          "logicalRouter": "edge", "logicalSwitch": "uplink", "mac": "02:00:00:00:ff:03", "networks": ["203.0.113.10/24"],
          "gatewayChassis": "%s"}}}}]}""".formatted(chassis)), "gateway")).isNotNull();
  }

  private static ResourceKey key(Kind kind, String name) {
    return new ResourceKey(kind, "acme", name);
  }
}
