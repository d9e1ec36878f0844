package tenet.compiler.ovs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tenet.api.v1.Kind;
import tenet.compiler.Topologies;
import tenet.compiler.specialize.ChassisView;
import tenet.compiler.specialize.Specializer;
import tenet.store.core.StoreState;

/**
 * One chassis' compiled rules in a real ovs-vswitchd (userspace datapath), asked with
 * ofproto/trace what happens to packets of golden/overlapping-tenants: acme's web switch (web-1,
 * web-2 here, web-3 on hv2) routed by edge to its db switch (db-1 here, guarded by a security
 * group: ssh in from web, ICMP out), and globex's web switch reusing acme's subnet, web-1's
 * address and web-1's MAC (www-1) next to www-2. Every expectation is the datapath's exact
 * action list.
 */
class ChassisTraceTest {
  private static final Path TOPOLOGY = Path.of("src/test/resources/golden/overlapping-tenants/topology.json");
  private static final String HV1 = "192.0.2.1";
  private static final String HV2 = "192.0.2.2";
  private static final int TUNNEL_OFPORT = 10;

  private static final Vm WEB_1 = new Vm("acme/web-1", 1, "02:00:00:00:00:11", "10.0.0.11");
  private static final Vm WEB_2 = new Vm("acme/web-2", 2, "02:00:00:00:00:12", "10.0.0.12");
  private static final Vm WEB_3 = new Vm("acme/web-3", 0, "02:00:00:00:00:13", "10.0.0.13");
  private static final Vm DB_1 = new Vm("acme/db-1", 3, "02:00:00:00:01:11", "10.1.0.11");
  private static final Vm WWW_1 = new Vm("globex/www-1", 4, "02:00:00:00:00:11", "10.0.0.11");
  private static final Vm WWW_2 = new Vm("globex/www-2", 5, "02:00:00:00:0b:12", "10.0.0.12");
  private static final String EDGE_WEB_MAC = "02:00:00:00:ff:01";
  private static final String EDGE_DB_MAC = "02:00:00:00:ff:02";


  private static IntegrationBridge hv1;
  private static StoreState state;

  @BeforeAll
  static void loadChassis() throws Exception {
    state = Topologies.load(TOPOLOGY);
    Map<String, Integer> local = Map.of(WEB_1.port(), WEB_1.ofport(), WEB_2.port(), WEB_2.ofport(),
        DB_1.port(), DB_1.ofport(), WWW_1.port(), WWW_1.ofport(), WWW_2.port(), WWW_2.ofport());
    ChassisView view = Topologies.chassis(state, "hv1", TUNNEL_OFPORT, local, Map.of(WEB_3.port(), HV2));
    hv1 = IntegrationBridge.start(view, HV1 + "/24", Specializer.specialize(Topologies.logicalFlows(state), view));
  }

  @AfterAll
  static void stopChassis() throws Exception {
    IntegrationBridge.closeAll(hv1);
  }

  @Test
  void switchForwardsBetweenLocalPorts() throws Exception {
    assertThat(actions(tcp(WEB_1, WEB_2.mac(), WEB_2.ip(), 40000, 80))).containsExactly(WEB_2.vif());
  }

  @Test
  void unicastToARemotePortIsTunnelledToItsChassis() throws Exception {
    assertThat(actions(tcp(WEB_1, WEB_3.mac(), WEB_3.ip(), 40000, 80)))
        .containsExactly(tunnel(HV2, "acme/web", key(WEB_1), key(WEB_3)), IntegrationBridge.UPLINK);
  }

  @Test
  void tunnelledPacketIsDeliveredToThePortItsOptionNames() throws Exception {
    assertThat(actions(fromTunnel("acme/web", key(WEB_3), key(WEB_1), WEB_3.mac(), WEB_1.mac(), WEB_3.ip(), WEB_1.ip())))
        .containsExactly(WEB_1.vif());
  }

  @Test
  void spoofedSourceMacIsDropped() throws Exception {
    String spoofed = "in_port=1,dl_src=02:00:00:00:00:99,dl_dst=" + WEB_2.mac() + ",tcp,nw_src=" + WEB_1.ip()
        + ",nw_dst=" + WEB_2.ip() + ",nw_ttl=64,tp_src=40000,tp_dst=80";
    assertThat(actions(spoofed)).containsExactly("drop");
  }

  @Test
  void spoofedSourceIpIsDropped() throws Exception {
    String spoofed = "in_port=1,dl_src=" + WEB_1.mac() + ",dl_dst=" + WEB_2.mac() + ",tcp,nw_src=10.0.0.99,nw_dst="
        + WEB_2.ip() + ",nw_ttl=64,tp_src=40000,tp_dst=80";
    assertThat(actions(spoofed)).containsExactly("drop");
  }

  @Test
  void arpRequestForAKnownAddressIsAnsweredBackOutOfItsPort() throws Exception {
    assertThat(actions(arpRequest(WEB_1, WEB_2.ip()))).containsExactly(
        "set(eth(src=" + WEB_2.mac() + ",dst=" + WEB_1.mac() + "))",
        "set(arp(sip=" + WEB_2.ip() + ",tip=" + WEB_1.ip() + ",op=2,sha=" + WEB_2.mac() + ",tha=" + WEB_1.mac() + "))",
        WEB_1.vif());
  }

  @Test
  void routerRewritesTheFrameAndDecrementsTtlIntoTheOtherSwitch() throws Exception {
    // ssh from web is what db-1's group lets in (and commits, for the replies).
    assertThat(actions(tcp(WEB_1, EDGE_WEB_MAC, DB_1.ip(), 40000, 22), "trk,new")).containsExactly(
        "set(eth(src=" + EDGE_DB_MAC + ",dst=" + DB_1.mac() + "))", "set(ipv4(ttl=63))", "ct(zone=3)", "recirc",
        "ct(commit,zone=3)", DB_1.vif());
  }

  @Test
  void securityGroupDropsWhatNoRuleAllows() throws Exception {
    assertThat(actions(tcp(WEB_1, EDGE_WEB_MAC, DB_1.ip(), 40000, 80), "trk,new")).containsExactly(
        "set(eth(src=" + EDGE_DB_MAC + ",dst=" + DB_1.mac() + "))", "set(ipv4(ttl=63))", "ct(zone=3)", "recirc",
        "drop");
  }

  @Test
  void replyOfAnAllowedConnectionPasses() throws Exception {
    // Conntrack state stays in db's switch: the router starts without it (ct_clear).
    assertThat(actions(tcp(DB_1, EDGE_DB_MAC, WEB_1.ip(), 22, 40000), "trk,est")).containsExactly(
        "ct(zone=3)", "recirc", "ct_clear",
        "set(eth(src=" + EDGE_WEB_MAC + ",dst=" + WEB_1.mac() + "))", "set(ipv4(ttl=63))", WEB_1.vif());
  }

  @Test
  void newConnectionOutOfAGuardedPortIsDropped() throws Exception {
    assertThat(actions(tcp(DB_1, EDGE_DB_MAC, WEB_1.ip(), 22, 40000), "trk,new"))
        .containsExactly("ct(zone=3)", "recirc", "drop");
  }

  @Test
  void allowedEgressIsRoutedIntoTheTunnel() throws Exception {
    String ping = "in_port=3,dl_src=" + DB_1.mac() + ",dl_dst=" + EDGE_DB_MAC + ",icmp,nw_src=" + DB_1.ip() + ",nw_dst="
        + WEB_3.ip() + ",nw_ttl=64,icmp_type=8,icmp_code=0";
    // ICMP out is a plain ALLOW, on a port with stateful rules: it commits, for the replies.
    // (No ct_clear into the router: OVS counts a packet untracked after a ct without table.)
    assertThat(actions(ping, "trk,new")).containsExactly(
        "ct(zone=3)", "recirc", "ct(commit,zone=3)",
        "set(eth(src=" + EDGE_WEB_MAC + ",dst=" + WEB_3.mac() + "))", "set(ipv4(ttl=63))",
        tunnel(HV2, "acme/web", routerPortOn("acme", "edge-web"), key(WEB_3)), IntegrationBridge.UPLINK);
  }

  @Test
  void replyOfAConnectionAPlainAllowLetOutPasses() throws Exception {
    // db-1's group: ICMP out is ALLOW, nothing lets ICMP in; but the port has an ALLOW_RELATED
    // rule, so the ping is committed and its reply is an established connection's.
    Packet ping = Packet.icmp(DB_1.mac(), EDGE_DB_MAC, DB_1.ip(), WEB_1.ip(), 64, 8);
    assertThat(actions(ping.flow(DB_1.ofport()), "trk,new")).containsExactly(
        "ct(zone=3)", "recirc", "ct(commit,zone=3)",
        "set(eth(src=" + EDGE_WEB_MAC + ",dst=" + WEB_1.mac() + "))", "set(ipv4(ttl=63))", WEB_1.vif());

    hv1.reset();
    hv1.send(DB_1.vif(), ping);
    assertThat(hv1.received(WEB_1.vif(), 1))
        .containsExactly(Packet.icmp(EDGE_WEB_MAC, WEB_1.mac(), DB_1.ip(), WEB_1.ip(), 63, 8));
    hv1.send(WEB_1.vif(), Packet.icmp(WEB_1.mac(), EDGE_WEB_MAC, WEB_1.ip(), DB_1.ip(), 64, 0));
    assertThat(hv1.received(DB_1.vif(), 1))
        .containsExactly(Packet.icmp(EDGE_DB_MAC, DB_1.mac(), WEB_1.ip(), DB_1.ip(), 63, 0));
  }

  @Test
  void broadcastReachesTheSwitchsOtherPortsHereAndOnOtherChassis() throws Exception {
    assertThat(actions(arpRequest(WEB_2, "10.0.0.99"))).containsExactly(
        tunnel(HV2, "acme/web", key(WEB_2), 0xffff), IntegrationBridge.UPLINK, WEB_1.vif());
  }

  @Test
  void sameAddressesInTwoTenantsReachTheirOwnTenantsPort() throws Exception {
    assertThat(actions(tcp(WWW_2, WWW_1.mac(), WWW_1.ip(), 40000, 80))).containsExactly(WWW_1.vif());
    assertThat(actions(tcp(WEB_2, WEB_1.mac(), WEB_1.ip(), 40000, 80))).containsExactly(WEB_1.vif());
  }

  @Test
  void anotherTenantsPortsAndRouterAreUnreachable() throws Exception {
    // globex has no web-3 and no router: the unknown destination floods globex's switch only.
    assertThat(actions(tcp(WWW_2, WEB_3.mac(), WEB_3.ip(), 40000, 80))).containsExactly("drop");
    assertThat(actions(tcp(WWW_2, EDGE_WEB_MAC, DB_1.ip(), 40000, 22), "trk,new")).containsExactly("drop");
    // and acme's unknown destinations never reach globex's ports
    assertThat(actions(tcp(WEB_2, WWW_2.mac(), WWW_2.ip(), 40000, 80)))
        .containsExactly(tunnel(HV2, "acme/web", key(WEB_2), 0xffff), IntegrationBridge.UPLINK);
  }

  @Test
  void arpIsAnsweredFromTheAskingTenantsPorts() throws Exception {
    assertThat(actions(arpRequest(WWW_1, WWW_2.ip()))).containsExactly(
        "set(eth(src=" + WWW_2.mac() + ",dst=" + WWW_1.mac() + "))",
        "set(arp(sip=" + WWW_2.ip() + ",tip=" + WWW_1.ip() + ",op=2,sha=" + WWW_2.mac() + ",tha=" + WWW_1.mac() + "))",
        WWW_1.vif());
  }

  @Test
  void tunnelKeySelectsTheTenant() throws Exception {
    // The same logical ports, the same addresses: only the VNI tells globex's packet from acme's.
    assertThat(actions(fromTunnel("globex/web", key(WWW_2), key(WWW_1), WWW_2.mac(), WWW_1.mac(), WWW_2.ip(), WWW_1.ip())))
        .containsExactly(WWW_1.vif());
  }

  private static List<String> actions(String flow, String... ctStates) throws Exception {
    return hv1.trace(flow, ctStates).actions();
  }

  private static String tcp(Vm from, String dlDst, String nwDst, int tpSrc, int tpDst) {
    return "in_port=" + from.ofport() + ",dl_src=" + from.mac() + ",dl_dst=" + dlDst + ",tcp,nw_src=" + from.ip()
        + ",nw_dst=" + nwDst + ",nw_ttl=64,tp_src=" + tpSrc + ",tp_dst=" + tpDst;
  }

  private static String arpRequest(Vm from, String targetIp) {
    return "in_port=" + from.ofport() + ",dl_src=" + from.mac() + ",dl_dst=ff:ff:ff:ff:ff:ff,arp,arp_op=1,arp_sha="
        + from.mac() + ",arp_spa=" + from.ip() + ",arp_tha=00:00:00:00:00:00,arp_tpa=" + targetIp;
  }

  /** A packet hv2 encapsulated: the VNI names the switch, the option inport (high) and outport (low). */
  private static String fromTunnel(String sw, int inport, int outport, String dlSrc, String dlDst, String nwSrc,
      String nwDst) {
    return "in_port=" + TUNNEL_OFPORT + ",tun_id=" + datapath(sw) + ",tun_src=" + HV2 + ",tun_dst=" + HV1
        + ",tun_metadata0=0x" + Integer.toHexString(inport << 16 | outport) + ",dl_src=" + dlSrc + ",dl_dst=" + dlDst
        + ",tcp,nw_src=" + nwSrc + ",nw_dst=" + nwDst + ",nw_ttl=64,tp_src=40000,tp_dst=80";
  }

  private static String tunnel(String chassisIp, String sw, int inport, int outport) {
    return "tunnel(dst=" + chassisIp + ",vni=" + datapath(sw) + ",inport=" + inport + ",outport=" + outport + ")";
  }

  private static int key(Vm vm) {
    return Topologies.portRef(state, vm.port()).port();
  }

  private static int datapath(String tenantSlashSwitch) {
    String[] parts = tenantSlashSwitch.split("/");
    return Topologies.tunnelKey(state, Kind.LOGICAL_SWITCH, parts[0], parts[1]);
  }

  /** The key a router port has in its switch. */
  private static int routerPortOn(String tenant, String routerPort) {
    return state.get(new tenet.store.model.ResourceKey(Kind.LOGICAL_ROUTER_PORT, tenant, routerPort)).orElseThrow()
        .getLogicalRouterPort().getSwitchPortKey();
  }
}
