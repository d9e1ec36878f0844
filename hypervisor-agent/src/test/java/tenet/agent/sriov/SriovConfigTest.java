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
    assertThat(c.reconcileInterval()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void pfsAreRead() {
    SriovConfig c = parse("""
        pfs = [ "enp3s0f1", { name = enp3s0f0, numvfs = 8 } ]
        """);
    assertThat(c.enabled()).isTrue();
    assertThat(c.pfs()).containsExactly(new SriovConfig.Pf("enp3s0f1", null), new SriovConfig.Pf("enp3s0f0", 8));
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "pfs = [{name = enp3s0f0, numvfs = -1}] | tenet.agent.sriov.pfs[0].numvfs | cannot be negative, got -1",
      "pfs = [{numvfs = 2}] | tenet.agent.sriov.pfs[0].name | missing",
      "pfs = [\"a-very-long-interface-name\"] | tenet.agent.sriov.pfs[0] | an interface name (1 to 15 characters",
      "pfs = [enp3s0f0, enp3s0f0] | tenet.agent.sriov.pfs[1].name | enp3s0f0 is listed twice",
      "pfs = [enp3s0f0], ports = [] | tenet.agent.sriov.ports | which logical port gets a VF is the API's to say",
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
