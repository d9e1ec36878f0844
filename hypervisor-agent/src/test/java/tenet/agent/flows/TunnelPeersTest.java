package tenet.agent.flows;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tenet.agent.v1.Flow;

class TunnelPeersTest {
  @Test
  void peersAreTheChassisTheGeneveFlowsTunnelTo() {
    List<Flow> flows = List.of(
        flow(1, "set_field:5->tun_id,set_field:192.0.2.2->tun_dst,move:NXM_NX_REG14[0..14]->NXM_NX_TUN_METADATA0[16..30],output:65000"),
        flow(2, "set_field:5->tun_id,set_field:192.0.2.3->tun_dst,output:65000,set_field:192.0.2.4->tun_dst,output:65000"),
        flow(3, "set_field:0x5000->tun_id,set_field:192.0.2.9->tun_dst,output:65001"),
        flow(4, "resubmit(,9)"));
    assertThat(TunnelPeers.of(flows)).containsExactly("192.0.2.2", "192.0.2.3", "192.0.2.4");
  }

  @Test
  void aBfdPortsPacketsAreReclassifiedAsTheGenevePortsAndTheDiffKeepsThoseFlows() {
    List<Flow> local = TunnelPeers.reclassify(Map.of("192.0.2.2", 7));
    assertThat(local).singleElement().satisfies(f -> {
      assertThat(f.getMatch()).isEqualTo("in_port=7");
      assertThat(f.getActions()).isEqualTo("load:65000->NXM_OF_IN_PORT[],resubmit(,0)");
    });
    FlowSet set = new FlowSet();
    CookieMap<Flow> flows = new CookieMap<>();
    flows.put(1, flow(1, "drop"));
    set.replace(1, flows);
    set.setLocal(local);
    long localCookie = local.get(0).getCookie();
    assertThat(set.changesFrom(CookieSet.of(List.of(1L, localCookie))).isEmpty()).isTrue();
    assertThat(set.changesFrom(CookieSet.of(List.of(1L))).add()).containsExactlyElementsOf(local);
    set.setLocal(List.of());
    assertThat(set.changesFrom(CookieSet.of(List.of(1L, localCookie))).delete()).containsExactly(localCookie);
  }

  @Test
  void portNamesFitAnInterfaceName() {
    assertThat(TunnelPeers.portName("192.168.100.2")).isEqualTo("tbfdc0a86402").hasSizeLessThanOrEqualTo(15);
  }

  private static Flow flow(long cookie, String actions) {
    return Flow.newBuilder().setCookie(cookie).setTable(37).setPriority(100).setMatch("reg15=1").setActions(actions).build();
  }
}
