package tenet.agent.vifs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tenet.agent.v1.HostedPort;
import tenet.agent.vifs.InterfaceEvent.Changes;
import tenet.agent.vifs.InterfaceEvent.Lost;
import tenet.agent.vifs.InterfaceEvent.Snapshot;
import tenet.agent.vifs.PluggedVifs.Outcome;

/** The monitor's events in, the list to report (and when) out; no OVS, no threads. */
class PluggedVifsTest {
  private final PluggedVifs vifs = new PluggedVifs();

  @Test
  void theFirstSnapshotGivesTheWholeListSortedByTenantAndPort() {
    Outcome o = vifs.take(new Snapshot(Map.of(
        "u1", vif("tap2", 4, "globex/www-1"),
        "u2", vif("tap1", 3, "acme/web-2"),
        "u3", vif("tap0", 7, "acme/web-1"),
        "u4", vif("br-int", 65534, ""))));
    assertThat(o.report()).isPresent();
    assertThat(vifs.ports()).containsExactly(port("acme", "web-1", 7), port("acme", "web-2", 3),
        port("globex", "www-1", 4));
    assertThat(o.report().get().plugged()).isEqualTo(vifs.ports());
    assertThat(vifs.inStep()).isTrue();
  }

  @Test
  void anInterfaceIsReportedOnlyOnceItHasAnOfport() {
    vifs.take(new Snapshot(Map.of()));
    // ovs-vsctl add-port commits the row without an ofport; ovs-vswitchd adds one a moment later.
    assertThat(vifs.take(changed("u1", vif("tap0", OvsInterface.NO_OFPORT, "acme/web-1"))).report()).isEmpty();
    assertThat(vifs.ports()).isEmpty();
    Outcome o = vifs.take(changed("u1", vif("tap0", 5, "acme/web-1")));
    assertThat(o.report().orElseThrow().plugged()).containsExactly(port("acme", "web-1", 5));
    assertThat(o.report().get().unplugged()).isEmpty();
  }

  @Test
  void anInterfaceOvsCouldNotAddIsNotPluggedIn() {
    vifs.take(new Snapshot(Map.of("u1", vif("tap0", 5, "acme/web-1"))));
    Outcome o = vifs.take(changed("u1", vif("tap0", -1, "acme/web-1")));
    assertThat(o.report().orElseThrow().unplugged()).containsExactly(port("acme", "web-1", 5));
    assertThat(vifs.ports()).isEmpty();
  }

  @Test
  void aDeletedRowIsUnpluggedAndANewOfportIsANewReport() {
    vifs.take(new Snapshot(Map.of("u1", vif("tap0", 5, "acme/web-1"), "u2", vif("tap1", 6, "acme/web-2"))));
    Outcome gone = vifs.take(new Changes(Map.of(), Set.of("u1")));
    assertThat(gone.report().orElseThrow().ports()).containsExactly(port("acme", "web-2", 6));
    assertThat(gone.report().get().unplugged()).containsExactly(port("acme", "web-1", 5));
    Outcome moved = vifs.take(changed("u2", vif("tap1", 9, "acme/web-2")));
    assertThat(moved.report().orElseThrow().ports()).containsExactly(port("acme", "web-2", 9));
  }

  @Test
  void aChangeThatLeavesTheListAsItWasReportsNothing() {
    vifs.take(new Snapshot(Map.of("u1", vif("tap0", 5, "acme/web-1"))));
    assertThat(vifs.take(changed("u9", vif("ul0", 1, ""))).report()).isEmpty(); // no iface-id: not ours
    assertThat(vifs.take(changed("u8", vif("x", 2, "no-slash"))).report()).isEmpty();
    assertThat(vifs.take(changed("u7", vif("y", 3, "/port"))).report()).isEmpty();
    assertThat(vifs.take(new Snapshot(Map.of("u1", vif("tap0", 5, "acme/web-1")))).report()).isEmpty();
    assertThat(vifs.ports()).containsExactly(port("acme", "web-1", 5));
  }

  @Test
  void afterALossChangesAreIgnoredAndTheLastListStandsUntilASnapshotReplacesEverything() {
    vifs.take(new Snapshot(Map.of("u1", vif("tap0", 5, "acme/web-1"), "u2", vif("tap1", 6, "acme/web-2"))));
    assertThat(vifs.take(new Lost("ovsdb-server closed the connection"))).isEqualTo(quiet());
    assertThat(vifs.inStep()).isFalse();
    assertThat(vifs.ports()).hasSize(2); // what a hello says meanwhile

    // Whatever comes between the loss and the next snapshot cannot be trusted to be whole.
    assertThat(vifs.take(new Changes(Map.of(), Set.of("u1", "u2"))).report()).isEmpty();
    assertThat(vifs.ports()).hasSize(2);

    // While it was away web-1 went and web-3 came: the snapshot is the whole truth, rows not in it are gone.
    Outcome back = vifs.take(new Snapshot(Map.of("u2", vif("tap1", 6, "acme/web-2"), "u3", vif("tap2", 7, "acme/web-3"))));
    assertThat(back.report().orElseThrow().ports()).containsExactly(port("acme", "web-2", 6), port("acme", "web-3", 7));
    assertThat(back.report().get().plugged()).containsExactly(port("acme", "web-3", 7));
    assertThat(back.report().get().unplugged()).containsExactly(port("acme", "web-1", 5));
    assertThat(vifs.inStep()).isTrue();
  }

  @Test
  void nothingIsReportedBeforeTheFirstSnapshot() {
    assertThat(vifs.take(changed("u1", vif("tap0", 5, "acme/web-1")))).isEqualTo(quiet());
    assertThat(vifs.ports()).isEmpty();
    assertThat(vifs.inStep()).isFalse();
  }

  @Test
  void anOfportAboveTheConntrackZonesIsLeftOutAndSaidOnceWhenThatChanges() {
    Outcome first = vifs.take(new Snapshot(Map.of("u1", vif("tap0", 5, "acme/web-1"),
        "u2", vif("tap1", 40000, "acme/web-2"))));
    assertThat(vifs.ports()).containsExactly(port("acme", "web-1", 5));
    assertThat(first.refused()).contains(Set.of("tap1 (acme/web-2) at ofport 40000"));
    assertThat(vifs.take(changed("u3", vif("tap2", 6, "acme/web-3"))).refused()).isEmpty(); // same set: said already
    Outcome fixed = vifs.take(changed("u2", vif("tap1", 8, "acme/web-2")));
    assertThat(fixed.refused()).contains(Set.of());
    assertThat(fixed.report().orElseThrow().plugged()).containsExactly(port("acme", "web-2", 8));
  }

  @Test
  void twoInterfacesWithOneIfaceIdAreBothReportedInAStableOrder() {
    vifs.take(new Snapshot(Map.of("u1", vif("a", 9, "acme/web-1"), "u2", vif("b", 3, "acme/web-1"))));
    assertThat(vifs.ports()).containsExactly(port("acme", "web-1", 3), port("acme", "web-1", 9));
    assertThat(vifs.take(new Snapshot(Map.of("u2", vif("b", 3, "acme/web-1"), "u1", vif("a", 9, "acme/web-1"))))
        .report()).isEmpty();
  }

  private static Outcome quiet() {
    return new Outcome(Optional.empty(), Optional.empty());
  }

  private static Changes changed(String uuid, OvsInterface row) {
    return new Changes(Map.of(uuid, row), Set.of());
  }

  private static OvsInterface vif(String name, int ofport, String ifaceId) {
    return new OvsInterface(name, ofport, ifaceId);
  }

  private static HostedPort port(String tenant, String port, int ofport) {
    return HostedPort.newBuilder().setTenant(tenant).setLogicalPort(port).setOfport(ofport).build();
  }
}
