package tenet.agent.sriov.host;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tenet.agent.sriov.VfSettings;
import tenet.agent.sriov.VfState;

/**
 * A PF driver's VF table behind {@link VfLinks}: every VF sysfs shows, starting as drivers report
 * fresh VFs (zero MAC, no VLAN, spoof check on, trust off). Records the argv {@link IpLink} would
 * have run.
 */
final class FakeVfLinks implements VfLinks {
  private final FakeSysfs sysfs;
  private final Map<String, Map<Integer, VfState>> vfs = new HashMap<>();
  private final Map<String, String> refusals = new HashMap<>();
  final List<List<String>> ran = new ArrayList<>();

  FakeVfLinks(FakeSysfs sysfs) {
    this.sysfs = sysfs;
  }

  @Override
  public Map<Integer, VfState> vfs(String pf) throws IOException {
    int count = Integer.parseInt(sysfs.read("class/net/" + pf + "/device/sriov_numvfs").strip());
    Map<Integer, VfState> table = vfs.computeIfAbsent(pf, k -> new TreeMap<>());
    table.keySet().removeIf(vf -> vf >= count);
    for (int vf = 0; vf < count; vf++) {
      table.putIfAbsent(vf, new VfState(vf, "00:00:00:00:00:00", 0, true, false));
    }
    return Map.copyOf(table);
  }

  @Override
  public void configure(String pf, int vf, VfSettings s) throws IOException {
    List<String> argv = IpLink.setArgv(pf, vf, s);
    ran.add(argv);
    String refusal = refusals.get(pf + "/" + vf);
    if (refusal != null) {
      throw new IOException(String.join(" ", argv) + " failed (2): " + refusal);
    }
    VfState now = vfs(pf).get(vf);
    vfs.get(pf).put(vf, new VfState(vf, s.mac() != null ? s.mac() : now.mac(), s.vlan() != null ? s.vlan() : now.vlan(),
        s.spoofCheck() != null ? s.spoofCheck() : now.spoofCheck(), s.trust() != null ? s.trust() : now.trust()));
  }

  /** The driver answers every change of this VF with an error. */
  void refuse(String pf, int vf, String error) {
    refusals.put(pf + "/" + vf, error);
  }

  /** Someone reset the VF (a VM's driver, a PF reset). */
  void reset(String pf, int vf) {
    vfs.get(pf).put(vf, new VfState(vf, "00:00:00:00:00:00", 0, true, false));
  }
}
