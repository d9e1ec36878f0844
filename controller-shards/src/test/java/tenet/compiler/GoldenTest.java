package tenet.compiler;

import java.io.IOException;
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
 * ({@code flows.txt}). A missing file fails; regenerate after an intended change with
 * {@code -Dtenet.golden.update=true} and review the diff ({@link Golden}).
 */
class GoldenTest {
  private static final Path ROOT = Path.of("src/test/resources/golden");

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
    Golden.check(dir.resolve("flows.txt"), out.toString());
  }
}
