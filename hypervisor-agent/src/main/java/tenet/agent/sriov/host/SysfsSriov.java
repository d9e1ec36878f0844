package tenet.agent.sriov.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tenet.agent.sriov.Netdev;
import tenet.agent.sriov.PhysicalFunction;
import tenet.agent.sriov.PhysicalFunction.VirtualFunction;
import tenet.agent.sriov.SriovException;

/**
 * Reads and writes SR-IOV state in sysfs, under a root that is {@code /sys} on a host and a tree
 * laid out the same way in tests. What it uses of the kernel's layout:
 * <pre>
 * class/net/&lt;pf&gt;/device              -&gt; the PF's PCI device (../../../0000:03:00.0)
 * class/net/&lt;pf&gt;/device/sriov_totalvfs  the most VFs the PF can have
 * class/net/&lt;pf&gt;/device/sriov_numvfs    how many it has; writing N (from 0) creates them
 * class/net/&lt;pf&gt;/device/virtfn&lt;N&gt;      -&gt; VF N's PCI device (../0000:03:00.2)
 * &lt;VF's PCI device&gt;/net/&lt;name&gt;          the VF's netdev, when a host driver has one
 * class/net/&lt;dev&gt;/phys_switch_id        the eswitch id (switchdev mode): PF and representors share it
 * class/net/&lt;dev&gt;/phys_port_name        pf0vf3 for a representor of VF 3 of PCI function 0
 * </pre>
 * Files a driver does not implement are missing or fail to read (EOPNOTSUPP); both count as absent.
 */
public class SysfsSriov {
  private static final Pattern VIRTFN = Pattern.compile("virtfn(\\d+)");

  private final Path root;

  public SysfsSriov(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  /**
   * A PF and its VFs.
   *
   * @param field the configuration field naming the PF, for errors
   */
  public PhysicalFunction pf(String field, String name) throws IOException {
    Path netdev = root.resolve("class/net").resolve(name);
    if (!Files.exists(netdev)) {
      throw new SriovException(field, "no interface " + name + " (" + netdev + " does not exist)");
    }
    Path device = netdev.resolve("device");
    if (!Files.isDirectory(device)) {
      throw new SriovException(field, name + " is no PCI device (" + device + " does not exist): not an SR-IOV PF");
    }
    String total = read(device.resolve("sriov_totalvfs"));
    if (total == null) {
      throw new SriovException(field, name + " has no device/sriov_totalvfs: not an SR-IOV physical function"
          + " (a VF, or a driver without SR-IOV)");
    }
    String num = read(device.resolve("sriov_numvfs"));
    if (num == null) {
      throw new SriovException(field, name + " has device/sriov_totalvfs but no device/sriov_numvfs");
    }
    List<VirtualFunction> vfs = new ArrayList<>();
    try (Stream<Path> entries = Files.list(device)) {
      for (Path entry : entries.toList()) {
        Matcher m = VIRTFN.matcher(entry.getFileName().toString());
        if (m.matches() && Files.isSymbolicLink(entry)) {
          vfs.add(new VirtualFunction(Integer.parseInt(m.group(1)), Files.readSymbolicLink(entry).getFileName().toString(),
              netdevOf(entry)));
        }
      }
    }
    vfs.sort(Comparator.comparingInt(VirtualFunction::index));
    return new PhysicalFunction(name, linkName(device), number(field, device.resolve("sriov_totalvfs"), total),
        number(field, device.resolve("sriov_numvfs"), num), read(netdev.resolve("phys_switch_id")), vfs);
  }

  /** Writes {@code sriov_numvfs}; the kernel creates (or, for 0, removes) the VFs before the write returns. */
  public void writeNumVfs(String pf, int count) throws IOException {
    Path file = root.resolve("class/net").resolve(pf).resolve("device/sriov_numvfs");
    Files.writeString(file, count + "\n", StandardCharsets.US_ASCII);
  }

  /** Every interface with its switch id and port name, by name. */
  public List<Netdev> netdevs() throws IOException {
    List<Netdev> out = new ArrayList<>();
    Path classNet = root.resolve("class/net");
    if (!Files.isDirectory(classNet)) {
      return out;
    }
    try (Stream<Path> entries = Files.list(classNet)) {
      for (Path dev : entries.sorted().toList()) {
        out.add(new Netdev(dev.getFileName().toString(), read(dev.resolve("phys_switch_id")),
            read(dev.resolve("phys_port_name"))));
      }
    }
    return out;
  }

  /** The VF's netdev name (its PCI device's net/ holds one entry), or null. */
  private static String netdevOf(Path virtfn) throws IOException {
    Path net = virtfn.resolve("net");
    if (!Files.isDirectory(net)) {
      return null;
    }
    try (Stream<Path> names = Files.list(net)) {
      return names.map(p -> p.getFileName().toString()).sorted().findFirst().orElse(null);
    }
  }

  private static String linkName(Path link) throws IOException {
    return Files.isSymbolicLink(link) ? Files.readSymbolicLink(link).getFileName().toString()
        : link.toRealPath().getFileName().toString();
  }

  /** A sysfs attribute without its newline; null when missing, unreadable or empty. */
  private static String read(Path file) {
    try {
      String s = Files.readString(file, StandardCharsets.US_ASCII).strip();
      return s.isEmpty() ? null : s;
    } catch (IOException e) {
      return null; // missing, or EOPNOTSUPP and friends: the driver has no such attribute
    }
  }

  private static int number(String field, Path file, String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new SriovException(field, file + " holds '" + text + "', not a number");
    }
  }
}
