package tenet.compiler.ovs;

import static org.assertj.core.api.Assertions.assertThat;
import static tenet.compiler.ovs.Icmp.OVERRIDE;
import static tenet.compiler.ovs.Icmp.ROUTER;
import static tenet.compiler.ovs.Icmp.SOLICITED;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tenet.compiler.Topologies;
import tenet.compiler.specialize.ChassisView;
import tenet.compiler.specialize.Specializer;
import tenet.store.core.StoreState;

/**
 * The answers the pipeline builds in OpenFlow alone, sent for real through a real ovs-vswitchd
 * (userspace datapath) and read back byte by byte: IPv6 neighbour solicitations answered with
 * advertisements by the switches (for VMs and for router ports) and by a router (for its gateway
 * port's address), and ICMP and ICMPv6 echo answered by routers. Every field of every answer is
 * checked, the checksums computed here (ICMPv6's over its pseudo-header): OVS rewrites the
 * request into the answer, and must keep them right.
 *
 * <p>{@code tenants} is golden/overlapping-tenants on one chassis: acme's web (web-1, web-2 here,
 * web-3 elsewhere) and db (db-1, guarded by a security group) routed by edge; globex's web reusing
 * acme's addresses (www-1 even web-1's MAC). {@code gateway} is golden/router with every port and
 * edge's gateway port on this chassis, upstream standing for the outside on the uplink.
 */
class ResponderTest {
  private static final Vm WEB_1 = new Vm("acme/web-1", 1, "02:00:00:00:00:11", "fd00::11");
  private static final Vm WEB_2 = new Vm("acme/web-2", 2, "02:00:00:00:00:12", "fd00::12");
  private static final Vm WEB_3 = new Vm("acme/web-3", 0, "02:00:00:00:00:13", "fd00::13");
  private static final Vm DB_1 = new Vm("acme/db-1", 3, "02:00:00:00:01:11", "fd00:1::11");
  private static final Vm WWW_1 = new Vm("globex/www-1", 4, "02:00:00:00:00:11", "fd00::11");
  private static final Vm WWW_2 = new Vm("globex/www-2", 5, "02:00:00:00:0b:12", "fd00::12");
  private static final String WEB_1_V4 = "10.0.0.11";
  private static final String DB_1_V4 = "10.1.0.11";
  private static final String EDGE_WEB_MAC = "02:00:00:00:ff:01";
  private static final String EDGE_DB_MAC = "02:00:00:00:ff:02";
  private static final String EDGE_WEB_V4 = "10.0.0.1";
  private static final String EDGE_WEB_V6 = "fd00::1";
  private static final String EDGE_DB_V4 = "10.1.0.1";
  private static final String EDGE_DB_V6 = "fd00:1::1";
  private static final String WEB_1_LINK_LOCAL = "fe80::11";

  private static final Vm UPSTREAM = new Vm("acme/upstream", 3, "02:00:00:00:0f:01", "2001:db8::1");
  private static final String UPSTREAM_V4 = "203.0.113.1";
  private static final String EDGE_UP_MAC = "02:00:00:00:ff:03";
  private static final String EDGE_UP_V4 = "203.0.113.10";
  private static final String EDGE_UP_V6 = "2001:db8::10";
  /** edge's gateway port, as a neighbour upstream asks for. */
  private static final Vm EDGE_UP = new Vm("acme/edge-up", 0, EDGE_UP_MAC, EDGE_UP_V6);

  private static IntegrationBridge tenants;
  private static IntegrationBridge gateway;

  @BeforeAll
  static void loadChassis() throws Exception {
    StoreState state = Topologies.load(Path.of("src/test/resources/golden/overlapping-tenants/topology.json"));
    Map<String, Integer> local = Map.of(WEB_1.port(), WEB_1.ofport(), WEB_2.port(), WEB_2.ofport(),
        DB_1.port(), DB_1.ofport(), WWW_1.port(), WWW_1.ofport(), WWW_2.port(), WWW_2.ofport());
    ChassisView view = Topologies.chassis(state, "hv1", 10, local, Map.of(WEB_3.port(), "192.0.2.2"));
    tenants = IntegrationBridge.start(view, "192.0.2.1/24", Specializer.specialize(Topologies.logicalFlows(state), view));

    StoreState router = Topologies.load(Path.of("src/test/resources/golden/router/topology.json"));
    ChassisView hv1 = Topologies.chassis(router, "hv1", 10,
        Map.of("acme/web-1", 1, "acme/db-1", 2, UPSTREAM.port(), UPSTREAM.ofport()), Map.of());
    gateway = IntegrationBridge.start(hv1, "192.0.2.1/24", Specializer.specialize(Topologies.logicalFlows(router), hv1));
  }

  @AfterAll
  static void stopChassis() throws Exception {
    IntegrationBridge.closeAll(tenants, gateway);
  }

  @BeforeEach
  void cleanSlate() throws Exception {
    tenants.reset();
    gateway.reset();
  }

  @Test
  void solicitationForANeighbourIsAnsweredBackOutOfTheAskingPort() throws Exception {
    Icmp ns = multicastSolicitation(WEB_1, WEB_1.ip(), WEB_2.ip());
    // Within one commit OVS writes the option type before the option's address: which is why
    // the responder sets nd_tll (in table 32), not nd_sll. The ICMP and ND sets take its slow path.
    assertThat(tenants.trace(traceFlow(WEB_1, WEB_1.ip(), WEB_2.ip())).actions()).containsExactly(
        "set(eth(src=" + WEB_2.mac() + ",dst=" + WEB_1.mac() + "))",
        "set(ipv6(src=" + WEB_2.ip() + ",dst=" + WEB_1.ip() + "))",
        "set(nd_ext(nd_reserved=0x60000000,nd_options_type=2))",
        "set(nd(tll=" + WEB_2.mac() + "))",
        "set(icmpv6(type=136,code=0))", WEB_1.vif());

    tenants.send(WEB_1.vif(), ns.hex());
    assertThat(received(tenants, WEB_1)).containsExactly(Icmp.advertisement(WEB_2.mac(), WEB_1.mac(), WEB_2.ip(),
        WEB_1.ip(), SOLICITED | OVERRIDE, WEB_2.ip(), WEB_2.mac()));
    // answered, not flooded: the owner does not see the question
    assertThat(tenants.frames(WEB_2.vif(), 0)).isEmpty();
  }

  @Test
  void solicitationFromALinkLocalAddressIsAnsweredToIt() throws Exception {
    tenants.send(WEB_1.vif(), multicastSolicitation(WEB_1, WEB_1_LINK_LOCAL, WEB_2.ip()).hex());
    assertThat(received(tenants, WEB_1)).containsExactly(Icmp.advertisement(WEB_2.mac(), WEB_1.mac(), WEB_2.ip(),
        WEB_1_LINK_LOCAL, SOLICITED | OVERRIDE, WEB_2.ip(), WEB_2.mac()));
  }

  @Test
  void unicastSolicitationWithoutSourceLinkLayerOptionIsAnsweredWithoutTargetOption() throws Exception {
    // RFC 4861 4.3: a unicast solicitation may leave its link-layer address out; 7.2.4: the
    // answer to a unicast one may leave it out too (the asker knows it already). OVS cannot add
    // an option, so that is the answer.
    tenants.send(WEB_1.vif(), Icmp.solicitation(WEB_1.mac(), WEB_2.mac(), WEB_1.ip(), WEB_2.ip(), WEB_2.ip(), null).hex());
    assertThat(received(tenants, WEB_1)).containsExactly(Icmp.advertisement(WEB_2.mac(), WEB_1.mac(), WEB_2.ip(),
        WEB_1.ip(), SOLICITED | OVERRIDE, WEB_2.ip(), null));
    assertThat(tenants.frames(WEB_2.vif(), 0)).isEmpty();
  }

  @Test
  void duplicateAddressDetectionIsNeverAnsweredButReachesTheOwner() throws Exception {
    // web-1 probing web-2's address: web-2, up, defends it itself; the switch says nothing, or a
    // VM would take its own fresh address for a duplicate.
    Icmp probe = duplicateAddressDetection(WEB_1, WEB_2.ip());
    tenants.send(WEB_1.vif(), probe.hex());
    assertThat(received(tenants, WEB_2)).containsExactly(probe);
    assertNothingAnswered(tenants, WEB_1, WEB_2, SOLICITED | OVERRIDE);

    // web-2 probing its own address: not answered either, the others see it.
    Icmp own = duplicateAddressDetection(WEB_2, WEB_2.ip());
    tenants.send(WEB_2.vif(), own.hex());
    assertThat(received(tenants, WEB_1)).containsExactly(own);
    assertNothingAnswered(tenants, WEB_2, WEB_1, SOLICITED | OVERRIDE);
  }

  @Test
  void solicitationWithAHopLimitBelow255IsNotAnswered() throws Exception {
    // It may have been routed: RFC 4861 7.1.1 says to ignore it. It goes where it was sent.
    Icmp routed = toGroup(WEB_1, WEB_1.ip(), 254, WEB_2.ip(), WEB_1.mac());
    tenants.send(WEB_1.vif(), routed.hex());
    assertThat(received(tenants, WEB_2)).containsExactly(routed);
    assertNothingAnswered(tenants, WEB_1, WEB_2, SOLICITED | OVERRIDE);
  }

  @Test
  void solicitationIsAnsweredFromTheAskingTenantsPortsOnly() throws Exception {
    // globex's www-1 has acme's web-1's MAC and address, and asks for the address web-2 has in
    // acme: www-2's MAC answers, to www-1 alone.
    tenants.send(WWW_1.vif(), multicastSolicitation(WWW_1, WWW_1.ip(), WWW_2.ip()).hex());
    assertThat(received(tenants, WWW_1)).containsExactly(Icmp.advertisement(WWW_2.mac(), WWW_1.mac(), WWW_2.ip(),
        WWW_1.ip(), SOLICITED | OVERRIDE, WWW_2.ip(), WWW_2.mac()));
    assertThat(tenants.frames(WEB_1.vif(), 0)).isEmpty();
    assertThat(tenants.frames(WEB_2.vif(), 0)).isEmpty();
    assertThat(tenants.frames(WWW_2.vif(), 0)).isEmpty();
  }

  @Test
  void switchAnswersForItsRouterPortWithTheRouterFlag() throws Exception {
    tenants.send(WEB_1.vif(), multicastSolicitation(WEB_1, WEB_1.ip(), EDGE_WEB_V6).hex());
    assertThat(received(tenants, WEB_1)).containsExactly(Icmp.advertisement(EDGE_WEB_MAC, WEB_1.mac(), EDGE_WEB_V6,
        WEB_1.ip(), ROUTER | SOLICITED | OVERRIDE, EDGE_WEB_V6, EDGE_WEB_MAC));
  }

  @Test
  void neighbourDiscoveryPassesASecurityGroupBothWays() throws Exception {
    // db-1's group lets no ICMPv6 through: neighbour discovery passes all the same, and stays out
    // of conntrack, which would call it invalid.
    tenants.send(DB_1.vif(), multicastSolicitation(DB_1, DB_1.ip(), EDGE_DB_V6).hex());
    assertThat(received(tenants, DB_1)).containsExactly(Icmp.advertisement(EDGE_DB_MAC, DB_1.mac(), EDGE_DB_V6,
        DB_1.ip(), ROUTER | SOLICITED | OVERRIDE, EDGE_DB_V6, EDGE_DB_MAC));
  }

  @Test
  void routerAnswersPingOfItsAddress() throws Exception {
    tenants.send(WEB_1.vif(), Icmp.echoRequest(WEB_1.mac(), EDGE_WEB_MAC, WEB_1_V4, EDGE_WEB_V4, 64, 7, 1).hex());
    assertThat(received(tenants, WEB_1))
        .containsExactly(Icmp.echoReply(EDGE_WEB_MAC, WEB_1.mac(), EDGE_WEB_V4, WEB_1_V4, 255, 7, 1));
  }

  @Test
  void routerAnswersPingOfItsIpv6Address() throws Exception {
    tenants.send(WEB_1.vif(), Icmp.echoRequest(WEB_1.mac(), EDGE_WEB_MAC, WEB_1.ip(), EDGE_WEB_V6, 64, 8, 2).hex());
    assertThat(received(tenants, WEB_1))
        .containsExactly(Icmp.echoReply(EDGE_WEB_MAC, WEB_1.mac(), EDGE_WEB_V6, WEB_1.ip(), 255, 8, 2));
  }

  @Test
  void routerAnswersPingOfItsOtherPortsAddressesFromThePortAsked() throws Exception {
    tenants.send(WEB_1.vif(), Icmp.echoRequest(WEB_1.mac(), EDGE_WEB_MAC, WEB_1_V4, EDGE_DB_V4, 64, 9, 3).hex());
    tenants.send(WEB_1.vif(), Icmp.echoRequest(WEB_1.mac(), EDGE_WEB_MAC, WEB_1.ip(), EDGE_DB_V6, 64, 9, 4).hex());
    assertThat(received(tenants, WEB_1, 2)).containsExactly(
        Icmp.echoReply(EDGE_WEB_MAC, WEB_1.mac(), EDGE_DB_V4, WEB_1_V4, 255, 9, 3),
        Icmp.echoReply(EDGE_WEB_MAC, WEB_1.mac(), EDGE_DB_V6, WEB_1.ip(), 255, 9, 4));
    assertThat(tenants.frames(DB_1.vif(), 0)).isEmpty();
  }

  @Test
  void guardedPortPingsItsGatewayAndTheReplyIsItsConnections() throws Exception {
    // db-1's group lets ICMP out (committed) and none in: the reply passes as the connection's.
    tenants.send(DB_1.vif(), Icmp.echoRequest(DB_1.mac(), EDGE_DB_MAC, DB_1_V4, EDGE_DB_V4, 64, 10, 1).hex());
    assertThat(received(tenants, DB_1))
        .containsExactly(Icmp.echoReply(EDGE_DB_MAC, DB_1.mac(), EDGE_DB_V4, DB_1_V4, 255, 10, 1));
  }

  @Test
  void anotherTenantsRouterAddressIsNotAnswered() throws Exception {
    // globex has no router: acme's edge MAC and address mean nothing in globex's switch.
    tenants.send(WWW_1.vif(), Icmp.echoRequest(WWW_1.mac(), EDGE_WEB_MAC, WEB_1_V4, EDGE_WEB_V4, 64, 11, 1).hex());
    tenants.send(WWW_1.vif(), multicastSolicitation(WWW_1, WWW_1.ip(), EDGE_WEB_V6).hex());
    assertNothingAnswered(tenants, WWW_1, WWW_2, SOLICITED | OVERRIDE);
    assertThat(tenants.frames(WEB_1.vif(), 0)).isEmpty();
  }

  @Test
  void gatewayRouterAnswersSolicitationForItsUplinkAddress() throws Exception {
    // The uplink switch leaves the gateway port's addresses to the router, on its gateway chassis.
    gateway.send(UPSTREAM.vif(), multicastSolicitation(UPSTREAM, UPSTREAM.ip(), EDGE_UP_V6).hex());
    assertThat(received(gateway, UPSTREAM)).containsExactly(Icmp.advertisement(EDGE_UP_MAC, UPSTREAM.mac(),
        EDGE_UP_V6, UPSTREAM.ip(), ROUTER | SOLICITED | OVERRIDE, EDGE_UP_V6, EDGE_UP_MAC));

    Icmp unicast = Icmp.solicitation(UPSTREAM.mac(), EDGE_UP_MAC, UPSTREAM.ip(), EDGE_UP_V6, EDGE_UP_V6, null);
    gateway.send(UPSTREAM.vif(), unicast.hex());
    assertThat(received(gateway, UPSTREAM)).containsExactly(Icmp.advertisement(EDGE_UP_MAC, UPSTREAM.mac(),
        EDGE_UP_V6, UPSTREAM.ip(), ROUTER | SOLICITED | OVERRIDE, EDGE_UP_V6, null));
  }

  @Test
  void gatewayRouterNeverAnswersDuplicateAddressDetection() throws Exception {
    gateway.send(UPSTREAM.vif(), duplicateAddressDetection(UPSTREAM, EDGE_UP_V6).hex());
    assertNothingAnswered(gateway, UPSTREAM, EDGE_UP, ROUTER | SOLICITED | OVERRIDE);
  }

  @Test
  void gatewayRouterAnswersPingFromOutsideBothFamilies() throws Exception {
    // The IPv4 address is also the SNAT address: the request goes through un-SNAT (no connection)
    // first, and the reply is not taken for a connection to translate.
    gateway.send(UPSTREAM.vif(), Icmp.echoRequest(UPSTREAM.mac(), EDGE_UP_MAC, UPSTREAM_V4, EDGE_UP_V4, 64, 12, 1).hex());
    gateway.send(UPSTREAM.vif(), Icmp.echoRequest(UPSTREAM.mac(), EDGE_UP_MAC, UPSTREAM.ip(), EDGE_UP_V6, 64, 12, 2).hex());
    assertThat(received(gateway, UPSTREAM, 2)).containsExactly(
        Icmp.echoReply(EDGE_UP_MAC, UPSTREAM.mac(), EDGE_UP_V4, UPSTREAM_V4, 255, 12, 1),
        Icmp.echoReply(EDGE_UP_MAC, UPSTREAM.mac(), EDGE_UP_V6, UPSTREAM.ip(), 255, 12, 2));
  }

  /** What Linux sends to resolve {@code target}: to its solicited-node group, with its own MAC as option. */
  private static Icmp multicastSolicitation(Vm from, String source, String target) {
    return toGroup(from, source, 255, target, from.mac());
  }

  /** A probe whether {@code target} is free: from the unspecified address, without link-layer option. */
  private static Icmp duplicateAddressDetection(Vm from, String target) {
    return toGroup(from, "::", 255, target, null);
  }

  /** A solicitation for {@code target} to its solicited-node group. */
  private static Icmp toGroup(Vm from, String source, int hopLimit, String target, String sll) {
    String group = Icmp.solicitedNode(target);
    return Icmp.solicitation(from.mac(), Icmp.multicastMac(group), source, group, hopLimit, target, sll);
  }

  /** {@link #multicastSolicitation} in the flow syntax ofproto/trace takes. */
  private static String traceFlow(Vm from, String source, String target) {
    Icmp ns = multicastSolicitation(from, source, target);
    return "in_port=" + from.ofport() + ",dl_src=" + ns.ethSrc() + ",dl_dst=" + ns.ethDst() + ",icmp6,ipv6_src="
        + source + ",ipv6_dst=" + ns.ipDst() + ",nw_ttl=255,icmpv6_type=135,icmpv6_code=0,nd_target=" + target
        + ",nd_sll=" + from.mac() + ",nd_options_type=1";
  }

  private static List<Icmp> received(IntegrationBridge chassis, Vm vm) throws Exception {
    return received(chassis, vm, 1);
  }

  private static List<Icmp> received(IntegrationBridge chassis, Vm vm, int count) throws Exception {
    return chassis.frames(vm.vif(), count).stream().map(Icmp::parse).toList();
  }

  /**
   * Nothing came back to {@code vm} for what it sent: it then asks for {@code neighbour}'s
   * address, through the same port and datapath thread, and that answer is all that arrives.
   */
  private static void assertNothingAnswered(IntegrationBridge chassis, Vm vm, Vm neighbour, int flags)
      throws Exception {
    chassis.send(vm.vif(), multicastSolicitation(vm, vm.ip(), neighbour.ip()).hex());
    assertThat(received(chassis, vm)).containsExactly(Icmp.advertisement(neighbour.mac(), vm.mac(), neighbour.ip(),
        vm.ip(), flags, neighbour.ip(), neighbour.mac()));
  }
}
