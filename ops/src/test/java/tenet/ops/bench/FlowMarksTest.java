package tenet.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tenet.agent.v1.Flow;
import tenet.api.v1.Kind;
import tenet.api.v1.TxnRequest;
import tenet.compiler.incremental.IncrementalSpecializer;
import tenet.compiler.specialize.OpenFlowRule;
import tenet.southbound.WireFlows;
import tenet.store.core.PlanResult;
import tenet.store.core.StoreState;
import tenet.store.core.TxnPlanner;

class FlowMarksTest {
  private static Flow flow(int table, int priority, String match) {
    return Flow.newBuilder().setCookie(1).setTable(table).setPriority(priority).setMatch(match).setActions("drop").build();
  }

  @Test
  void readsTheThreeRulesThatPlaceAPort() {
    assertThat(FlowMarks.of(flow(0, 100, "in_port=17"))).isEqualTo(FlowMarks.localPort(17));
    assertThat(FlowMarks.of(flow(37, 100, "metadata=300,reg15=4"))).isEqualTo(FlowMarks.remotePort(300, 4));
    assertThat(FlowMarks.of(flow(13, 50, "metadata=300,dl_dst=0a:00:00:01:f3:0c")))
        .isEqualTo(FlowMarks.mac("0a:00:00:01:f3:0c"));
  }

  @Test
  void otherRulesHaveNone() {
    assertThat(FlowMarks.of(flow(0, 100, "in_port=65000,tun_id=3"))).isEqualTo(FlowMarks.NONE);
    assertThat(FlowMarks.of(flow(0, 0, ""))).isEqualTo(FlowMarks.NONE);
    assertThat(FlowMarks.of(flow(37, 110, "metadata=3,reg15=65535,reg10=0/1"))).isEqualTo(FlowMarks.NONE);
    assertThat(FlowMarks.of(flow(37, 100, "metadata=3,reg15=65535,reg10=0/1"))).isEqualTo(FlowMarks.NONE);
    assertThat(FlowMarks.of(flow(13, 70, "metadata=3,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00")))
        .isEqualTo(FlowMarks.NONE);
    assertThat(FlowMarks.of(flow(13, 50, "metadata=3,dl_dst=zz:00:00:00:00:00"))).isEqualTo(FlowMarks.NONE);
    assertThat(FlowMarks.of(flow(38, 100, "metadata=3,reg15=4"))).isEqualTo(FlowMarks.NONE);
  }

  @Test
  void marksOfDifferentKindsNeverMeet() {
    assertThat(Set.of(FlowMarks.localPort(1), FlowMarks.remotePort(0, 1), FlowMarks.mac("00:00:00:00:00:01")))
        .hasSize(3);
    assertThat(FlowMarks.remotePort(0xffffff, 0x7fff)).isNotEqualTo(FlowMarks.remotePort(0xfffffe, 0x7fff));
  }

  /**
   * What the compiler makes for a chassis of the bench's topology carries the marks the bench
   * waits for: its ports classified, every other port of its tenants tunnelled, the switches'
   * MACs looked up. Guards the bench against a change of the table layout.
   */
  @Test
  void theCompilersRulesForAChassisCarryTheMarksTheBenchWaitsFor() {
    int ports = 80;
    int chassis = 6;
    StoreState state = new StoreState();
    CompileTopology bound = new CompileTopology(ports, chassis);
    commit(state, bound.chassis(0, chassis));
    commit(state, bound.tenants(0, ports / CompileTopology.PORTS_PER_TENANT));
    ScaleTopology topology = new ScaleTopology(ports, chassis);
    topology.learn(tenet.api.v1.TxnResponse.newBuilder().addAllResults(
        state.objects(Kind.LOGICAL_SWITCH, "t0").values()).addAllResults(state.objects(Kind.LOGICAL_SWITCH, "t1").values())
        .addAllResults(state.objects(Kind.LOGICAL_SWITCH_PORT, "t0").values())
        .addAllResults(state.objects(Kind.LOGICAL_SWITCH_PORT, "t1").values()).build());

    IncrementalSpecializer compiler = IncrementalSpecializer.full(state);
    for (int c = 0; c < chassis; c++) {
      Set<Long> marks = new HashSet<>();
      for (OpenFlowRule rule : compiler.rules(CompileTopology.chassisName(c))) {
        marks.add(FlowMarks.of(WireFlows.of(rule)));
      }
      List<Long> wanted = new ArrayList<>(topology.marks(c, true));
      assertThat(wanted).hasSizeGreaterThan(ports / chassis);
      assertThat(marks).as("chassis %d", c).containsAll(wanted);
      assertThat(marks).contains(FlowMarks.mac(CompileTopology.portMac(0, 1, 3)));
    }
  }

  private static void commit(StoreState state, TxnRequest txn) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < TxnPlanner.createCount(txn); i++) {
      ids.add("id-" + state.size() + "-" + i);
    }
    PlanResult result = TxnPlanner.plan(state, txn, Timestamp.getDefaultInstance(), ids);
    assertThat(result).isInstanceOf(PlanResult.Accepted.class);
    state.commit(((PlanResult.Accepted) result).plan());
  }
}
