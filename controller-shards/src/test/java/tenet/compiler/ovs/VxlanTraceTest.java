package tenet.compiler.ovs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tenet.compiler.Topologies;
import tenet.compiler.input.ChassisViews;
import tenet.compiler.specialize.ChassisView;
import tenet.compiler.specialize.Specializer;
import tenet.store.core.StoreState;

/**
 * VXLAN, the second encapsulation, in a real ovs-vswitchd: hv1 speaks Geneve and VXLAN, hv2
 * only VXLAN, so what hv1 sends hv2 goes in a VXLAN tunnel whose VNI carries the datapath and
 * the output port, and what arrives that way is delivered by the VNI alone. The view is read
 * from the store (chassis and port bindings), as the controller builds it.
 */
class VxlanTraceTest {
  private static final String WEB_1_MAC = "02:00:00:00:01:11";
  private static final String DB_1_MAC = "02:00:00:00:02:11";
  private static final String EDGE_WEB_MAC = "02:00:00:00:ff:01";

  private static IntegrationBridge hv1;
  private static StoreState state;

  @BeforeAll
  static void loadChassis() throws Exception {
    state = Topologies.load(Path.of("src/test/resources/golden/router/topology.json"));
    assertThat(Topologies.commit(state, Topologies.txn("""
        {"ops": [
          {"create": {"resource": {"chassis": {"metadata": {"name": "hv1"}, "hostname": "hv1", "tunnelIp": "192.0.2.1", "encapsulations": ["GENEVE", "VXLAN"]}}}},
          {"create": {"resource": {"chassis": {"metadata": {"name": "hv2"}, "hostname": "hv2", "tunnelIp": "192.0.2.2", "encapsulations": ["VXLAN"]}}}},
          {"create": {"resource": {"portBinding": {"metadata": {"tenant": "acme", "name": "web-1"}, "logicalPort": "web-1", "chassis": "hv1", "ofport": 1}}}},
          {"create": {"resource": {"portBinding": {"metadata": {"tenant": "acme", "name": "db-1"}, "logicalPort": "db-1", "chassis": "hv2", "ofport": 1}}}}
        ]}"""), "chassis")).isNotNull();
    ChassisView view = ChassisViews.from(state, "hv1").orElseThrow();
    hv1 = IntegrationBridge.start(view, "192.0.2.1/24", Specializer.specialize(Topologies.logicalFlows(state), view));
  }

  @AfterAll
  static void stopChassis() throws Exception {
    IntegrationBridge.closeAll(hv1);
  }

  @Test
  void routedToAPortOnAVxlanOnlyChassisTheVniNamesItsSwitchAndPort() throws Exception {
    List<String> actions = hv1.trace("in_port=1,dl_src=" + WEB_1_MAC + ",dl_dst=" + EDGE_WEB_MAC
        + ",icmp,nw_src=10.0.1.11,nw_dst=10.0.2.11,nw_ttl=64,icmp_type=8,icmp_code=0", "trk,new").actions();
    assertThat(actions).contains("set(ipv4(ttl=63))");
    assertThat(actions.subList(actions.size() - 2, actions.size())).containsExactly(
        "vxlan(dst=192.0.2.2,datapath=" + datapath("db") + ",outport=" + port("db-1") + ")", IntegrationBridge.UPLINK);
  }

  @Test
  void arrivingByVxlanIsDeliveredToThePortTheVniNames() throws Exception {
    assertThat(hv1.trace(fromVxlan(datapath("web") << 12 | port("web-1"), "dl_dst=" + WEB_1_MAC)).actions())
        .containsExactly("vif1");
  }

  @Test
  void aFloodArrivingByVxlanReachesTheLocalPortsOnly() throws Exception {
    assertThat(hv1.trace(fromVxlan(datapath("web") << 12 | 0xfff, "dl_dst=ff:ff:ff:ff:ff:ff")).actions())
        .containsExactly("vif1");
  }

  @Test
  void aVniOfADatapathNotHereIsDropped() throws Exception {
    assertThat(hv1.trace(fromVxlan(999 << 12 | 1, "dl_dst=" + WEB_1_MAC)).actions()).containsExactly("drop");
  }

  private static String fromVxlan(long vni, String dlDst) {
    return "in_port=" + ChassisViews.VXLAN_OFPORT + ",tun_id=" + vni + ",tun_src=192.0.2.2,tun_dst=192.0.2.1,dl_src="
        + DB_1_MAC + "," + dlDst + ",icmp,nw_src=10.0.2.11,nw_dst=10.0.1.11,nw_ttl=63,icmp_type=0,icmp_code=0";
  }

  private static int datapath(String sw) {
    return Topologies.tunnelKey(state, tenet.api.v1.Kind.LOGICAL_SWITCH, "acme", sw);
  }

  private static int port(String name) {
    return Topologies.portRef(state, "acme/" + name).port();
  }
}
