package tenet.agent.sriov.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tenet.agent.sriov.Netdev;
import tenet.agent.sriov.PhysicalFunction;
import tenet.agent.sriov.PhysicalFunction.VirtualFunction;
import tenet.agent.sriov.SriovException;

class SysfsSriovTest {
  @TempDir
  Path root;

  @Test
  void aPfWithoutVfsShowsItsCapacity() throws Exception {
    new FakeSysfs(root).pf("enp3s0f0", "0000:03:00.0", 8);
    PhysicalFunction pf = new SysfsSriov(root).pf("f", "enp3s0f0");
    assertThat(pf).isEqualTo(new PhysicalFunction("enp3s0f0", "0000:03:00.0", 8, 0, null, java.util.List.of()));
  }

  @Test
  void vfsAreFoundByTheirVirtfnLinksWithTheirPciAddressesAndNetdevs() throws Exception {
    FakeSysfs fake = new FakeSysfs(root).pf("enp3s0f0", "0000:03:00.0", 16).switchdev("enp3s0f0", "a1b2c3d4e5f60708");
    SysfsSriov sysfs = new SysfsSriov(root);
    sysfs.writeNumVfs("enp3s0f0", 10);
    fake.kernelCreatesVfs("enp3s0f0");
    fake.vfNetdev("enp3s0f0", 1, "enp3s0f0v1");

    PhysicalFunction pf = sysfs.pf("f", "enp3s0f0");
    assertThat(pf.numVfs()).isEqualTo(10);
    assertThat(pf.totalVfs()).isEqualTo(16);
    assertThat(pf.switchId()).isEqualTo("a1b2c3d4e5f60708");
    assertThat(pf.pciFunction()).isZero();
    // Sorted by index, not by name (virtfn10 < virtfn2 as strings).
    assertThat(pf.vfs()).extracting(VirtualFunction::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(pf.vf(0)).isEqualTo(new VirtualFunction(0, "0000:03:00.2", null));
    assertThat(pf.vf(1)).isEqualTo(new VirtualFunction(1, "0000:03:00.3", "enp3s0f0v1"));
    assertThat(pf.vf(6).pciAddress()).isEqualTo("0000:03:01.0");
  }

  @Test
  void writingNumVfsWritesTheKernelsFile() throws Exception {
    FakeSysfs fake = new FakeSysfs(root).pf("enp3s0f0", "0000:03:00.0", 8);
    new SysfsSriov(root).writeNumVfs("enp3s0f0", 4);
    assertThat(fake.read("devices/pci0000:00/0000:00:02.0/0000:03:00.0/sriov_numvfs")).isEqualTo("4\n");
  }

  @Test
  void netdevsCarryTheirSwitchIdAndPortNameWhereTheDriverHasThem() throws Exception {
    FakeSysfs fake = new FakeSysfs(root).pf("enp3s0f1", "0000:03:00.1", 4).switchdev("enp3s0f1", "abcd")
        .virtualNetdev("lo");
    new SysfsSriov(root).writeNumVfs("enp3s0f1", 2);
    fake.kernelCreatesVfs("enp3s0f1", n -> "eth" + (7 + n));
    fake.vfNetdev("enp3s0f1", 0, "enp3s0f1v0");
    // A driver that refuses to read the attribute (EOPNOTSUPP): here, a read that fails.
    Files.createDirectories(fake.path("class/net/enp3s0f1v0/phys_switch_id"));

    assertThat(new SysfsSriov(root).netdevs()).containsExactly(
        new Netdev("enp3s0f1", "abcd", "p1"),
        new Netdev("enp3s0f1v0", null, null),
        new Netdev("eth7", "abcd", "pf1vf0"),
        new Netdev("eth8", "abcd", "pf1vf1"),
        new Netdev("lo", null, null));
  }

  @Test
  void aMissingInterfaceIsNamedWithTheField() {
    new FakeSysfs(root);
    assertThatThrownBy(() -> new SysfsSriov(root).pf("tenet.agent.sriov.pfs[0].name", "enp9s0"))
        .isInstanceOf(SriovException.class)
        .hasMessageStartingWith("tenet.agent.sriov.pfs[0].name: no interface enp9s0");
  }

  @Test
  void aNicWithoutSriovTotalvfsIsNoPf() {
    new FakeSysfs(root).plainPciNetdev("eno1", "0000:00:1f.6").virtualNetdev("br0");
    SysfsSriov sysfs = new SysfsSriov(root);
    assertThatThrownBy(() -> sysfs.pf("tenet.agent.sriov.pfs[1].name", "eno1"))
        .isInstanceOf(SriovException.class)
        .hasMessage("tenet.agent.sriov.pfs[1].name: eno1 has no device/sriov_totalvfs: not an SR-IOV physical"
            + " function (a VF, or a driver without SR-IOV)");
    assertThatThrownBy(() -> sysfs.pf("tenet.agent.sriov.pfs[1].name", "br0"))
        .isInstanceOf(SriovException.class)
        .hasMessageContaining("br0 is no PCI device");
  }
}
