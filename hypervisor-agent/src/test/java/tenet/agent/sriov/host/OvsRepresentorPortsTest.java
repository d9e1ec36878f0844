package tenet.agent.sriov.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tenet.agent.sriov.RepresentorPort;

class OvsRepresentorPortsTest {
  private static final RepresentorPort PORT =
      new RepresentorPort("enp3s0f0_3", "acme/web-1", "enp3s0f0", 3, "0000:03:00.5", "02:00:00:00:00:0a");

  @Test
  void aRepresentorIsAddedAndLabelledAsItsLogicalPortInOneTransaction() {
    assertThat(OvsRepresentorPorts.plugArgv("br-int", PORT)).containsExactly(
        "--may-exist", "add-port", "br-int", "enp3s0f0_3", "--", "set", "Interface", "enp3s0f0_3",
        "external_ids:iface-id=\"acme/web-1\"", "external_ids:attached-mac=\"02:00:00:00:00:0a\"",
        "external_ids:tenet-port-type=\"sriov-vf\"", "external_ids:tenet-sriov-pf=\"enp3s0f0\"",
        "external_ids:tenet-sriov-vf=\"3\"", "external_ids:tenet-sriov-vf-pci=\"0000:03:00.5\"");
    assertThat(OvsRepresentorPorts.unplugArgv("br-int", "enp3s0f0_3"))
        .containsExactly("--if-exists", "del-port", "br-int", "enp3s0f0_3");
    assertThat(OvsRepresentorPorts.listArgv())
        .containsExactly("--format=json", "--columns=name,external_ids", "list", "Interface");
  }

  @Test
  void onlyInterfacesLabelledSriovVfAreTheAgentsRepresentors() {
    String json = """
        {"data":[
          ["enp3s0f0_3",["map",[["attached-mac","02:00:00:00:00:0a"],["iface-id","acme/web-1"],
            ["tenet-port-type","sriov-vf"],["tenet-sriov-pf","enp3s0f0"],["tenet-sriov-vf","3"],
            ["tenet-sriov-vf-pci","0000:03:00.5"]]]],
          ["tap0",["map",[["iface-id","acme/vm-1"]]]],
          ["br-int",["map",[]]],
          ["enp3s0f0_4",["map",[["iface-id","acme/x"],["tenet-port-type","sriov-vf"],["tenet-sriov-vf","four"]]]]
        ],"headings":["name","external_ids"]}
        """;
    assertThat(OvsRepresentorPorts.parse(json)).containsExactly(PORT,
        new RepresentorPort("enp3s0f0_4", "acme/x", "", -1, "", ""));
  }
}
