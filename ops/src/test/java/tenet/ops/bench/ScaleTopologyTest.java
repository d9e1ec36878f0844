package tenet.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tenet.agent.v1.HostedPort;
import tenet.api.v1.LogicalSwitch;
import tenet.api.v1.LogicalSwitchPort;
import tenet.api.v1.Metadata;
import tenet.api.v1.PortBinding;
import tenet.api.v1.Resource;
import tenet.api.v1.TxnOp;
import tenet.api.v1.TxnRequest;
import tenet.api.v1.TxnResponse;

class ScaleTopologyTest {
  /** What a store would answer: every created switch and port, with keys counted up. */
  private static TxnResponse answer(TxnRequest txn) {
    TxnResponse.Builder out = TxnResponse.newBuilder();
    int key = 1;
    for (TxnOp op : txn.getOpsList()) {
      Resource r = op.getCreate().getResource();
      switch (r.getKindCase()) {
        case LOGICAL_SWITCH -> out.addResults(Resource.newBuilder().setLogicalSwitch(
            r.getLogicalSwitch().toBuilder().setTunnelKey(key++)));
        case LOGICAL_SWITCH_PORT -> out.addResults(Resource.newBuilder().setLogicalSwitchPort(
            r.getLogicalSwitchPort().toBuilder().setPortKey(key++)));
        default -> out.addResults(r);
      }
    }
    return out.build();
  }

  @Test
  void portsArePluggedInWhereBenchCompileBindsThem() {
    int ports = 120;
    int chassis = 7;
    TxnRequest bound = new CompileTopology(ports, chassis).tenants(0, 3);
    Map<String, String> binding = new HashMap<>();
    for (TxnOp op : bound.getOpsList()) {
      if (op.getCreate().getResource().hasPortBinding()) {
        PortBinding b = op.getCreate().getResource().getPortBinding();
        binding.put(b.getMetadata().getTenant() + "/" + b.getLogicalPort(), b.getChassis() + "@" + b.getOfport());
      }
    }
    ScaleTopology topology = new ScaleTopology(ports, chassis);
    int hosted = 0;
    for (int c = 0; c < chassis; c++) {
      for (HostedPort p : topology.hosted(c)) {
        assertThat(binding.get(p.getTenant() + "/" + p.getLogicalPort()))
            .isEqualTo(CompileTopology.chassisName(c) + "@" + p.getOfport());
        hosted++;
      }
    }
    assertThat(hosted).isEqualTo(ports);
    // Declared the same, without the bindings.
    TxnRequest declared = topology.declared(0, 3);
    assertThat(declared.getOpsCount()).isEqualTo(bound.getOpsCount() - ports);
    assertThat(declared.getOpsList()).noneMatch(op -> op.getCreate().getResource().hasPortBinding());
  }

  @Test
  void aChassisWaitsForItsPortsAndTheOtherPortsOfItsTenants() {
    ScaleTopology topology = new ScaleTopology(80, 50); // chassis 0..29 host 2 ports, 30..49 host 1
    topology.learn(answer(topology.declared(0, 2)));
    assertThat((List<Long>) topology.marks(0, false)).containsExactly(FlowMarks.localPort(1), FlowMarks.localPort(2));
    // Chassis 0 hosts port 0 (tenant 0) and port 50 (tenant 1): 39 other ports of each.
    assertThat((List<Long>) topology.marks(0, true)).hasSize(2 + 39 + 39).doesNotHaveDuplicates();
    // Chassis 45 hosts port 45 (tenant 1) only.
    assertThat((List<Long>) topology.marks(45, true)).hasSize(1 + 39);
  }

  @Test
  void anAddedPortGoesToTheNextChassisAndReachesItsTenantsChassis() {
    ScaleTopology topology = new ScaleTopology(80, 50);
    topology.learn(answer(topology.declared(0, 2)));
    ScaleTopology.Added first = topology.nextPort(new SplittableRandom(1));
    assertThat(first.chassis()).isEqualTo(80 % 50);
    assertThat(first.ofport()).isEqualTo(2); // chassis 30 hosts port 30 only, at ofport 1
    assertThat(first.name()).isEqualTo("x0");
    assertThat(first.host()).isEqualTo(100);
    LogicalSwitchPort created = first.create().getOps(0).getCreate().getResource().getLogicalSwitchPort();
    assertThat(created.getMac()).isEqualTo(first.mac());
    topology.created(first, TxnResponse.newBuilder().addResults(Resource.newBuilder().setLogicalSwitchPort(
        created.toBuilder().setPortKey(99))).build());

    assertThat(topology.hosted(first.chassis())).contains(first.hosted());
    // Tenant t's 40 ports sit on chassis 40t .. 40t+39 mod 50: 40 chassis, the port's own among them or not.
    int t = first.tenant();
    assertThat(topology.affected(first)).contains(first.chassis()).hasSizeBetween(40, 41);
    assertThat(topology.mark(first, first.chassis())).isEqualTo(FlowMarks.localPort(first.ofport()));
    int other = (t * 40 + 5) % 50;
    assertThat(topology.mark(first, other)).isEqualTo(FlowMarks.remotePort(switchKey(topology, t, first.sw()), 99));
  }

  private static int switchKey(ScaleTopology topology, int t, int s) {
    // answer() numbers the switch of tenant t, switch s, in creation order: find it again.
    TxnRequest declared = topology.declared(0, 2);
    TxnResponse keys = answer(declared);
    for (Resource r : keys.getResultsList()) {
      LogicalSwitch sw = r.getLogicalSwitch();
      Metadata m = sw.getMetadata();
      if (r.hasLogicalSwitch() && m.getTenant().equals("t" + t) && m.getName().equals("s" + s)) {
        return sw.getTunnelKey();
      }
    }
    throw new AssertionError("no switch t" + t + "/s" + s);
  }

  @Test
  void theFailoverReachesEveryChassisThroughATenantItHosts() {
    ScaleTopology topology = new ScaleTopology(400, 100); // 10 tenants; chassis' first ports in 3 of them
    TxnRequest ports = topology.failoverPorts();
    assertThat(ports.getOpsCount()).isEqualTo(3);
    List<String> macs = ports.getOpsList().stream()
        .map(op -> op.getCreate().getResource().getLogicalSwitchPort().getMac()).toList();
    for (int c = 0; c < 100; c++) {
      assertThat(macs.stream().map(FlowMarks::mac)).contains(topology.failoverMark(c));
    }
    assertThat(topology.failoverMark(0)).isEqualTo(FlowMarks.mac(macs.get(0)));
  }
}
