package tenet.agent.sriov.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * A sysfs tree laid out like the kernel's for SR-IOV NICs (what a Mellanox ConnectX in switchdev
 * mode shows), under a temporary root:
 * <pre>
 * devices/pci0000:00/0000:00:02.0/0000:03:00.0/                 the PF's PCI device
 *     sriov_totalvfs  sriov_numvfs  virtfn0 -&gt; ../0000:03:00.2
 *     net/enp3s0f0/{device -&gt; ../../../0000:03:00.0, phys_switch_id, phys_port_name = p0}
 *     net/enp3s0f0_0/{device, phys_switch_id, phys_port_name = pf0vf0}   VF 0's representor
 * devices/pci0000:00/0000:00:02.0/0000:03:00.2/                 VF 0: physfn -&gt; ../0000:03:00.0, net/&lt;vf netdev&gt;
 * class/net/enp3s0f0 -&gt; ../../devices/pci0000:00/0000:00:02.0/0000:03:00.0/net/enp3s0f0
 * </pre>
 * The kernel creates VFs (and, in switchdev mode, their representors) when a count is written
 * to sriov_numvfs; {@link #kernelCreatesVfs} does that here.
 */
final class FakeSysfs {
  private static final String BRIDGE = "devices/pci0000:00/0000:00:02.0";

  final Path root;
  private final Map<String, String> pciOf = new HashMap<>();
  private final Map<String, String> switchOf = new HashMap<>();

  FakeSysfs(Path root) {
    this.root = root;
    mkdirs("class/net");
  }

  /** An SR-IOV PF with no VFs yet, in legacy mode (no phys_switch_id). */
  FakeSysfs pf(String name, String pci, int totalVfs) {
    Path dev = mkdirs(BRIDGE + "/" + pci);
    write(BRIDGE + "/" + pci + "/sriov_totalvfs", totalVfs + "\n");
    write(BRIDGE + "/" + pci + "/sriov_numvfs", "0\n");
    write(BRIDGE + "/" + pci + "/vendor", "0x15b3\n");
    netdev(pci, name);
    pciOf.put(name, pci);
    return this;
  }

  /** {@code devlink dev eswitch set pci/<pci> mode switchdev}: the PF (uplink) gets a switch id and p<function>. */
  FakeSysfs switchdev(String pf, String switchId) {
    String pci = pciOf.get(pf);
    write(BRIDGE + "/" + pci + "/net/" + pf + "/phys_switch_id", switchId + "\n");
    write(BRIDGE + "/" + pci + "/net/" + pf + "/phys_port_name", "p" + function(pci) + "\n");
    switchOf.put(pf, switchId);
    return this;
  }

  /** A NIC without SR-IOV (or a VF): a PCI device without sriov_* files. */
  FakeSysfs plainPciNetdev(String name, String pci) {
    mkdirs(BRIDGE + "/" + pci);
    netdev(pci, name);
    return this;
  }

  /** A virtual interface: devices/virtual/net/<name>, no device link. */
  FakeSysfs virtualNetdev(String name) {
    mkdirs("devices/virtual/net/" + name);
    link("class/net/" + name, "../../devices/virtual/net/" + name);
    return this;
  }

  /** What the kernel does after a write to sriov_numvfs, naming representors {@code <pf>_<n>}. */
  void kernelCreatesVfs(String pf) {
    kernelCreatesVfs(pf, n -> pf + "_" + n);
  }

  void kernelCreatesVfs(String pf, IntFunction<String> representorName) {
    String pci = pciOf.get(pf);
    int count = numVfs(pf);
    for (int n = 0; n < count; n++) {
      String vfPci = vfPci(pci, n);
      mkdirs(BRIDGE + "/" + vfPci);
      link(BRIDGE + "/" + vfPci + "/physfn", "../" + pci);
      link(BRIDGE + "/" + pci + "/virtfn" + n, "../" + vfPci);
    }
    if (switchOf.containsKey(pf)) {
      representorsAppear(pf, representorName);
    }
  }

  /** The representors of the PF's VFs, as the driver makes them in switchdev mode. */
  void representorsAppear(String pf, IntFunction<String> representorName) {
    String pci = pciOf.get(pf);
    String switchId = switchOf.get(pf);
    for (int n = 0; n < numVfs(pf); n++) {
      String rep = representorName.apply(n);
      netdev(pci, rep);
      write(BRIDGE + "/" + pci + "/net/" + rep + "/phys_switch_id", switchId + "\n");
      write(BRIDGE + "/" + pci + "/net/" + rep + "/phys_port_name", "pf" + function(pci) + "vf" + n + "\n");
    }
  }

  int numVfs(String pf) {
    return Integer.parseInt(read("class/net/" + pf + "/device/sriov_numvfs").strip());
  }

  /** A host driver bound to VF n: its netdev under the VF's PCI device (no switch attributes). */
  FakeSysfs vfNetdev(String pf, int n, String name) {
    netdev(vfPci(pciOf.get(pf), n), name);
    return this;
  }

  /** VF n's PCI address: the PF's devfn + 2 + n (the routing-ID offset and stride of a ConnectX). */
  static String vfPci(String pfPci, int n) {
    String[] parts = pfPci.split("[:.]");
    int devfn = (Integer.parseInt(parts[2], 16) << 3 | Integer.parseInt(parts[3])) + 2 + n + 8 * Integer.parseInt(parts[3]);
    return String.format("%s:%s:%02x.%d", parts[0], parts[1], devfn >> 3, devfn & 7);
  }

  String read(String relative) {
    try {
      return Files.readString(root.resolve(relative), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path path(String relative) {
    return root.resolve(relative);
  }

  private void netdev(String pci, String name) {
    String dir = BRIDGE + "/" + pci + "/net/" + name;
    mkdirs(dir);
    link(dir + "/device", "../../../" + pci);
    link(dir + "/subsystem", "../../../../../../class/net");
    write(dir + "/address", "02:00:00:00:00:00\n");
    link("class/net/" + name, "../../" + dir);
  }

  private static int function(String pci) {
    return Integer.parseInt(pci.substring(pci.lastIndexOf('.') + 1));
  }

  private Path mkdirs(String relative) {
    try {
      return Files.createDirectories(root.resolve(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void write(String relative, String content) {
    try {
      Files.writeString(root.resolve(relative), content, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void link(String relative, String target) {
    try {
      Files.createSymbolicLink(root.resolve(relative), Path.of(target));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
