package tenet.southbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tenet.agent.v1.Hello;
import tenet.agent.v1.HostedPort;
import tenet.agent.v1.Ports;
import tenet.api.v1.Encapsulation;
import tenet.api.Resources;
import tenet.api.v1.Kind;
import tenet.api.v1.LogicalSwitchPort;
import tenet.api.v1.Resource;
import tenet.api.v1.TxnRequest;
import tenet.compiler.Topologies;
import tenet.store.core.StoreState;
import tenet.store.model.ResourceKey;

/** What an agent reports becomes the store transaction that makes the desired state say so, and nothing more. */
class RegistrationTest {
  private StoreState state;

  @BeforeEach
  void topology() throws Exception {
    state = Topologies.load(Path.of("src/test/resources/golden/router/topology.json"));
  }

  @Test
  void aNewAgentRegistersItsChassisAndBindsWhatItHosts() {
    commit(hello("hv1", "192.0.2.1", port("web-1", 1), port("db-1", 2)));
    assertThat(state.get(new ResourceKey(Kind.CHASSIS, "", "hv1")).orElseThrow().getChassis().getTunnelIp())
        .isEqualTo("192.0.2.1");
    assertThat(binding("web-1").getOfport()).isEqualTo(1);
    assertThat(binding("db-1").getChassis()).isEqualTo("hv1");
  }

  @Test
  void reportingTheSameAgainWritesNothing() {
    Hello hello = hello("hv1", "192.0.2.1", port("web-1", 1));
    commit(hello);
    assertThat(txn(hello).getOpsList()).isEmpty();
  }

  @Test
  void aPortThatMovesIsReboundAndOneThatLeftIsUnbound() {
    commit(hello("hv1", "192.0.2.1", port("web-1", 1), port("db-1", 2)));
    commit(hello("hv2", "192.0.2.2", port("db-1", 7)));
    assertThat(binding("db-1").getChassis()).isEqualTo("hv2");
    assertThat(binding("db-1").getOfport()).isEqualTo(7);

    TxnRequest unplug = Registration.ports(state, "hv1", List.of());
    assertThat(unplug.getOpsList()).singleElement().satisfies(op -> assertThat(op.getDelete().getRef().getName())
        .isEqualTo("web-1"));
  }

  @Test
  void aVifNamingNoDeclaredPortIsLeftOutUntilThePortExists() {
    commit(hello("hv1", "192.0.2.1", port("web-9", 3)));
    assertThat(state.get(new ResourceKey(Kind.PORT_BINDING, "acme", "web-9"))).isEmpty();
  }

  @Test
  void aTunnelAddressChangeUpdatesTheChassis() {
    commit(hello("hv1", "192.0.2.1"));
    commit(hello("hv1", "192.0.2.9"));
    assertThat(state.get(new ResourceKey(Kind.CHASSIS, "", "hv1")).orElseThrow().getChassis().getTunnelIp())
        .isEqualTo("192.0.2.9");
  }

  @Test
  void aChassisOfManyPortsRegistersThemInWritesTheStoreTakes() {
    int ports = Registration.MAX_PORT_OPS + 500;
    TxnRequest.Builder declare = TxnRequest.newBuilder();
    HostedPort[] hosted = new HostedPort[ports];
    for (int n = 0; n < ports; n++) {
      declare.addOps(Resources.createOp(Resource.newBuilder().setLogicalSwitchPort(LogicalSwitchPort.newBuilder()
          .setMetadata(Resources.metadata("acme", "vm-" + n)).setLogicalSwitch("db")
          .setMac(String.format("02:bb:00:00:%02x:%02x", n >> 8, n & 0xff))).build()));
      hosted[n] = port("vm-" + n, n + 1);
    }
    assertThat(Topologies.commit(state, declare.build(), "declare")).isNotNull();
    Hello hello = hello("hv1", "192.0.2.1", hosted);

    assertThat(Registration.ports(state, "hv1", List.of(hosted)).getOpsCount()).isEqualTo(Registration.MAX_PORT_OPS);
    commit(hello);
    assertThat(Registration.ports(state, "hv1", List.of(hosted)).getOpsCount()).isEqualTo(500);
    commit(hello);
    assertThat(txn(hello).getOpsList()).isEmpty();
    assertThat(binding("vm-" + (ports - 1)).getOfport()).isEqualTo(ports);

    // Unplugged all at once: the bindings go in writes of the same size.
    assertThat(Registration.ports(state, "hv1", List.of()).getOpsCount()).isEqualTo(Registration.MAX_PORT_OPS);
  }

  private tenet.api.v1.PortBinding binding(String port) {
    return state.get(new ResourceKey(Kind.PORT_BINDING, "acme", port)).orElseThrow().getPortBinding();
  }

  private TxnRequest txn(Hello hello) {
    return Registration.chassis(state, hello).toBuilder()
        .addAllOps(Registration.ports(state, hello.getChassis(), hello.getPorts().getPortsList()).getOpsList()).build();
  }

  private void commit(Hello hello) {
    TxnRequest txn = txn(hello);
    if (txn.getOpsCount() > 0) {
      assertThat(Topologies.commit(state, txn, hello.getChassis() + "-" + state.revision())).as("store accepted " + txn).isNotNull();
    }
  }

  private static Hello hello(String chassis, String tunnelIp, HostedPort... ports) {
    return Hello.newBuilder().setChassis(chassis).setHostname(chassis).setTunnelIp(tunnelIp)
        .addEncapsulations(Encapsulation.GENEVE).setPorts(Ports.newBuilder().addAllPorts(List.of(ports))).build();
  }

  private static HostedPort port(String name, int ofport) {
    return HostedPort.newBuilder().setTenant("acme").setLogicalPort(name).setOfport(ofport).build();
  }
}
