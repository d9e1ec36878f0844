package tenet.agent.sriov;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tenet.agent.sriov.PhysicalFunction.VirtualFunction;

/**
 * The pure part of SR-IOV: from the configuration, the ports the API gives VFs here, and what the
 * host shows (records read by the adapters in {@code tenet.agent.sriov.host}), what to change.
 * No I/O.
 */
public final class SriovPlan {
  /** {@code phys_port_name} of a VF representor: {@code pf<PCI function>vf<VF index>}. */
  private static final Pattern REPRESENTOR = Pattern.compile("pf(\\d+)vf(\\d+)");

  private SriovPlan() {}

  /** A logical port's VF. */
  public record Assignment(VfPort port, PhysicalFunction pf, VirtualFunction vf) {}

  /** Which VF each port gets, and the ports that get none, each with the reason. */
  public record Assignments(List<Assignment> assigned, List<String> refused) {}

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
   * Which VF each port gets, in the order given: the VF the API names; else the VF the port is
   * plugged in on already (so a restart or a port added moves nobody); else the lowest free one.
   * A port on a PF this agent does not manage, on a VF that does not exist or that another port
   * named first, or finding no free VF, is refused with the reason; the others go on.
   *
   * @param pfs the configured PFs as sysfs shows them, by name
   * @param plugged the representor ports the agent has on the bridge now
   */
  public static Assignments assign(List<VfPort> ports, Map<String, PhysicalFunction> pfs,
      List<RepresentorPort> plugged) {
    VirtualFunction[] chosen = new VirtualFunction[ports.size()];
    boolean[] refused = new boolean[ports.size()];
    List<String> reasons = new ArrayList<>();
    Map<String, Map<Integer, String>> taken = new LinkedHashMap<>();
    for (int i = 0; i < ports.size(); i++) {
      VfPort p = ports.get(i);
      PhysicalFunction pf = pfs.get(p.pf());
      if (pf == null) {
        refused[i] = true;
        reasons.add(p.ifaceId() + ": " + p.pf() + " is not a PF this chassis manages (" + SriovConfig.PATH + ".pfs "
            + pfs.keySet() + ")");
        continue;
      }
      if (p.vf() == null) {
        continue;
      }
      Map<Integer, String> used = taken.computeIfAbsent(pf.name(), k -> new HashMap<>());
      VirtualFunction vf = pf.vf(p.vf());
      if (vf == null) {
        refused[i] = true;
        reasons.add(p.ifaceId() + ": VF " + p.vf() + " of " + pf.name() + " does not exist: it has " + pf.vfs().size()
            + " VFs (sriov_numvfs " + pf.numVfs() + ")");
      } else if (used.containsKey(vf.index())) {
        refused[i] = true;
        reasons.add(p.ifaceId() + ": VF " + p.vf() + " of " + pf.name() + " is " + used.get(vf.index()) + "'s");
      } else {
        chosen[i] = vf;
        used.put(vf.index(), p.ifaceId());
      }
    }
    for (int i = 0; i < ports.size(); i++) {
      VfPort p = ports.get(i);
      if (chosen[i] != null || refused[i]) {
        continue;
      }
      PhysicalFunction pf = pfs.get(p.pf());
      Map<Integer, String> used = taken.computeIfAbsent(pf.name(), k -> new HashMap<>());
      for (RepresentorPort r : plugged) {
        if (r.ifaceId().equals(p.ifaceId()) && r.pf().equals(pf.name()) && pf.vf(r.vf()) != null
            && !used.containsKey(r.vf())) {
          chosen[i] = pf.vf(r.vf());
          used.put(r.vf(), p.ifaceId());
          break;
        }
      }
    }
    List<Assignment> out = new ArrayList<>();
    for (int i = 0; i < ports.size(); i++) {
      VfPort p = ports.get(i);
      if (refused[i]) {
        continue;
      }
      PhysicalFunction pf = pfs.get(p.pf());
      if (chosen[i] == null) {
        Map<Integer, String> used = taken.get(pf.name());
        chosen[i] = pf.vfs().stream().filter(v -> !used.containsKey(v.index()))
            .min(Comparator.comparingInt(VirtualFunction::index)).orElse(null);
        if (chosen[i] == null) {
          reasons.add(p.ifaceId() + ": no free VF on " + pf.name() + ": its " + pf.vfs().size() + " VFs all have ports");
          continue;
        }
        used.put(chosen[i].index(), p.ifaceId());
      }
      out.add(new Assignment(p, pf, chosen[i]));
    }
    return new Assignments(out, reasons);
  }

  /**
   * What differs between the VF's settings and the port's. Spoof check and trust the driver does
   * not report are left alone: the agent could not tell whether setting them took, and drivers
   * that do not report them mostly refuse them too.
   */
  public static VfSettings vfChanges(VfPort port, VfState now) {
    if (now == null) {
      return new VfSettings(port.mac(), port.vlan(), port.spoofCheck(), port.trust());
    }
    return new VfSettings(port.mac().equals(now.mac()) ? null : port.mac(),
        port.vlan() == now.vlan() ? null : port.vlan(),
        now.spoofCheck() == null || now.spoofCheck() == port.spoofCheck() ? null : port.spoofCheck(),
        now.trust() == null || now.trust() == port.trust() ? null : port.trust());
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
