package tenet.agent.sriov.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tenet.agent.sriov.VfSettings;
import tenet.agent.sriov.VfState;

class IpLinkTest {
  @Test
  void allOfAVfsSettingsGoInOneCommand() throws Exception {
    List<List<String>> ran = new ArrayList<>();
    IpLink ip = new IpLink(argv -> {
      ran.add(argv);
      return "";
    });
    ip.configure("enp3s0f0", 3, new VfSettings("02:00:00:00:00:0a", 100, true, false));
    ip.configure("enp3s0f0", 4, new VfSettings("02:00:00:00:00:0b", null, null, null));
    ip.configure("enp3s0f0", 5, new VfSettings(null, 0, false, true));
    ip.configure("enp3s0f0", 6, VfSettings.NONE);
    assertThat(ran).containsExactly(
        List.of("ip", "link", "set", "dev", "enp3s0f0", "vf", "3", "mac", "02:00:00:00:00:0a", "vlan", "100",
            "spoofchk", "on", "trust", "off"),
        List.of("ip", "link", "set", "dev", "enp3s0f0", "vf", "4", "mac", "02:00:00:00:00:0b"),
        List.of("ip", "link", "set", "dev", "enp3s0f0", "vf", "5", "vlan", "0", "spoofchk", "off", "trust", "on"));
  }

  @Test
  void vfSettingsAreReadFromIpJsonOfEitherIproute2Generation() throws Exception {
    List<List<String>> ran = new ArrayList<>();
    // iproute2 >= 5.x: "address" and "link_type"; VLAN list with the VLAN or nothing for 0.
    String current = """
        [{"ifindex":4,"ifname":"enp3s0f0","flags":["BROADCAST","MULTICAST","UP"],"mtu":1500,
          "link_type":"ether","address":"b8:59:9f:00:00:01","broadcast":"ff:ff:ff:ff:ff:ff",
          "vfinfo_list":[
            {"vf":0,"link_type":"ether","address":"02:00:00:00:00:0A","broadcast":"ff:ff:ff:ff:ff:ff",
             "vlan_list":[{"vlan":100}],"rate":{"max_tx":0,"min_tx":0},"spoofchk":true,"link_state":"auto",
             "trust":false,"query_rss_en":false},
            {"vf":1,"link_type":"ether","address":"00:00:00:00:00:00","broadcast":"ff:ff:ff:ff:ff:ff",
             "vlan_list":[{}],"rate":{"max_tx":0,"min_tx":0},"spoofchk":false,"link_state":"auto","trust":true}]}]
        """;
    IpLink ip = new IpLink(argv -> {
      ran.add(argv);
      return current;
    });
    assertThat(ip.vfs("enp3s0f0")).isEqualTo(Map.of(
        0, new VfState(0, "02:00:00:00:00:0a", 100, true, false),
        1, new VfState(1, "00:00:00:00:00:00", 0, false, true)));
    assertThat(ran).containsExactly(List.of("ip", "-j", "link", "show", "dev", "enp3s0f0"));

    // Older iproute2: "mac"; a driver without IFLA_VF_VLAN_LIST gives "vlan"; no spoofchk/trust reported.
    String older = """
        [{"ifindex":4,"ifname":"enp3s0f0","vfinfo_list":[{"vf":2,"mac":"02:00:00:00:00:0c","vlan":7}]}]
        """;
    assertThat(IpLink.parse(older)).isEqualTo(Map.of(2, new VfState(2, "02:00:00:00:00:0c", 7, null, null)));
    assertThat(IpLink.parse("[{\"ifindex\":2,\"ifname\":\"eth0\"}]")).isEmpty();
  }

  /**
   * The real {@code ip} against a real (but VF-less) interface: iproute2 parses the argv and the
   * kernel refuses the request with EOPNOTSUPP, so what reaches netlink is well-formed. Needs root
   * (creating a veth pair); skipped elsewhere.
   */
  @Test
  void theRealIpAcceptsTheArgvAndTheKernelAnswersForAVethWithoutVfs() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip")), "no ip");
    String a = "tsriov" + ProcessHandle.current().pid() % 100000;
    try {
      Command.PROCESS.run(List.of("ip", "link", "add", a, "type", "veth", "peer", "name", a + "p"));
    } catch (IOException e) {
      assumeTrue(false, "cannot create a veth pair here: " + e.getMessage());
    }
    try {
      IpLink ip = new IpLink();
      assertThat(ip.vfs(a)).isEmpty();
      assertThatThrownBy(() -> ip.configure(a, 0, new VfSettings("02:00:00:00:00:0a", 100, true, false)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("ip link set dev " + a + " vf 0 mac 02:00:00:00:00:0a vlan 100 spoofchk on trust off failed")
          .hasMessageContaining("Operation not supported");
      // A malformed request, for contrast, is iproute2's own complaint.
      assertThatThrownBy(() -> Command.PROCESS.run(List.of("ip", "link", "set", "dev", a, "vf", "0", "mac", "zz")))
          .isInstanceOf(IOException.class).message().doesNotContain("Operation not supported");
    } finally {
      Command.PROCESS.run(List.of("ip", "link", "del", a));
    }
  }
}
