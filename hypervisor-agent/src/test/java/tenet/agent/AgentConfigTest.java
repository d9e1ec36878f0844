package tenet.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The agent's intervals: defaults, and a clear word for what is wrong or gone. */
class AgentConfigTest {
  private static AgentConfig parse(String ovs) {
    return AgentConfig.from(ConfigFactory.load(ConfigFactory.parseString("tenet.agent.ovs { " + ovs + " }")));
  }

  @Test
  void flowsAndBfdAreAuditedEverySecondAndTheInterfacesReadAgainEveryHalfMinute() {
    AgentConfig c = parse("");
    assertThat(c.auditInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.vifRereadInterval()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void theOldPollIntervalIsRefusedSayingWhatReplacedIt() {
    assertThatThrownBy(() -> parse("vif-poll-interval = 1s")).isInstanceOf(ConfigException.BadValue.class)
        .hasMessageContaining("tenet.agent.ovs.vif-poll-interval").hasMessageContaining("ovs.vif-reread-interval")
        .hasMessageContaining("ovs.audit-interval");
  }

  @Test
  void anIntervalOfZeroIsRefusedNamingTheField() {
    assertThatThrownBy(() -> parse("vif-reread-interval = 0s")).isInstanceOf(ConfigException.BadValue.class)
        .hasMessageContaining("tenet.agent.ovs.vif-reread-interval");
    assertThatThrownBy(() -> parse("audit-interval = -1s")).isInstanceOf(ConfigException.BadValue.class)
        .hasMessageContaining("tenet.agent.ovs.audit-interval");
  }
}
