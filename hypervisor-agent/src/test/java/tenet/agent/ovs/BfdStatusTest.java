package tenet.agent.ovs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BfdStatusTest {
  @Test
  void readsEachInterfacesStatusAsOvsVsctlPrintsIt() {
    String out = """
        name                : tbfdc0a86402
        bfd_status          : {diagnostic="No Diagnostic", flap_count="1", forwarding="true", remote_diagnostic="No Diagnostic", remote_state=up, state=up}

        name                : "tenet-geneve"
        bfd_status          : {}

        name                : tbfdc0a86403
        bfd_status          : {diagnostic="Control Detection Time Expired", flap_count="2", forwarding="false", remote_diagnostic="No Diagnostic", remote_state=down, state=down}
        """;
    var status = BfdStatus.parse(out);
    assertThat(status.get("tbfdc0a86402")).containsEntry("state", "up").containsEntry("forwarding", "true")
        .containsEntry("diagnostic", "No Diagnostic").containsEntry("flap_count", "1");
    assertThat(status.get("tenet-geneve")).isEmpty();
    assertThat(status.get("tbfdc0a86403")).containsEntry("state", "down").containsEntry("forwarding", "false")
        .containsEntry("diagnostic", "Control Detection Time Expired");
    assertThat(BfdStatus.parse("")).isEmpty();
  }
}
