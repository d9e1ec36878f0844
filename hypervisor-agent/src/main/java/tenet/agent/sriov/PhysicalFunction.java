package tenet.agent.sriov;

import java.util.List;

/**
 * A PF as sysfs shows it ({@code /sys/class/net/<name>/device/...}).
 *
 * @param pciAddress its PCI device, {@code 0000:03:00.0} (where {@code device} points)
 * @param totalVfs {@code sriov_totalvfs}: the most VFs it can have
 * @param numVfs {@code sriov_numvfs}: how many it has now
 * @param switchId {@code phys_switch_id}: set when its eswitch is in switchdev mode (its VFs'
 *     representors carry the same id); null otherwise
 * @param vfs its {@code virtfnN} links, by index
 */
public record PhysicalFunction(String name, String pciAddress, int totalVfs, int numVfs, String switchId,
    List<VirtualFunction> vfs) {
  public PhysicalFunction {
    vfs = List.copyOf(vfs);
  }

  /** One VF: {@code virtfn<index>} pointing at its PCI device, with its netdev when a driver has made one. */
  public record VirtualFunction(int index, String pciAddress, String netdev) {}

  /** The PCI function number (the digit after the dot), which representor names carry as {@code pf<N>}. */
  public int pciFunction() {
    int dot = pciAddress.lastIndexOf('.');
    try {
      return dot < 0 ? -1 : Integer.parseInt(pciAddress.substring(dot + 1), 16);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  public VirtualFunction vf(int index) {
    return vfs.stream().filter(v -> v.index() == index).findFirst().orElse(null);
  }
}
