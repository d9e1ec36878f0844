package tenet.agent.sriov;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tenet.agent.sriov.PhysicalFunction.VirtualFunction;

/**
 * The pure part of SR-IOV: from the configuration and what the host shows (records read by the
 * adapters in {@code tenet.agent.sriov.host}), what to change. No I/O.
 */
public final class SriovPlan {
  /** {@code phys_port_name} of a VF representor: {@code pf<PCI function>vf<VF index>}. */
  private static final Pattern REPRESENTOR = Pattern.compile("pf(\\d+)vf(\\d+)");

  private SriovPlan() {}

  /** A logical port's VF. */
  public record Assignment(SriovConfig.Port port, PhysicalFunction pf, VirtualFunction vf) {}

  /** What the bridge needs: ports to delete first, then ports to add (or re-label). */
  public record BridgeChanges(List<String> unplug, List<RepresentorPort> plug) {
    public boolean isEmpty() {
      return unplug.isEmpty() && plug.isEmpty();
    }
  }

  /** Checks a PF the configuration names against what sysfs shows. */
  public static void checkPf(int index, SriovConfig.Pf pf, PhysicalFunction found) {
    if (found.totalVfs() <= 0) {
      throw new SriovException(SriovConfig.PATH + ".pfs[" + index + "].name", pf.name()
          + " cannot have VFs (sriov_totalvfs is " + found.totalVfs() + "): SR-IOV is off in its firmware or BIOS");
    }
  }

  /**
   * The count to write to {@code sriov_numvfs}, or null when it is right. The kernel only goes
   * from 0 to N and back, and going back destroys every VF (and the VMs' use of them), so the
   * agent only creates VFs where there are none; changing a count is the operator's act.
   */
  public static Integer numVfsToWrite(int index, SriovConfig.Pf pf, PhysicalFunction found) {
    Integer wanted = pf.numVfs();
    if (wanted == null || wanted == found.numVfs()) {
      return null;
    }
    String field = SriovConfig.PATH + ".pfs[" + index + "].numvfs";
    if (wanted > found.totalVfs()) {
      throw new SriovException(field, wanted + " VFs asked for, " + pf.name() + " has at most " + found.totalVfs()
          + " (sriov_totalvfs)");
    }
    if (found.numVfs() != 0) {
      throw new SriovException(field, pf.name() + " has " + found.numVfs() + " VFs, not " + wanted
          + "; the kernel changes the count only through 0, which destroys the VFs in use: write 0 to its"
          + " device/sriov_numvfs first, or set numvfs = " + found.numVfs());
    }
    return wanted;
  }

  /** Σ sriov_totalvfs of the managed PFs: the chassis' {@code sriov_vf_capacity}. */
  public static int capacity(Iterable<PhysicalFunction> pfs) {
    int sum = 0;
    for (PhysicalFunction pf : pfs) {
      sum += Math.max(0, pf.totalVfs());
    }
    return sum;
  }

  /**
   * Which VF each configured port gets, in configuration order: the VF the configuration names;
   * else the VF the port is plugged in on already (so a restart or a port added to the list
   * moves nobody); else the lowest free one.
   *
   * @param pfs the configured PFs as sysfs shows them, by name
   * @param plugged the representor ports the agent has on the bridge now
   */
  public static List<Assignment> assign(SriovConfig config, Map<String, PhysicalFunction> pfs,
      List<RepresentorPort> plugged) {
    List<SriovConfig.Port> ports = config.ports();
    VirtualFunction[] chosen = new VirtualFunction[ports.size()];
    Map<String, Set<Integer>> taken = new LinkedHashMap<>();
    for (int i = 0; i < ports.size(); i++) {
      SriovConfig.Port p = ports.get(i);
      if (p.vf() == null) {
        continue;
      }
      PhysicalFunction pf = pf(pfs, p);
      VirtualFunction vf = pf.vf(p.vf());
      if (vf == null) {
        throw new SriovException(SriovConfig.PATH + ".ports[" + i + "].vf", "VF " + p.vf() + " of " + pf.name()
            + " does not exist: it has " + pf.vfs().size() + " VFs (sriov_numvfs " + pf.numVfs() + ")");
      }
      chosen[i] = vf;
      taken.computeIfAbsent(pf.name(), k -> new HashSet<>()).add(vf.index());
    }
    for (int i = 0; i < ports.size(); i++) {
      SriovConfig.Port p = ports.get(i);
      if (chosen[i] != null) {
        continue;
      }
      PhysicalFunction pf = pf(pfs, p);
      Set<Integer> used = taken.computeIfAbsent(pf.name(), k -> new HashSet<>());
      for (RepresentorPort r : plugged) {
        if (r.ifaceId().equals(p.ifaceId()) && r.pf().equals(pf.name()) && pf.vf(r.vf()) != null
            && !used.contains(r.vf())) {
          chosen[i] = pf.vf(r.vf());
          used.add(r.vf());
          break;
        }
      }
    }
    for (int i = 0; i < ports.size(); i++) {
      SriovConfig.Port p = ports.get(i);
      if (chosen[i] != null) {
        continue;
      }
      PhysicalFunction pf = pf(pfs, p);
      Set<Integer> used = taken.get(pf.name());
      VirtualFunction free = pf.vfs().stream().filter(v -> !used.contains(v.index()))
          .min(java.util.Comparator.comparingInt(VirtualFunction::index)).orElse(null);
      if (free == null) {
        throw new SriovException(SriovConfig.PATH + ".ports[" + i + "]", "no free VF on " + pf.name() + " for "
            + p.ifaceId() + ": its " + pf.vfs().size() + " VFs all have ports");
      }
      chosen[i] = free;
      used.add(free.index());
    }
    List<Assignment> out = new ArrayList<>();
    for (int i = 0; i < ports.size(); i++) {
      out.add(new Assignment(ports.get(i), pf(pfs, ports.get(i)), chosen[i]));
    }
    return out;
  }

  private static PhysicalFunction pf(Map<String, PhysicalFunction> pfs, SriovConfig.Port p) {
    PhysicalFunction pf = pfs.get(p.pf());
    if (pf == null) {
      throw new IllegalArgumentException("PF " + p.pf() + " was not discovered"); // SriovConfig checked the name
    }
    return pf;
  }

  /** What differs between the VF's settings and the port's; fields the port leaves open are left alone. */
  public static VfSettings vfChanges(SriovConfig.Port port, VfState now) {
    if (now == null) {
      return new VfSettings(port.mac(), port.vlan(), port.spoofCheck(), port.trust());
    }
    return new VfSettings(port.mac().equals(now.mac()) ? null : port.mac(),
        port.vlan() == null || port.vlan() == now.vlan() ? null : port.vlan(),
        port.spoofCheck() == null || port.spoofCheck().equals(now.spoofCheck()) ? null : port.spoofCheck(),
        port.trust() == null || port.trust().equals(now.trust()) ? null : port.trust());
  }

  /**
   * The representor of VF {@code vf} of {@code pf}: the interface with the PF's
   * {@code phys_switch_id} whose {@code phys_port_name} is {@code pf<PCI function of the PF>vf<vf>}
   * (the kernel's naming since 5.0; mlx5, ice, nfp and others). Null when there is none (yet).
   */
  public static String representor(PhysicalFunction pf, int vf, List<Netdev> netdevs) {
    if (pf.switchId() == null) {
      return null;
    }
    for (Netdev n : netdevs) {
      if (n.name().equals(pf.name()) || !pf.switchId().equals(n.switchId()) || n.portName() == null) {
        continue;
      }
      Matcher m = REPRESENTOR.matcher(n.portName());
      if (m.matches() && Integer.parseInt(m.group(1)) == pf.pciFunction() && Integer.parseInt(m.group(2)) == vf) {
        return n.name();
      }
    }
    return null;
  }

  /** The bridge port an assignment wants; {@code representor} null while it has not been found. */
  public static RepresentorPort wanted(Assignment a, String representor) {
    return new RepresentorPort(representor, a.port().ifaceId(), a.pf().name(), a.vf().index(), a.vf().pciAddress(),
        a.port().mac());
  }

  /**
   * Brings the agent's representor ports on the bridge to {@code wanted}: a port no assignment
   * wants goes, a representor not on the bridge (or labelled for another port or VF) is plugged.
   * While an assignment's representor is missing, its old port stays: it comes back under the
   * same name when the VFs are re-created.
   */
  public static BridgeChanges bridgeChanges(List<RepresentorPort> wanted, List<RepresentorPort> plugged) {
    List<RepresentorPort> plug = new ArrayList<>();
    for (RepresentorPort w : wanted) {
      if (w.representor() != null && plugged.stream().noneMatch(p -> p.equals(w))) {
        plug.add(w);
      }
    }
    Set<String> replugged = new HashSet<>();
    plug.forEach(p -> replugged.add(p.representor()));
    List<String> unplug = new ArrayList<>();
    for (RepresentorPort p : plugged) {
      RepresentorPort w = wanted.stream().filter(p::sameVf).findFirst().orElse(null);
      boolean stale = w == null || (w.representor() != null && !w.representor().equals(p.representor()));
      if (stale && !replugged.contains(p.representor())) {
        unplug.add(p.representor());
      }
    }
    return new BridgeChanges(unplug, plug);
  }
}
