package tenet.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tenet.compiler.incremental.LogicalCompiler;
import tenet.compiler.logical.LogicalFlow;
import tenet.store.core.StoreState;

/**
 * Topology in, logical flows out: each directory under src/test/resources/golden holds a
 * transaction ({@code topology.json}, a tenet.v1.TxnRequest in proto JSON) and the expected flows
 * ({@code flows.txt}). Regenerate after an intended change with
 * {@code -Dtenet.golden.update=true} and review the diff.
 */
class GoldenTest {
  private static final Path ROOT = Path.of("src/test/resources/golden");
  private static final boolean UPDATE = Boolean.getBoolean("tenet.golden.update");

  static Stream<String> cases() throws IOException {
    try (Stream<Path> dirs = Files.list(ROOT)) {
      return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void compilesAsRecorded(String name) throws Exception {
    Path dir = ROOT.resolve(name);
    StoreState state = Topologies.load(dir.resolve("topology.json"));

    StringBuilder out = new StringBuilder();
    for (List<LogicalFlow> flows : LogicalCompiler.full(state).flows().values()) {
      out.append("# ").append(flows.get(0).datapath()).append('\n');
      for (LogicalFlow flow : flows) {
        out.append(flow).append('\n');
      }
    }
    Path expected = dir.resolve("flows.txt");
    if (UPDATE || !Files.exists(expected)) {
      Files.writeString(expected, out.toString(), StandardCharsets.UTF_8);
    }
    assertThat(out.toString()).isEqualTo(Files.readString(expected));
  }
}
