package tenet.compiler.ovs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tenet.api.v1.Kind;
import tenet.compiler.Topologies;
import tenet.compiler.specialize.ChassisView;
import tenet.compiler.specialize.Specializer;
import tenet.store.core.StoreState;

/**
 * NAT of golden/router in a real ovs-vswitchd, every port on this chassis: edge routes web
 * (web-1, floating IP 203.0.113.50) and db (db-1, SNAT to edge's uplink address 203.0.113.10)
 * to the uplink switch, where upstream (203.0.113.1) stands for the outside.
 *
 * <p>Each case asserts what ofproto/trace says the datapath does, exactly, and then sends the
 * packets for real and asserts what arrives: a trace cannot follow a connection (after a bare
 * {@code ct(nat)} it goes on with the addresses untranslated), the datapath's conntrack does.
 */
class NatTraceTest {
  private static final Path TOPOLOGY = Path.of("src/test/resources/golden/router/topology.json");
  private static final Vm WEB_1 = new Vm("acme/web-1", 1, "02:00:00:00:01:11", "10.0.1.11");
  private static final Vm DB_1 = new Vm("acme/db-1", 2, "02:00:00:00:02:11", "10.0.2.11");
  private static final Vm UPSTREAM = new Vm("acme/upstream", 3, "02:00:00:00:0f:01", "203.0.113.1");
  private static final String EDGE_WEB_MAC = "02:00:00:00:ff:01";
  private static final String EDGE_DB_MAC = "02:00:00:00:ff:02";
  private static final String EDGE_UP_MAC = "02:00:00:00:ff:03";
  /** The SNAT address of 10.0.0.0/16: edge's own address on the uplink. */
  private static final String SNAT_IP = "203.0.113.10";
  private static final String FLOATING_IP = "203.0.113.50";


  private static IntegrationBridge hv1;
  /** Edge's conntrack zone: 32768 + its tunnel key, the range docs/pipeline.md gives routers. */
  private static int zone;

  @BeforeAll
  static void loadChassis() throws Exception {
    StoreState state = Topologies.load(TOPOLOGY);
    zone = 0x8000 + Topologies.tunnelKey(state, Kind.LOGICAL_ROUTER, "acme", "edge");
    Map<String, Integer> local = Map.of(WEB_1.port(), WEB_1.ofport(), DB_1.port(), DB_1.ofport(),
        UPSTREAM.port(), UPSTREAM.ofport());
    ChassisView view = Topologies.chassis(state, "hv1", 10, local, Map.of());
    hv1 = IntegrationBridge.start(view, "192.0.2.1/24", Specializer.specialize(Topologies.logicalFlows(state), view));
  }

  @AfterAll
  static void stopChassis() throws Exception {
    IntegrationBridge.closeAll(hv1);
  }

  @BeforeEach
  void cleanSlate() throws Exception {
    hv1.reset();
  }

  @Test
  void floatingIpIsTranslatedToItsVmInbound() throws Exception {
    Packet in = Packet.udp(UPSTREAM.mac(), EDGE_UP_MAC, UPSTREAM.ip(), FLOATING_IP, 64, 40000, 8080);
    // The router's zone first (no connection: untranslated), then DNAT committed there; the
    // trace follows nat(dst=...) as conntrack would, so routing sees web-1's address. Into web's
    // switch the packet crosses without the router's conntrack state (ct_clear).
    assertThat(hv1.trace(in.flow(UPSTREAM.ofport()), "trk,new", "trk,new").passes()).containsExactly(
        List.of("ct(zone=" + zone + ",nat)", "recirc"),
        List.of("ct(commit,zone=" + zone + ",nat(dst=" + WEB_1.ip() + "))", "recirc"),
        List.of("ct_clear", "set(eth(src=" + EDGE_WEB_MAC + ",dst=" + WEB_1.mac() + "))", "set(ipv4(ttl=63))",
            WEB_1.vif()));

    hv1.send(UPSTREAM.vif(), in);
    assertThat(hv1.received(WEB_1.vif(), 1))
        .containsExactly(Packet.udp(EDGE_WEB_MAC, WEB_1.mac(), UPSTREAM.ip(), WEB_1.ip(), 63, 40000, 8080));
  }

  @Test
  void vmReplyLeavesWithTheFloatingIpAsSource() throws Exception {
    Packet reply = Packet.udp(WEB_1.mac(), EDGE_WEB_MAC, WEB_1.ip(), UPSTREAM.ip(), 64, 8080, 40000);
    // Un-DNAT in the router's zone rewrites the source (conntrack does, the trace cannot show
    // it); a reply is never SNATed anew.
    assertThat(hv1.trace(reply.flow(WEB_1.ofport()), "trk,est,rpl").passes()).containsExactly(
        List.of("set(eth(src=" + EDGE_UP_MAC + ",dst=" + UPSTREAM.mac() + "))", "set(ipv4(ttl=63))",
            "ct(zone=" + zone + ",nat)", "recirc"),
        List.of("ct_clear", UPSTREAM.vif()));

    hv1.send(UPSTREAM.vif(), Packet.udp(UPSTREAM.mac(), EDGE_UP_MAC, UPSTREAM.ip(), FLOATING_IP, 64, 40000, 8080));
    assertThat(hv1.received(WEB_1.vif(), 1)).hasSize(1);
    hv1.send(WEB_1.vif(), reply);
    assertThat(hv1.received(UPSTREAM.vif(), 1))
        .containsExactly(Packet.udp(EDGE_UP_MAC, UPSTREAM.mac(), FLOATING_IP, UPSTREAM.ip(), 63, 8080, 40000));
  }

  @Test
  void vmWithoutFloatingIpIsSnattedOutbound() throws Exception {
    Packet out = Packet.udp(DB_1.mac(), EDGE_DB_MAC, DB_1.ip(), UPSTREAM.ip(), 64, 40000, 53);
    assertThat(hv1.trace(out.flow(DB_1.ofport()), "trk,new").passes()).containsExactly(
        List.of("set(eth(src=" + EDGE_UP_MAC + ",dst=" + UPSTREAM.mac() + "))", "set(ipv4(ttl=63))",
            "ct(commit,zone=" + zone + ",nat(src=" + SNAT_IP + "))", "recirc"),
        List.of("ct_clear", UPSTREAM.vif()));

    hv1.send(DB_1.vif(), out);
    assertThat(hv1.received(UPSTREAM.vif(), 1))
        .containsExactly(Packet.udp(EDGE_UP_MAC, UPSTREAM.mac(), SNAT_IP, UPSTREAM.ip(), 63, 40000, 53));
  }

  @Test
  void snatReplyIsTranslatedBackToItsVm() throws Exception {
    Packet reply = Packet.udp(UPSTREAM.mac(), EDGE_UP_MAC, UPSTREAM.ip(), SNAT_IP, 64, 53, 40000);
    // Addressed to the router's own address: the router's zone must see it before IP input
    // would drop it. (The trace goes on untranslated from there, so only its first pass counts.)
    assertThat(hv1.trace(reply.flow(UPSTREAM.ofport()), "trk,est,rpl").passes().get(0))
        .containsExactly("ct(zone=" + zone + ",nat)", "recirc");

    hv1.send(DB_1.vif(), Packet.udp(DB_1.mac(), EDGE_DB_MAC, DB_1.ip(), UPSTREAM.ip(), 64, 40000, 53));
    assertThat(hv1.received(UPSTREAM.vif(), 1)).hasSize(1);
    hv1.send(UPSTREAM.vif(), reply);
    assertThat(hv1.received(DB_1.vif(), 1))
        .containsExactly(Packet.udp(EDGE_DB_MAC, DB_1.mac(), UPSTREAM.ip(), DB_1.ip(), 63, 53, 40000));
  }

  @Test
  void newConnectionToTheRoutersOwnAddressIsStillDropped() throws Exception {
    Packet in = Packet.udp(UPSTREAM.mac(), EDGE_UP_MAC, UPSTREAM.ip(), SNAT_IP, 64, 40000, 9999);
    // No connection to translate: IP input drops it, as before un-SNAT came first.
    assertThat(hv1.trace(in.flow(UPSTREAM.ofport()), "trk,new").passes()).containsExactly(
        List.of("ct(zone=" + zone + ",nat)", "recirc"), List.of("drop"));
  }
}
