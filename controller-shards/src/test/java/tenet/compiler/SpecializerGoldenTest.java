package tenet.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tenet.api.v1.Kind;
import tenet.api.v1.TxnRequest;
import tenet.compiler.input.RouterConfigs;
import tenet.compiler.input.SwitchConfigs;
import tenet.compiler.logical.LogicalFlow;
import tenet.compiler.pipeline.RouterPipeline;
import tenet.compiler.pipeline.SwitchPipeline;
import tenet.compiler.specialize.ChassisView;
import tenet.compiler.specialize.ChassisView.Patch;
import tenet.compiler.specialize.ChassisView.PortRef;
import tenet.compiler.specialize.OpenFlowRule;
import tenet.compiler.specialize.Specializer;
import tenet.store.core.PlanResult;
import tenet.store.core.StoreState;
import tenet.store.core.TxnPlanner;
import tenet.store.model.ResourceKey;

/**
 * The router topology of the golden cases, specialized for chassis hv1 (web-1 and the uplink
 * port local, db-1 on hv2): the OpenFlow an agent would load, recorded in
 * golden/router/hv1.of (regenerate with -Dtenet.golden.update=true).
 */
class SpecializerGoldenTest {
  private static final Path DIR = Path.of("src/test/resources/golden/router");

  @Test
  void hv1() throws Exception {
    TxnRequest.Builder txn = TxnRequest.newBuilder();
    JsonFormat.parser().merge(Files.readString(DIR.resolve("topology.json")), txn);
    StoreState state = new StoreState();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < TxnPlanner.createCount(txn.build()); i++) {
      ids.add("id-" + i);
    }
    state.commit(((PlanResult.Accepted) TxnPlanner.plan(state, txn.build(), Timestamp.getDefaultInstance(), ids)).plan());

    List<LogicalFlow> logical = new ArrayList<>();
    for (ResourceKey key : state.objects().keySet()) {
      if (key.kind() == Kind.LOGICAL_SWITCH) {
        logical.addAll(SwitchPipeline.compile(SwitchConfigs.from(state, key)));
      } else if (key.kind() == Kind.LOGICAL_ROUTER) {
        logical.addAll(RouterPipeline.compile(RouterConfigs.from(state, key)));
      }
    }
    // Keys as the store allocated them (see golden/router/flows.txt): web=1, db=2, uplink=3,
    // edge=4; web-1 is port 1 of web, db-1 port 1 of db, upstream port 1 of uplink.
    ChassisView hv1 = new ChassisView("hv1", 10,
        Map.of(new PortRef(1, 1), 1, new PortRef(3, 1), 2),
        Map.of(new PortRef(2, 1), "192.0.2.2"),
        List.of(new Patch(1, 2, 4, 1), new Patch(2, 2, 4, 2), new Patch(3, 2, 4, 3)));

    StringBuilder out = new StringBuilder();
    for (OpenFlowRule rule : Specializer.specialize(logical, hv1)) {
      out.append(rule.toOfctl()).append('\n');
    }
    Path expected = DIR.resolve("hv1.of");
    if (Boolean.getBoolean("tenet.golden.update") || !Files.exists(expected)) {
      Files.writeString(expected, out.toString(), StandardCharsets.UTF_8);
    }
    assertThat(out.toString()).isEqualTo(Files.readString(expected));
  }
}
