package tenet.compiler;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tenet.compiler.specialize.ChassisView;
import tenet.compiler.specialize.OpenFlowRule;
import tenet.compiler.specialize.Specializer;
import tenet.store.core.StoreState;

/**
 * The router topology of the golden cases, specialized for chassis hv1 (web-1 and the uplink
 * port local, db-1 on hv2): the OpenFlow an agent would load, recorded in
 * golden/router/hv1.of ({@link Golden}: a missing file fails; regenerate with
 * -Dtenet.golden.update=true).
 */
class SpecializerGoldenTest {
  private static final Path DIR = Path.of("src/test/resources/golden/router");

  @Test
  void hv1() throws Exception {
    StoreState state = Topologies.load(DIR.resolve("topology.json"));
    ChassisView hv1 = Topologies.chassis(state, "hv1", 10,
        Map.of("acme/web-1", 1, "acme/upstream", 2), Map.of("acme/db-1", "192.0.2.2"));

    StringBuilder out = new StringBuilder();
    for (OpenFlowRule rule : Specializer.specialize(Topologies.logicalFlows(state), hv1)) {
      out.append(rule.toOfctl()).append('\n');
    }
    Golden.check(DIR.resolve("hv1.of"), out.toString());
  }
}
