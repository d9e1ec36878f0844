package tenet.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerAddressTest {
  @TempDir
  Path dir;

  @Test
  void flagThenEnvironmentThenConfigThenDefault() {
    CliConfig config = new CliConfig(Optional.of("cfg:1"));
    assertThat(ServerAddress.resolve("flag:1", Map.of("TENET_SERVER", "env:1"), () -> config)).isEqualTo("flag:1");
    assertThat(ServerAddress.resolve(null, Map.of("TENET_SERVER", "env:1"), () -> config)).isEqualTo("env:1");
    assertThat(ServerAddress.resolve(null, Map.of(), () -> config)).isEqualTo("cfg:1");
    assertThat(ServerAddress.resolve(null, Map.of(), () -> CliConfig.EMPTY)).isEqualTo("127.0.0.1:7400");
  }

  @Test
  void configFile() throws Exception {
    Path file = Files.writeString(dir.resolve("tenetctl.yaml"), "server: ctl.example:7400\n");
    assertThat(CliConfig.load(file, true).server()).contains("ctl.example:7400");

    assertThat(CliConfig.load(dir.resolve("absent.yaml"), false)).isEqualTo(CliConfig.EMPTY);
    assertThatThrownBy(() -> CliConfig.load(dir.resolve("absent.yaml"), true))
        .isInstanceOf(UsageException.class).hasMessageEndingWith("absent.yaml: no such file");

    Path bad = Files.writeString(dir.resolve("bad.yaml"), "sever: x:1\n");
    assertThatThrownBy(() -> CliConfig.load(bad, true))
        .isInstanceOf(UsageException.class).hasMessageEndingWith("unknown setting \"sever\" (known: server)");
  }
}
