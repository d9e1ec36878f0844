package tenet.agent.sriov.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tenet.agent.sriov.RepresentorPort;
import tenet.agent.sriov.SriovConfig;
import tenet.agent.sriov.SriovException;
import tenet.agent.sriov.VfPort;

/** The agent's SR-IOV pass against a sysfs tree laid out like the kernel's, a fake VF table and a fake bridge. */
class SriovAgentTest {
  private static final String NUMVFS = "devices/pci0000:00/0000:00:02.0/0000:03:00.0/sriov_numvfs";
  private static final String FOUR_VFS = "pfs = [{ name = enp3s0f0, numvfs = 4 }]";
  /** What the controller says the API gives this chassis. */
  private static final List<VfPort> TWO_PORTS = List.of(
      new VfPort("acme", "web-1", "enp3s0f0", null, "02:00:00:00:00:0a", 100, true, false),
      new VfPort("acme", "db-1", "enp3s0f0", 2, "02:00:00:00:00:0b", 0, true, false));

  @TempDir
  Path root;
  FakeSysfs fake;
  FakeVfLinks links;
  FakeBridge bridge;

  @BeforeEach
  void nic() {
    fake = new FakeSysfs(root).pf("enp3s0f0", "0000:03:00.0", 8).switchdev("enp3s0f0", "b8599f0000000001");
    links = new FakeVfLinks(fake);
    bridge = new FakeBridge();
  }

  @Test
  void theFirstPassCreatesVfsAndTheControllersListSetsThemUpAndPlugsTheirRepresentorsAsTheLogicalPorts()
      throws Exception {
    SriovAgent agent = agent(FOUR_VFS);
    SriovAgent.Report start = agent.reconcile();
    assertThat(fake.read(NUMVFS)).isEqualTo("4\n");
    assertThat(start.numVfsWritten()).containsExactly("enp3s0f0=4");
    assertThat(agent.capacity()).isEqualTo(8);
    assertThat(links.ran).as("no port is known before the controller speaks").isEmpty();

    SriovAgent.Report report = agent.assign(TWO_PORTS);
    // Fresh VFs have spoof check on and trust off already: only the MAC and the VLAN are set.
    assertThat(links.ran).containsExactly(
        List.of("ip", "link", "set", "dev", "enp3s0f0", "vf", "0", "mac", "02:00:00:00:00:0a", "vlan", "100"),
        List.of("ip", "link", "set", "dev", "enp3s0f0", "vf", "2", "mac", "02:00:00:00:00:0b"));
    assertThat(bridge.ran).containsExactly(
        List.of("--may-exist", "add-port", "br-int", "enp3s0f0_0", "--", "set", "Interface", "enp3s0f0_0",
            "external_ids:iface-id=\"acme/web-1\"", "external_ids:attached-mac=\"02:00:00:00:00:0a\"",
            "external_ids:tenet-port-type=\"sriov-vf\"", "external_ids:tenet-sriov-pf=\"enp3s0f0\"",
            "external_ids:tenet-sriov-vf=\"0\"", "external_ids:tenet-sriov-vf-pci=\"0000:03:00.2\""),
        List.of("--may-exist", "add-port", "br-int", "enp3s0f0_2", "--", "set", "Interface", "enp3s0f0_2",
            "external_ids:iface-id=\"acme/db-1\"", "external_ids:attached-mac=\"02:00:00:00:00:0b\"",
            "external_ids:tenet-port-type=\"sriov-vf\"", "external_ids:tenet-sriov-pf=\"enp3s0f0\"",
            "external_ids:tenet-sriov-vf=\"2\"", "external_ids:tenet-sriov-vf-pci=\"0000:03:00.4\""));
    assertThat(report.waiting()).isEmpty();
    assertThat(report.failed()).isEmpty();
  }

  @Test
  void aSecondPassRewritesNothing() throws Exception {
    SriovAgent agent = started(TWO_PORTS);
    FileTime long_ago = FileTime.fromMillis(1_000_000_000_000L);
    Files.setLastModifiedTime(fake.path(NUMVFS), long_ago);
    links.ran.clear();
    bridge.ran.clear();

    SriovAgent.Report again = agent.reconcile();
    assertThat(again.changedNothing()).isTrue();
    assertThat(Files.getLastModifiedTime(fake.path(NUMVFS))).isEqualTo(long_ago);
    assertThat(links.ran).isEmpty();
    assertThat(bridge.ran).isEmpty();
    // A restarted agent (new process, same host) leaves the bridge alone until a controller
    // speaks (they may all be down), then finds everything in place.
    SriovAgent restarted = agent(FOUR_VFS);
    assertThat(restarted.reconcile().changedNothing()).isTrue();
    assertThat(restarted.assign(TWO_PORTS).changedNothing()).isTrue();
    assertThat(bridge.ran).isEmpty();
  }

  @Test
  void aVfResetUnderTheAgentIsSetUpAgain() throws Exception {
    SriovAgent agent = started(TWO_PORTS);
    links.ran.clear();
    bridge.ran.clear();
    links.reset("enp3s0f0", 2);

    assertThat(agent.reconcile().vfsConfigured()).containsExactly("enp3s0f0/2");
    assertThat(links.ran).containsExactly(
        List.of("ip", "link", "set", "dev", "enp3s0f0", "vf", "2", "mac", "02:00:00:00:00:0b"));
    assertThat(bridge.ran).isEmpty();
  }

  @Test
  void inLegacyModeTheAgentWaitsForRepresentorsAndPlugsThemWhenTheyAppear() throws Exception {
    fake = new FakeSysfs(root.resolve("legacy")).pf("enp3s0f0", "0000:03:00.0", 8);
    links = new FakeVfLinks(fake);
    SriovAgent agent = agent(FOUR_VFS);
    agent.reconcile();

    SriovAgent.Report first = agent.assign(TWO_PORTS);
    assertThat(first.vfsConfigured()).containsExactly("enp3s0f0/0", "enp3s0f0/2");
    assertThat(first.waiting()).containsExactly(
        "acme/web-1 on VF 0 of enp3s0f0: enp3s0f0 has no phys_switch_id: its eswitch is not in switchdev mode"
            + " (devlink dev eswitch set pci/0000:03:00.0 mode switchdev)",
        "acme/db-1 on VF 2 of enp3s0f0: enp3s0f0 has no phys_switch_id: its eswitch is not in switchdev mode"
            + " (devlink dev eswitch set pci/0000:03:00.0 mode switchdev)");
    assertThat(bridge.ran).isEmpty();

    fake.switchdev("enp3s0f0", "b8599f0000000001");
    SriovAgent.Report switchdevNoReps = agent.reconcile();
    assertThat(switchdevNoReps.waiting()).first().asString()
        .endsWith("no interface has phys_switch_id b8599f0000000001 and phys_port_name pf0vf0 (yet)");

    fake.representorsAppear("enp3s0f0", n -> "eth" + (10 + n)); // udev's names: only phys_port_name counts
    SriovAgent.Report later = agent.reconcile();
    assertThat(later.waiting()).isEmpty();
    assertThat(later.vfsConfigured()).isEmpty();
    assertThat(later.plugged()).extracting(RepresentorPort::representor, RepresentorPort::ifaceId)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("eth10", "acme/web-1"),
            org.assertj.core.groups.Tuple.tuple("eth12", "acme/db-1"));
  }

  @Test
  void aPortTheControllerNoLongerListsIsUnpluggedAndOneJoiningMovesNobody() throws Exception {
    SriovAgent agent = started(TWO_PORTS);
    bridge.ran.clear();
    links.ran.clear();

    // web-1 gone, app-1 first in the list, db-1 no longer naming its VF: db-1 keeps VF 2, app-1
    // takes VF 0 (now free).
    agent.assign(List.of(new VfPort("acme", "app-1", "enp3s0f0", null, "02:00:00:00:00:0c", 0, true, false),
        new VfPort("acme", "db-1", "enp3s0f0", null, "02:00:00:00:00:0b", 0, true, false)));
    assertThat(links.ran).containsExactly(
        List.of("ip", "link", "set", "dev", "enp3s0f0", "vf", "0", "mac", "02:00:00:00:00:0c", "vlan", "0"));
    assertThat(bridge.ran).extracting(argv -> String.join(" ", argv.subList(0, 4)) + " " + argv.get(8))
        .containsExactly("--may-exist add-port br-int enp3s0f0_0 external_ids:iface-id=\"acme/app-1\"");
    assertThat(bridge.ports.values()).extracting(RepresentorPort::ifaceId, RepresentorPort::vf)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("acme/app-1", 0),
            org.assertj.core.groups.Tuple.tuple("acme/db-1", 2));

    bridge.ran.clear();
    agent.assign(List.of(new VfPort("acme", "db-1", "enp3s0f0", null, "02:00:00:00:00:0b", 0, true, false)));
    assertThat(bridge.ran).containsExactly(List.of("--if-exists", "del-port", "br-int", "enp3s0f0_0"));
  }

  @Test
  void aPortThisChassisCannotServeIsReportedAndTheOthersArePlugged() throws Exception {
    SriovAgent agent = started(List.of(TWO_PORTS.get(0),
        new VfPort("acme", "far-1", "enp9s0f0", null, "02:00:00:00:00:0d", 0, true, false)));
    assertThat(agent.reconcile().failed())
        .containsExactly("acme/far-1: enp9s0f0 is not a PF this chassis manages (tenet.agent.sriov.pfs [enp3s0f0])");
    assertThat(bridge.ports.values()).extracting(RepresentorPort::ifaceId).containsExactly("acme/web-1");

    SriovAgent off = new SriovAgent(SriovConfig.from(ConfigFactory.load()), new SysfsSriov(root.resolve("absent")),
        links, bridge);
    assertThat(off.assign(TWO_PORTS).failed()).containsExactly(
        "acme/web-1: this chassis manages no SR-IOV PFs (tenet.agent.sriov.pfs is empty)",
        "acme/db-1: this chassis manages no SR-IOV PFs (tenet.agent.sriov.pfs is empty)");
  }

  @Test
  void aVfTheDriverRefusesIsReportedAndItsRepresentorIsNotPlugged() throws Exception {
    links.refuse("enp3s0f0", 2, "RTNETLINK answers: Operation not supported");
    SriovAgent agent = agent(FOUR_VFS);
    agent.reconcile();
    SriovAgent.Report report = agent.assign(TWO_PORTS);
    assertThat(report.failed()).containsExactly("acme/db-1: ip link set dev enp3s0f0 vf 2 mac 02:00:00:00:00:0b failed (2):"
        + " RTNETLINK answers: Operation not supported");
    assertThat(report.plugged()).extracting(RepresentorPort::ifaceId).containsExactly("acme/web-1");
  }

  @Test
  void moreVfsThanThePfHasIsAnErrorNamingTheField() {
    assertThatThrownBy(() -> agent("pfs = [{ name = enp3s0f0, numvfs = 16 }]").reconcile())
        .isInstanceOf(SriovException.class)
        .hasMessage("tenet.agent.sriov.pfs[0].numvfs: 16 VFs asked for, enp3s0f0 has at most 8 (sriov_totalvfs)");
    assertThat(fake.read(NUMVFS)).isEqualTo("0\n");
  }

  @Test
  void aPfWithoutSriovIsAnErrorNamingTheField() {
    fake.plainPciNetdev("eno1", "0000:00:1f.6");
    assertThatThrownBy(() -> agent("pfs = [enp3s0f0, eno1]").reconcile())
        .isInstanceOf(SriovException.class)
        .hasMessageStartingWith("tenet.agent.sriov.pfs[1].name: eno1 has no device/sriov_totalvfs");
  }

  @Test
  void capacityIsTheSumOfTheConfiguredPfsTotalvfs() throws Exception {
    fake.pf("enp4s0f0", "0000:04:00.0", 64).pf("enp5s0f0", "0000:05:00.0", 16);
    SriovAgent agent = agent("pfs = [enp3s0f0, enp4s0f0]");
    agent.reconcile();
    assertThat(agent.capacity()).isEqualTo(72);
    assertThat(fake.read(NUMVFS)).isEqualTo("0\n"); // no numvfs: the count is left alone
  }

  @Test
  void withoutPfsNothingIsTouched() throws Exception {
    SriovAgent agent = new SriovAgent(SriovConfig.from(ConfigFactory.load()), new SysfsSriov(root.resolve("absent")),
        links, bridge);
    assertThat(agent.reconcile().changedNothing()).isTrue();
    assertThat(agent.capacity()).isZero();
  }

  /** An agent past its first pass, told {@code ports} by its controller. */
  private SriovAgent started(List<VfPort> ports) throws IOException {
    SriovAgent agent = agent(FOUR_VFS);
    agent.reconcile();
    agent.assign(ports);
    return agent;
  }

  private SriovAgent agent(String sriov) {
    SriovConfig config = SriovConfig.from(ConfigFactory.parseString("tenet.agent.sriov {\n" + sriov + "\n}")
        .withFallback(ConfigFactory.load()));
    return new SriovAgent(config, new KernelLikeSysfs(fake), links, bridge);
  }

  /** The adapter with the kernel's reaction to a write of sriov_numvfs: the VFs exist when it returns. */
  private static final class KernelLikeSysfs extends SysfsSriov {
    private final FakeSysfs fake;

    KernelLikeSysfs(FakeSysfs fake) {
      super(fake.root);
      this.fake = fake;
    }

    @Override
    public void writeNumVfs(String pf, int count) throws IOException {
      super.writeNumVfs(pf, count);
      fake.kernelCreatesVfs(pf);
    }
  }
}
