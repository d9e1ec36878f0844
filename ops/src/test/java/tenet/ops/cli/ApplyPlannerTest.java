package tenet.ops.cli;

import tenet.api.Resources;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tenet.api.v1.Kind;
import tenet.api.v1.LogicalSwitch;
import tenet.api.v1.LogicalSwitchPort;
import tenet.api.v1.Metadata;
import tenet.api.v1.ObjectRef;
import tenet.api.v1.Resource;
import tenet.api.v1.TxnOp;

class ApplyPlannerTest {
  private static final String FILE = """
      tenant: acme
      logicalSwitches: [{name: web, subnets: [10.0.0.0/24], labels: {zone: a}}]
      logicalSwitchPorts: [{name: web-1, logicalSwitch: web, mac: "02:00:00:00:00:01", ips: [10.0.0.11]}]
      """;

  private final Map<ObjectRef, Resource> store = new HashMap<>();

  private Optional<Resource> read(ObjectRef ref) {
    return Optional.ofNullable(store.get(ref));
  }

  /** What the server would hold after creating {@code r}: ids, revisions, times, allocated keys. */
  private void stored(Resource r, long revision) {
    Metadata m = Resources.metadata(r).toBuilder()
        .setId("id-" + Resources.metadata(r).getName()).setRevision(revision).setCreateRevision(revision)
        .setCreateTime(Timestamp.newBuilder().setSeconds(1_700_000_000))
        .setUpdateTime(Timestamp.newBuilder().setSeconds(1_700_000_000)).build();
    Resource s = Resources.withMetadata(r, m);
    if (s.hasLogicalSwitch()) {
      s = s.toBuilder().setLogicalSwitch(s.getLogicalSwitch().toBuilder().setTunnelKey(7)).build();
    }
    if (s.hasLogicalSwitchPort()) {
      s = s.toBuilder().setLogicalSwitchPort(s.getLogicalSwitchPort().toBuilder().setPortKey(3)).build();
    }
    store.put(Resources.ref(s), s);
  }

  private static List<Resource> declared(String yaml) {
    return TopologyParser.parse("t.yaml", yaml);
  }

  @Test
  void emptyStoreCreatesEverythingInDependencyOrder() {
    ApplyPlan plan = ApplyPlanner.plan(declared("""
        tenant: acme
        portBindings: [{logicalPort: web-1, chassis: hv1}]
        logicalSwitchPorts: [{name: web-1, logicalSwitch: web, mac: "02:00:00:00:00:01"}]
        logicalSwitches: [{name: web}]
        ---
        chassis: [{name: hv1, hostname: hv1, tunnelIp: 192.0.2.1, encapsulations: [GENEVE]}]
        """), this::read);

    assertThat(plan.steps()).extracting(s -> s.ref().getKind()).containsExactly(
        Kind.TENANT, Kind.LOGICAL_SWITCH, Kind.LOGICAL_SWITCH_PORT, Kind.CHASSIS, Kind.PORT_BINDING);
    assertThat(plan.steps()).allMatch(s -> s.action() == ApplyPlan.Action.CREATE);
    assertThat(plan.txn().getOpsList()).allMatch(TxnOp::hasCreate).hasSize(5);
  }

  @Test
  void whatIsStoredAsDeclaredIsUnchangedDespiteOutputOnlyFields() {
    List<Resource> want = declared(FILE);
    for (int i = 0; i < want.size(); i++) {
      stored(want.get(i), 10 + i);
    }

    ApplyPlan plan = ApplyPlanner.plan(want, this::read);

    assertThat(plan.steps()).allMatch(s -> s.action() == ApplyPlan.Action.UNCHANGED);
    assertThat(plan.hasChanges()).isFalse();
    assertThat(plan.txn().getOpsCount()).isZero();
  }

  @Test
  void aChangedFieldIsAnUpdateAgainstTheReadRevisionKeepingStoreOwnedFields() {
    stored(declared(FILE).get(1), 42);
    List<Resource> want = declared(FILE.replace("10.0.0.0/24", "10.0.9.0/24"));

    ApplyPlan.Step step = ApplyPlanner.plan(want, this::read).steps().stream()
        .filter(s -> s.ref().getKind() == Kind.LOGICAL_SWITCH).findFirst().orElseThrow();

    assertThat(step.action()).isEqualTo(ApplyPlan.Action.UPDATE);
    assertThat(step.expectedRevision()).isEqualTo(42);
    assertThat(step.changedFields()).containsExactly("subnets");
    LogicalSwitch sent = step.resource().getLogicalSwitch();
    assertThat(sent.getSubnetsList()).containsExactly("10.0.9.0/24");
    assertThat(sent.getTunnelKey()).isEqualTo(7);
    assertThat(sent.getMetadata().getId()).isEqualTo("id-web");
    assertThat(sent.getMetadata().getLabelsMap()).isEqualTo(Map.of("zone", "a"));
  }

  @Test
  void labelsAreDeclaredState() {
    stored(declared(FILE).get(1), 5);
    ApplyPlan.Step step = ApplyPlanner.plan(declared(FILE.replace("{zone: a}", "{zone: b, new: x}")), this::read)
        .steps().get(1);

    assertThat(step.action()).isEqualTo(ApplyPlan.Action.UPDATE);
    assertThat(step.changedFields()).containsExactly("labels");
    assertThat(Resources.metadata(step.resource()).getLabelsMap()).isEqualTo(Map.of("zone", "b", "new", "x"));
  }

  @Test
  void aFieldLeftOutOfTheFileIsResetToItsDefault() {
    Resource web = declared(FILE).get(1);
    stored(web.toBuilder().setLogicalSwitch(web.getLogicalSwitch().toBuilder().setMtu(9000)).build(), 5);

    ApplyPlan.Step step = ApplyPlanner.plan(declared(FILE), this::read).steps().get(1);

    assertThat(step.action()).isEqualTo(ApplyPlan.Action.UPDATE);
    assertThat(step.changedFields()).containsExactly("mtu");
    assertThat(step.resource().getLogicalSwitch().getMtu()).isZero();
  }

  @Test
  void mixedPlanPutsCreatesAndUpdatesInOneTransactionWithExpectedRevisions() {
    List<Resource> first = declared(FILE);
    stored(first.get(0), 3);
    stored(first.get(1), 4);
    List<Resource> want = declared(FILE.replace("ips: [10.0.0.11]", "ips: [10.0.0.11]")
        .replace("labels: {zone: a}", "labels: {zone: a}, mtu: 1400"));

    ApplyPlan plan = ApplyPlanner.plan(want, this::read);

    assertThat(plan.steps()).extracting(ApplyPlan.Step::action).containsExactly(
        ApplyPlan.Action.UNCHANGED, ApplyPlan.Action.UPDATE, ApplyPlan.Action.CREATE);
    List<TxnOp> ops = plan.txn().getOpsList();
    assertThat(ops).hasSize(2);
    assertThat(ops.get(0).getUpdate().getExpectedRevision()).isEqualTo(4);
    assertThat(ops.get(0).getUpdate().getResource().getLogicalSwitch().getMtu()).isEqualTo(1400);
    LogicalSwitchPort created = ops.get(1).getCreate().getResource().getLogicalSwitchPort();
    assertThat(created.getMetadata().getName()).isEqualTo("web-1");
    assertThat(created.getPortKey()).isZero();
    assertThat(plan.changes()).extracting(s -> s.ref().getName()).containsExactly("web", "web-1");
  }

  @Test
  void readsEachDeclaredObjectOnce() {
    List<ObjectRef> reads = new java.util.ArrayList<>();
    ApplyPlanner.plan(declared(FILE), ref -> {
      reads.add(ref);
      return Optional.empty();
    });
    assertThat(reads).extracting(ObjectRef::getName).containsExactly("acme", "web", "web-1");
    assertThat(reads.get(0).getTenant()).isEqualTo("acme");
  }

  @Test
  void applyLinesSayWhatHappened() {
    stored(declared(FILE).get(1), 5);
    ApplyPlan plan = ApplyPlanner.plan(declared(FILE.replace("{zone: a}", "{zone: b}")), this::read);

    assertThat(plan.steps()).extracting(s -> ApplyCommand.line(s, false)).containsExactly(
        "tenant acme created", "logical-switch acme/web updated (labels)", "logical-switch-port acme/web-1 created");
    assertThat(plan.steps()).extracting(s -> ApplyCommand.line(s, true)).containsExactly(
        "tenant acme would be created", "logical-switch acme/web would be updated (labels)",
        "logical-switch-port acme/web-1 would be created");
  }
}
