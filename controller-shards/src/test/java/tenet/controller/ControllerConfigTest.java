package tenet.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tenet.store.ratis.StoreConfig;

class ControllerConfigTest {
  private static ControllerConfig parse(String hocon) {
    return ControllerConfig.from(ConfigFactory.load(ConfigFactory.parseString(hocon)));
  }

  @Test
  void defaultsAreAnEmbeddedSingleNode() {
    ControllerConfig c = parse("");
    assertThat(c.apiPort()).isEqualTo(7400);
    assertThat(c.store().peers()).containsExactly(new StoreConfig.PeerAddress("c1", "127.0.0.1:7410"));
    assertThat(c.store().dataDir()).isEqualTo(Path.of("data/c1"));
  }

  @Test
  void aThreeNodeConfigFollowsTheNodeId() {
    ControllerConfig c = parse("""
        tenet.controller {
          node-id = c2
          raft.port = 7411
          peers = ["c1@127.0.0.1:7410", "c2@127.0.0.1:7411", "c3@127.0.0.1:7412"]
          store.election-timeout-min = 200ms
          store.election-timeout-max = 400ms
        }
        """);
    assertThat(c.store().nodeId()).isEqualTo("c2");
    assertThat(c.store().dataDir()).as("data-dir default follows node-id").isEqualTo(Path.of("data/c2"));
    assertThat(c.store().peers()).hasSize(3);
    assertThat(c.store().electionTimeoutMax().toMillis()).isEqualTo(400);
  }

  @Test
  void mistakesNameTheKeyAndTheFix() {
    assertThatThrownBy(() -> parse("tenet.controller.peers = [\"c1-127.0.0.1:7410\"]"))
        .isInstanceOf(ConfigException.BadValue.class)
        .hasMessageContaining("tenet.controller.peers").hasMessageContaining("expected \"id@host:port\"");
    assertThatThrownBy(() -> parse("tenet.controller.peers = [\"c2@127.0.0.1:7411\"]"))
        .hasMessageContaining("does not list this node 'c1'");
    assertThatThrownBy(() -> parse("tenet.controller.api.port = 70000"))
        .hasMessageContaining("tenet.controller.api.port").hasMessageContaining("0 to 65535");
    assertThatThrownBy(() -> parse("tenet.controller.store.election-timeout-max = 100ms"))
        .hasMessageContaining("must be greater than election-timeout-min");
    assertThat(parse("tenet.controller { join = true, peers = [\"c2@127.0.0.1:7411\"] }").store().join()).isTrue();
  }
}
