package tenet.compiler.ovs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tenet.agent.ovs.PrivateSwitch;
import tenet.api.v1.Kind;
import tenet.compiler.Topologies;
import tenet.compiler.input.ChassisViews;
import tenet.compiler.pipeline.GatewayPorts;
import tenet.compiler.specialize.ChassisView;
import tenet.compiler.specialize.Specializer;
import tenet.store.core.StoreState;
import tenet.store.model.ResourceKey;

/**
 * NAT of golden/router across two chassis, each a real ovs-vswitchd with its own conntrack (two
 * {@link PrivateSwitch}es), wired together by relaying what one sends into its underlay to the
 * other's: the VMs web-1 and db-1 are on hv1, the outside (upstream, 203.0.113.1) on hv2, and
 * edge's gateway port edge-up is hv2's. So SNAT and floating-IP DNAT must happen on hv2 for
 * both directions of a connection, whichever chassis routes the packet. A probe port on the
 * uplink switch, on hv1, checks that ARP for the gateway's addresses is answered on hv2 only.
 * The views are read from the store, as the controller builds them.
 *
 * <p>Each case asserts what ofproto/trace says each chassis' datapath does, exactly, then sends
 * the packets for real and asserts what arrives, and where conntrack holds the connection.
 */
class GatewayTraceTest {
  private static final Path TOPOLOGY = Path.of("src/test/resources/golden/router/topology.json");
  private static final String HV1 = "192.0.2.1";
  private static final String HV2 = "192.0.2.2";
  private static final Vm WEB_1 = new Vm("web-1", 1, "02:00:00:00:01:11", "10.0.1.11");
  private static final Vm DB_1 = new Vm("db-1", 2, "02:00:00:00:02:11", "10.0.2.11");
  private static final Vm PROBE = new Vm("probe", 3, "02:00:00:00:0f:02", "203.0.113.2");
  /** On hv2. */
  private static final Vm UPSTREAM = new Vm("upstream", 3, "02:00:00:00:0f:01", "203.0.113.1");
  private static final String EDGE_WEB_MAC = "02:00:00:00:ff:01";
  private static final String EDGE_DB_MAC = "02:00:00:00:ff:02";
  private static final String EDGE_UP_MAC = "02:00:00:00:ff:03";
  private static final String SNAT_IP = "203.0.113.10";
  private static final String FLOATING_IP = "203.0.113.50";


  private static StoreState state;
  private static IntegrationBridge hv1;
  private static IntegrationBridge hv2;
  private static int zone;

  @BeforeAll
  static void loadChassis() throws Exception {
    state = Topologies.load(TOPOLOGY);
    assertThat(Topologies.commit(state, Topologies.txn("""
        {"ops": [
          {"create": {"resource": {"chassis": {"metadata": {"name": "hv1"}, "hostname": "hv1", "tunnelIp": "192.0.2.1", "encapsulations": ["GENEVE"]}}}},
          {"create": {"resource": {"chassis": {"metadata": {"name": "hv2"}, "hostname": "hv2", "tunnelIp": "192.0.2.2", "encapsulations": ["GENEVE"]}}}},
          {"update": {"resource": {"logicalRouterPort": {"metadata": {"tenant": "acme", "name": "edge-up"}, "logicalRouter": "edge", "logicalSwitch": "uplink", "mac": "02:00:00:00:ff:03", "networks": ["203.0.113.10/24"], "gatewayChassis": "hv2"}}}},
          {"create": {"resource": {"logicalSwitchPort": {"metadata": {"tenant": "acme", "name": "probe"}, "logicalSwitch": "uplink", "mac": "02:00:00:00:0f:02", "ips": ["203.0.113.2"]}}}},
          {"create": {"resource": {"portBinding": {"metadata": {"tenant": "acme", "name": "web-1"}, "logicalPort": "web-1", "chassis": "hv1", "ofport": 1}}}},
          {"create": {"resource": {"portBinding": {"metadata": {"tenant": "acme", "name": "db-1"}, "logicalPort": "db-1", "chassis": "hv1", "ofport": 2}}}},
          {"create": {"resource": {"portBinding": {"metadata": {"tenant": "acme", "name": "probe"}, "logicalPort": "probe", "chassis": "hv1", "ofport": 3}}}},
          {"create": {"resource": {"portBinding": {"metadata": {"tenant": "acme", "name": "upstream"}, "logicalPort": "upstream", "chassis": "hv2", "ofport": 3}}}}
        ]}"""), "chassis")).isNotNull();
    zone = 0x8000 + Topologies.tunnelKey(state, Kind.LOGICAL_ROUTER, "acme", "edge");
    ChassisView view1 = ChassisViews.from(state, "hv1").orElseThrow();
    ChassisView view2 = ChassisViews.from(state, "hv2").orElseThrow();
    try {
      hv1 = IntegrationBridge.start(view1, HV1 + "/24", Specializer.specialize(Topologies.logicalFlows(state), view1));
      hv2 = IntegrationBridge.start(view2, HV2 + "/24", Specializer.specialize(Topologies.logicalFlows(state), view2));
    } catch (Exception | AssertionError e) {
      stopChassis();
      throw e;
    }
  }

  @AfterAll
  static void stopChassis() throws Exception {
    IntegrationBridge.closeAll(hv1, hv2);
  }

  @BeforeEach
  void cleanSlate() throws Exception {
    hv1.reset();
    hv2.reset();
  }

  @Test
  void snatHappensOnTheGatewayChassisAndTheReplyFindsItsVm() throws Exception {
    Packet out = Packet.udp(DB_1.mac(), EDGE_DB_MAC, DB_1.ip(), UPSTREAM.ip(), 64, 40000, 53);
    // hv1 routes (TTL, MACs) and redirects: edge's datapath, the redirect port as outport. No
    // conntrack here.
    assertThat(hv1.trace(out.flow(DB_1.ofport())).passes()).containsExactly(List.of(
        "set(eth(src=" + EDGE_UP_MAC + ",dst=" + UPSTREAM.mac() + "))", "set(ipv4(ttl=63))",
        redirect(HV2, routerPort("edge-db")), IntegrationBridge.UPLINK));
    // hv2 takes it in at the redirect port: SNAT in edge's zone, then into the uplink switch.
    Packet routed = Packet.udp(EDGE_UP_MAC, UPSTREAM.mac(), DB_1.ip(), UPSTREAM.ip(), 63, 40000, 53);
    assertThat(hv2.trace(fromTunnel(HV1, edge(), routerPort("edge-db"), redirectKey(), routed), "trk,new").passes())
        .containsExactly(
            List.of("ct(commit,zone=" + zone + ",nat(src=" + SNAT_IP + "))", "recirc"),
            List.of("ct_clear", UPSTREAM.vif()));

    hv1.send(DB_1.vif(), out);
    assertThat(hv1.relayTo(hv2, 1)).isEqualTo(1);
    assertThat(hv2.received(UPSTREAM.vif(), 1))
        .containsExactly(Packet.udp(EDGE_UP_MAC, UPSTREAM.mac(), SNAT_IP, UPSTREAM.ip(), 63, 40000, 53));
    assertThat(hv2.conntrack(zone)).as("the SNAT connection, on the gateway").hasSize(1);
    assertThat(hv1.conntrack(zone)).as("nothing of it on the VM's chassis").isEmpty();

    // The reply reaches hv2, the only chassis that can translate it back, and goes on to hv1.
    Packet reply = Packet.udp(UPSTREAM.mac(), EDGE_UP_MAC, UPSTREAM.ip(), SNAT_IP, 64, 53, 40000);
    assertThat(hv2.trace(reply.flow(UPSTREAM.ofport()), "trk,est,rpl").passes().get(0))
        .containsExactly("ct(zone=" + zone + ",nat)", "recirc");
    hv2.send(UPSTREAM.vif(), reply);
    assertThat(hv2.relayTo(hv1, 1)).isEqualTo(1);
    assertThat(hv1.received(DB_1.vif(), 1))
        .containsExactly(Packet.udp(EDGE_DB_MAC, DB_1.mac(), UPSTREAM.ip(), DB_1.ip(), 63, 53, 40000));
  }

  @Test
  void aFloatingIpIsTranslatedOnTheGatewayChassisBothWays() throws Exception {
    Packet in = Packet.udp(UPSTREAM.mac(), EDGE_UP_MAC, UPSTREAM.ip(), FLOATING_IP, 64, 40000, 8080);
    // hv2: un-SNAT finds no connection, DNAT commits; routed to web-1, which is on hv1.
    assertThat(hv2.trace(in.flow(UPSTREAM.ofport()), "trk,new", "trk,new").passes()).containsExactly(
        List.of("ct(zone=" + zone + ",nat)", "recirc"),
        List.of("ct(commit,zone=" + zone + ",nat(dst=" + WEB_1.ip() + "))", "recirc"),
        List.of("ct_clear", "set(eth(src=" + EDGE_WEB_MAC + ",dst=" + WEB_1.mac() + "))", "set(ipv4(ttl=63))",
            "tunnel(dst=" + HV1 + ",vni=" + sw("web") + ",inport=" + routerOnSwitch("edge-web") + ",outport="
                + Topologies.portRef(state, "acme/web-1").port() + ")",
            IntegrationBridge.UPLINK));

    hv2.send(UPSTREAM.vif(), in);
    assertThat(hv2.relayTo(hv1, 1)).isEqualTo(1);
    assertThat(hv1.received(WEB_1.vif(), 1))
        .containsExactly(Packet.udp(EDGE_WEB_MAC, WEB_1.mac(), UPSTREAM.ip(), WEB_1.ip(), 63, 40000, 8080));

    // web-1's reply is routed on hv1 and redirected to hv2, whose conntrack un-DNATs it.
    Packet reply = Packet.udp(WEB_1.mac(), EDGE_WEB_MAC, WEB_1.ip(), UPSTREAM.ip(), 64, 8080, 40000);
    assertThat(hv1.trace(reply.flow(WEB_1.ofport())).passes()).containsExactly(List.of(
        "set(eth(src=" + EDGE_UP_MAC + ",dst=" + UPSTREAM.mac() + "))", "set(ipv4(ttl=63))",
        redirect(HV2, routerPort("edge-web")), IntegrationBridge.UPLINK));
    Packet routed = Packet.udp(EDGE_UP_MAC, UPSTREAM.mac(), WEB_1.ip(), UPSTREAM.ip(), 63, 8080, 40000);
    assertThat(hv2.trace(fromTunnel(HV1, edge(), routerPort("edge-web"), redirectKey(), routed), "trk,est,rpl")
        .passes()).containsExactly(List.of("ct(zone=" + zone + ",nat)", "recirc"), List.of("ct_clear", UPSTREAM.vif()));

    hv1.send(WEB_1.vif(), reply);
    assertThat(hv1.relayTo(hv2, 1)).isEqualTo(1);
    assertThat(hv2.received(UPSTREAM.vif(), 1))
        .containsExactly(Packet.udp(EDGE_UP_MAC, UPSTREAM.mac(), FLOATING_IP, UPSTREAM.ip(), 63, 8080, 40000));
    assertThat(hv1.conntrack(zone)).isEmpty();
  }

  @Test
  void aNewConnectionOfTheFloatingIpsVmLeavesAsTheFloatingIp() throws Exception {
    hv1.send(WEB_1.vif(), Packet.udp(WEB_1.mac(), EDGE_WEB_MAC, WEB_1.ip(), UPSTREAM.ip(), 64, 5000, 53));
    assertThat(hv1.relayTo(hv2, 1)).isEqualTo(1);
    assertThat(hv2.received(UPSTREAM.vif(), 1))
        .containsExactly(Packet.udp(EDGE_UP_MAC, UPSTREAM.mac(), FLOATING_IP, UPSTREAM.ip(), 63, 5000, 53));
  }

  @Test
  void arpForTheFloatingIpIsAnsweredOnTheGatewayChassis() throws Exception {
    // The broadcast floods the uplink switch (to the probe on hv1), and edge answers here.
    assertThat(hv2.trace(arpRequest(UPSTREAM, FLOATING_IP)).actions()).containsExactly(
        "tunnel(dst=" + HV1 + ",vni=" + sw("uplink") + ",inport=" + port(UPSTREAM) + ",outport=65535)",
        IntegrationBridge.UPLINK,
        "set(eth(src=" + EDGE_UP_MAC + ",dst=" + UPSTREAM.mac() + "))",
        "set(arp(sip=" + FLOATING_IP + ",tip=" + UPSTREAM.ip() + ",op=2,sha=" + EDGE_UP_MAC + ",tha=" + UPSTREAM.mac()
            + "))",
        UPSTREAM.vif());
  }

  @Test
  void elsewhereArpForTheGatewaysAddressesGoesToTheGatewayChassis() throws Exception {
    // Neither the uplink switch nor edge answers on hv1: the request floods to hv2.
    for (String ip : List.of(SNAT_IP, FLOATING_IP)) {
      assertThat(hv1.trace(arpRequest(PROBE, ip)).actions()).as(ip).containsExactly(
          "tunnel(dst=" + HV2 + ",vni=" + sw("uplink") + ",inport=" + port(PROBE) + ",outport=65535)",
          IntegrationBridge.UPLINK);
    }
    // hv2 answers, and the answer comes back to the probe.
    hv1.send(PROBE.vif(), arp(PROBE, SNAT_IP));
    assertThat(hv1.relayTo(hv2, 1)).isEqualTo(1);
    assertThat(hv2.relayTo(hv1, 1)).isEqualTo(1);
    assertThat(hv1.received(PROBE.vif(), 1))
        .containsExactly(new Packet(EDGE_UP_MAC, PROBE.mac(), "", "", 0, "eth_type(0x0806)", 0, 0));
  }

  @Test
  void anUplinkPortElsewhereReachesTheRouterThroughTheGatewayChassis() throws Exception {
    Packet in = Packet.udp(PROBE.mac(), EDGE_UP_MAC, PROBE.ip(), WEB_1.ip(), 64, 40000, 8080);
    // The uplink switch sends what is for edge to hv2: the router's port there is hv2's.
    assertThat(hv1.trace(in.flow(PROBE.ofport())).actions()).containsExactly(
        "tunnel(dst=" + HV2 + ",vni=" + sw("uplink") + ",inport=" + port(PROBE) + ",outport="
            + routerOnSwitch("edge-up") + ")",
        IntegrationBridge.UPLINK);
    // hv2 crosses into edge, routes, and sends it back to hv1, to web-1.
    assertThat(hv2.trace(fromTunnel(HV1, sw("uplink"), port(PROBE), routerOnSwitch("edge-up"), in)).actions())
        .containsExactly("set(eth(src=" + EDGE_WEB_MAC + ",dst=" + WEB_1.mac() + "))", "set(ipv4(ttl=63))",
            "tunnel(dst=" + HV1 + ",vni=" + sw("web") + ",inport=" + routerOnSwitch("edge-web") + ",outport="
                + Topologies.portRef(state, "acme/web-1").port() + ")",
            IntegrationBridge.UPLINK);
    hv1.send(PROBE.vif(), in);
    assertThat(hv1.relayTo(hv2, 1)).isEqualTo(1);
    assertThat(hv2.relayTo(hv1, 1)).isEqualTo(1);
    assertThat(hv1.received(WEB_1.vif(), 1))
        .containsExactly(Packet.udp(EDGE_WEB_MAC, WEB_1.mac(), PROBE.ip(), WEB_1.ip(), 63, 40000, 8080));
  }

  /** What hv1 sends hv2 for edge's gateway: edge's datapath, the redirect port as outport. */
  private static String redirect(String chassisIp, int inport) {
    return "tunnel(dst=" + chassisIp + ",vni=" + edge() + ",inport=" + inport + ",outport=" + redirectKey() + ")";
  }

  /** {@code packet} as it arrives from {@code fromIp} in a Geneve tunnel of datapath {@code vni}. */
  private static String fromTunnel(String fromIp, int vni, int inport, int outport, Packet packet) {
    String inner = packet.flow(ChassisViews.GENEVE_OFPORT).substring(("in_port=" + ChassisViews.GENEVE_OFPORT).length());
    return "in_port=" + ChassisViews.GENEVE_OFPORT + ",tun_id=" + vni + ",tun_src=" + fromIp + ",tun_dst=" + HV2
        + ",tun_metadata0=0x" + Integer.toHexString(inport << 16 | outport) + inner;
  }

  private static String arpRequest(Vm from, String targetIp) {
    return "in_port=" + from.ofport() + ",dl_src=" + from.mac() + ",dl_dst=ff:ff:ff:ff:ff:ff,arp,arp_op=1,arp_sha="
        + from.mac() + ",arp_spa=" + from.ip() + ",arp_tha=00:00:00:00:00:00,arp_tpa=" + targetIp;
  }

  /** An ARP request as a VM sends it, in the datapath flow syntax netdev-dummy takes. */
  private static String arp(Vm from, String targetIp) {
    return "eth(src=" + from.mac() + ",dst=ff:ff:ff:ff:ff:ff),eth_type(0x0806),arp(sip=" + from.ip()
        + ",tip=" + targetIp + ",op=1,sha=" + from.mac() + ",tha=00:00:00:00:00:00)";
  }

  private static int edge() {
    return Topologies.tunnelKey(state, Kind.LOGICAL_ROUTER, "acme", "edge");
  }

  private static int sw(String name) {
    return Topologies.tunnelKey(state, Kind.LOGICAL_SWITCH, "acme", name);
  }

  private static int port(Vm vm) {
    return Topologies.portRef(state, "acme/" + vm.port()).port();
  }

  private static int redirectKey() {
    return GatewayPorts.redirectKey(routerPort("edge-up"));
  }

  /** A router port's key in edge. */
  private static int routerPort(String name) {
    return state.get(new ResourceKey(Kind.LOGICAL_ROUTER_PORT, "acme", name)).orElseThrow().getLogicalRouterPort()
        .getPortKey();
  }

  /** The key edge's port {@code name} has in its switch. */
  private static int routerOnSwitch(String name) {
    return state.get(new ResourceKey(Kind.LOGICAL_ROUTER_PORT, "acme", name)).orElseThrow().getLogicalRouterPort()
        .getSwitchPortKey();
  }
}
