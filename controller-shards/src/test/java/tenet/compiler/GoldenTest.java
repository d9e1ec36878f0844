package tenet.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tenet.api.v1.Kind;
import tenet.api.v1.TxnRequest;
import tenet.compiler.input.RouterConfigs;
import tenet.compiler.input.SwitchConfigs;
import tenet.compiler.logical.LogicalFlow;
import tenet.compiler.pipeline.RouterPipeline;
import tenet.compiler.pipeline.SwitchPipeline;
import tenet.store.core.PlanResult;
import tenet.store.core.StoreState;
import tenet.store.core.TxnPlanner;
import tenet.store.model.ResourceKey;

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
    TxnRequest.Builder txn = TxnRequest.newBuilder();
    JsonFormat.parser().merge(Files.readString(dir.resolve("topology.json")), txn);
    StoreState state = new StoreState();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < TxnPlanner.createCount(txn.build()); i++) {
      ids.add("id-" + i);
    }
    PlanResult result = TxnPlanner.plan(state, txn.build(), Timestamp.getDefaultInstance(), ids);
    assertThat(result).as("the topology is valid").isInstanceOf(PlanResult.Accepted.class);
    state.commit(((PlanResult.Accepted) result).plan());

    StringBuilder out = new StringBuilder();
    for (ResourceKey key : state.objects().keySet()) {
      List<LogicalFlow> flows;
      if (key.kind() == Kind.LOGICAL_SWITCH) {
        flows = SwitchPipeline.compile(SwitchConfigs.from(state, key));
      } else if (key.kind() == Kind.LOGICAL_ROUTER) {
        flows = RouterPipeline.compile(RouterConfigs.from(state, key));
      } else {
        continue;
      }
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
