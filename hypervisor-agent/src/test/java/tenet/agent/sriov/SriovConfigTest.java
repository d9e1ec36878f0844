package tenet.agent.sriov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SriovConfigTest {
  @Test
  void theDefaultsTurnSriovOff() {
    SriovConfig c = SriovConfig.from(ConfigFactory.load());
    assertThat(c.enabled()).isFalse();
    assertThat(c.sysfsRoot()).isEqualTo("/sys");
    assertThat(c.ports()).isEmpty();
    assertThat(c.reconcileInterval()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void pfsAndPortsAreRead() {
    SriovConfig c = parse("""
        pfs = [ "enp3s0f1", { name = enp3s0f0, numvfs = 8 } ]
        ports = [
          { port = "acme/web-1", pf = enp3s0f0, mac = "02:AA:00:00:00:01", vlan = 100, spoof-check = on, trust = off }
          { port = "acme/db-1", pf = enp3s0f1, vf = 3, mac = "02-aa-00-00-00-02" }
        ]
        """);
    assertThat(c.enabled()).isTrue();
    assertThat(c.pfs()).containsExactly(new SriovConfig.Pf("enp3s0f1", null), new SriovConfig.Pf("enp3s0f0", 8));
    assertThat(c.ports()).containsExactly(
        new SriovConfig.Port("acme", "web-1", "enp3s0f0", null, "02:aa:00:00:00:01", 100, true, false),
        new SriovConfig.Port("acme", "db-1", "enp3s0f1", 3, "02:aa:00:00:00:02", null, null, null));
    assertThat(c.ports().get(0).ifaceId()).isEqualTo("acme/web-1");
    assertThat(c.pfIndex("enp3s0f0")).isEqualTo(1);
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "ports = [{port = \"a/p\", pf = enp3s0f0, mac = \"03:00:00:00:00:01\"}] | tenet.agent.sriov.ports[0].mac | 03:00:00:00:00:01 is a multicast address (the first octet is odd); a VF needs a unicast MAC",
      "ports = [{port = \"a/p\", pf = enp3s0f0, mac = \"00:00:00:00:00:00\"}] | tenet.agent.sriov.ports[0].mac | 00:00:00:00:00:00 is no address",
      "ports = [{port = \"a/p\", pf = enp3s0f0, mac = \"02:00:00:00:01\"}] | tenet.agent.sriov.ports[0].mac | '02:00:00:00:01' is not a MAC address",
      "ports = [{port = \"a/p\", pf = enp3s0f0, mac = \"02:00:00:00:00:01\", vlan = 4095}] | tenet.agent.sriov.ports[0].vlan | a VLAN id 1..4094, or 0 for none, got 4095",
      "ports = [{port = \"a/p\", pf = eth9, mac = \"02:00:00:00:00:01\"}] | tenet.agent.sriov.ports[0].pf | eth9 is not one of the PFs in tenet.agent.sriov.pfs [enp3s0f0]",
      "ports = [{port = \"a/p\", pf = enp3s0f0, mac = \"02:00:00:00:00:01\", spoofchk = on}] | tenet.agent.sriov.ports[0].spoofchk | unknown key; known: [mac, pf, port, spoof-check, trust, vf, vlan]",
      "ports = [{port = \"p\", pf = enp3s0f0, mac = \"02:00:00:00:00:01\"}] | tenet.agent.sriov.ports[0].port | expected tenant/logical-port",
      "ports = [{pf = enp3s0f0, mac = \"02:00:00:00:00:01\"}] | tenet.agent.sriov.ports[0].port | missing",
      "ports = [{port = \"a/p\", pf = enp3s0f0, mac = \"02:00:00:00:00:01\", vf = -1}] | tenet.agent.sriov.ports[0].vf | cannot be negative",
      "ports = [{port = \"a/p\", pf = enp3s0f0, mac = \"02:00:00:00:00:01\", vf = 4}] | tenet.agent.sriov.ports[0].vf | VF 4 of enp3s0f0 will not exist: tenet.agent.sriov.pfs[0].numvfs is 4 (VFs 0..3)",
      "ports = [{port = \"a/p\", pf = enp3s0f0, mac = \"02:00:00:00:00:01\"}, {port = \"a/p\", pf = enp3s0f0, mac = \"02:00:00:00:00:02\"}] | tenet.agent.sriov.ports[1].port | a/p already has a VF (ports[0])",
      "ports = [{port = \"a/p\", pf = enp3s0f0, mac = \"02:00:00:00:00:01\"}, {port = \"a/q\", pf = enp3s0f0, mac = \"02:00:00:00:00:01\"}] | tenet.agent.sriov.ports[1].mac | 02:00:00:00:00:01 is already ports[0]'s",
      "ports = [{port = \"a/p\", pf = enp3s0f0, vf = 1, mac = \"02:00:00:00:00:01\"}, {port = \"a/q\", pf = enp3s0f0, vf = 1, mac = \"02:00:00:00:00:02\"}] | tenet.agent.sriov.ports[1].vf | VF 1 of enp3s0f0 is already ports[0]'s",
  })
  void aBadPortNamesItsFieldAndTheReason(String ports, String field, String reason) {
    assertThatThrownBy(() -> parse("pfs = [{name = enp3s0f0, numvfs = 4}]\n" + ports))
        .isInstanceOf(ConfigException.BadValue.class)
        .hasMessageContaining("Invalid value at '" + field + "': " + reason);
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "pfs = [{name = enp3s0f0, numvfs = -1}] | tenet.agent.sriov.pfs[0].numvfs | cannot be negative, got -1",
      "pfs = [{numvfs = 2}] | tenet.agent.sriov.pfs[0].name | missing",
      "pfs = [\"a-very-long-interface-name\"] | tenet.agent.sriov.pfs[0] | an interface name (1 to 15 characters",
      "pfs = [enp3s0f0, enp3s0f0] | tenet.agent.sriov.pfs[1].name | enp3s0f0 is listed twice",
      "pfs = [{name = enp3s0f0, numvfs = 1}], ports = [{port = \"a/p\", pf = enp3s0f0, mac = \"02:00:00:00:00:01\"}, {port = \"a/q\", pf = enp3s0f0, mac = \"02:00:00:00:00:02\"}] | tenet.agent.sriov.pfs[0].numvfs | 2 ports want a VF of enp3s0f0, which gets only 1",
      "sysfs-root = sys | tenet.agent.sriov.sysfs-root | an absolute path",
      "reconcile-interval = 0s | tenet.agent.sriov.reconcile-interval | must be positive",
  })
  void aBadPfNamesItsFieldAndTheReason(String text, String field, String reason) {
    assertThatThrownBy(() -> parse(text))
        .isInstanceOf(ConfigException.BadValue.class)
        .hasMessageContaining("Invalid value at '" + field + "': " + reason);
  }

  private static SriovConfig parse(String sriov) {
    return SriovConfig.from(ConfigFactory.parseString("tenet.agent.sriov {\n" + sriov + "\n}")
        .withFallback(ConfigFactory.load()));
  }
}
