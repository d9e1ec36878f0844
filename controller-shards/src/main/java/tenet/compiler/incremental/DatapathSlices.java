package tenet.compiler.incremental;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tenet.api.v1.Encapsulation;
import tenet.compiler.input.DatapathPlacement;
import tenet.compiler.specialize.ChassisView;
import tenet.compiler.specialize.OpenFlowRule;
import tenet.compiler.specialize.Specializer;

/**
 * One datapath's share of the chassis rules (those whose cookie names it): the slice each chassis
 * hosting one of its ports gets, with the rules about its own VM ports there ({@link
 * DatapathRules#local}), and the one every other chassis that needs the datapath shares with
 * those that speak the same tunnels. A chassis' rules are the table defaults plus, for each
 * datapath of its span, the datapath's rules and its slice here; so a change to one datapath's
 * placement recomputes a handful of slices, not every chassis that needs it.
 *
 * <p>A host's slice is made the first time it is asked for, from the placement as it was: a
 * controller asks only for the chassis whose agents it serves, so the others' slices, two thirds
 * of them on three controllers, are never made there (making every host's slice at every
 * placement change was a quarter of a controller's CPU converging 40,000 ports). The slices of
 * the chassis elsewhere, few and shared, are made at once.
 *
 * <p>Equal rules of different slices are one object: a remote port's tunnel rule is the same on
 * every chassis but its own.
 */
final class DatapathSlices {
  static final DatapathSlices NONE = new DatapathSlices(null, Map.of(), Map.of(), Map.of(), Map.of());

  private final DatapathPlacement placement;
  private final Map<Integer, List<OpenFlowRule>> portRules;
  private final Map<String, Set<Encapsulation>> hostTunnels;
  private final Map<Set<Encapsulation>, List<OpenFlowRule>> elsewhere;
  // Guarded by this: the host slices made so far, and the rules they are made of.
  private final Map<String, List<OpenFlowRule>> hosts = new HashMap<>();
  private final Map<OpenFlowRule, OpenFlowRule> canonical;

  private DatapathSlices(DatapathPlacement placement, Map<Integer, List<OpenFlowRule>> portRules,
      Map<String, Set<Encapsulation>> hostTunnels, Map<Set<Encapsulation>, List<OpenFlowRule>> elsewhere,
      Map<OpenFlowRule, OpenFlowRule> canonical) {
    this.placement = placement;
    this.portRules = portRules;
    this.hostTunnels = hostTunnels;
    this.elsewhere = elsewhere;
    this.canonical = canonical;
  }

  /**
   * The slices of the chassis elsewhere that speak one of {@code tunnels}; the hosts' when asked
   * for, with the {@code portRules} (by port key) of the VM ports plugged in there.
   */
  static DatapathSlices of(DatapathPlacement placement, Map<Integer, List<OpenFlowRule>> portRules,
      Collection<Set<Encapsulation>> tunnels) {
    Map<OpenFlowRule, OpenFlowRule> canonical = new HashMap<>();
    Map<Set<Encapsulation>, List<OpenFlowRule>> elsewhere = new HashMap<>();
    for (Set<Encapsulation> here : tunnels) {
      elsewhere.put(here, slice(placement, Map.of(), "", here, canonical));
    }
    return new DatapathSlices(placement, portRules, Map.copyOf(placement.hosts()), Map.copyOf(elsewhere), canonical);
  }

  /** Whether one of {@code ports} (keys on this datapath) is bound to a chassis: its rules are in that host's slice. */
  boolean bindsAny(Set<Integer> ports) {
    if (placement == null || ports.isEmpty()) {
      return false;
    }
    return placement.ports().stream().anyMatch(p -> ports.contains(p.port().port()));
  }

  /** The slice of {@code chassis}, which speaks {@code tunnels} and needs this datapath. */
  List<OpenFlowRule> of(String chassis, Set<Encapsulation> tunnels) {
    Set<Encapsulation> here = hostTunnels.get(chassis);
    if (here == null) {
      return elsewhere.getOrDefault(tunnels, List.of());
    }
    return hostSlice(chassis, here);
  }

  /** The host's slice, made now if it was not yet. */
  private synchronized List<OpenFlowRule> hostSlice(String chassis, Set<Encapsulation> here) {
    return hosts.computeIfAbsent(chassis, c -> slice(placement, portRules, c, here, canonical));
  }

  /**
   * Makes the slice of every host not asked for yet, {@code max} at most; returns how many it
   * made. The node's compiler does this when it has nothing else to do, so that a chassis whose
   * agent it takes over from a dead node finds its slices made (making them one new chassis after
   * another was most of a 40,000-port failover once the leader read was gone).
   */
  int makeHostSlices(int max) {
    int made = 0;
    for (Map.Entry<String, Set<Encapsulation>> host : hostTunnels.entrySet()) {
      if (made == max) {
        break;
      }
      if (!hasHostSlice(host.getKey())) {
        hostSlice(host.getKey(), host.getValue());
        made++;
      }
    }
    return made;
  }

  private synchronized boolean hasHostSlice(String chassis) {
    return hosts.containsKey(chassis);
  }

  /** Whether every host's slice is made. */
  synchronized boolean allHostSlicesMade() {
    return hosts.size() == hostTunnels.size();
  }

  /**
   * The chassis rules of the datapath's own view from {@code chassis}, less what belongs to other
   * datapaths (the view holds the patches, so it also yields the routers' or switches' side of
   * them, which their own slices hold), and the port rules of the VM ports plugged in there.
   */
  private static List<OpenFlowRule> slice(DatapathPlacement placement, Map<Integer, List<OpenFlowRule>> portRules,
      String chassis, Set<Encapsulation> here, Map<OpenFlowRule, OpenFlowRule> canonical) {
    List<OpenFlowRule> out = new ArrayList<>();
    ChassisView view = placement.viewFrom(chassis, here);
    for (OpenFlowRule rule : Specializer.chassisRules(view)) {
      if (rule.datapath() == placement.datapath()) {
        out.add(canonical.computeIfAbsent(rule, r -> r));
      }
    }
    if (!portRules.isEmpty()) {
      for (ChassisView.PortRef port : view.localPorts().keySet()) {
        if (port.datapath() == placement.datapath()) {
          out.addAll(portRules.getOrDefault(port.port(), List.of()));
        }
      }
    }
    return List.copyOf(out);
  }

  /**
   * The rules of no datapath (the table defaults, the neighbour advertisement table): every
   * registered chassis has them, whatever its span.
   */
  static List<OpenFlowRule> defaults(int tunnelOfport) {
    return Specializer.chassisRules(new ChassisView("", tunnelOfport, Map.of(), Map.of(), List.of()));
  }
}
