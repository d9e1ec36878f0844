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
 * hosting one of its ports gets, and the one every other chassis that needs the datapath shares
 * with those that speak the same tunnels. A chassis' rules are the table defaults plus, for each
 * datapath of its span, the datapath's rules and its slice here; so a change to one datapath's
 * placement recomputes a handful of slices, not every chassis that needs it.
 *
 * <p>Equal rules of different slices are one object: a remote port's tunnel rule is the same on
 * every chassis but its own.
 */
record DatapathSlices(Map<Set<Encapsulation>, List<OpenFlowRule>> elsewhere, Map<String, List<OpenFlowRule>> hosts) {
  static final DatapathSlices NONE = new DatapathSlices(Map.of(), Map.of());

  DatapathSlices {
    elsewhere = Map.copyOf(elsewhere);
    hosts = Map.copyOf(hosts);
  }

  /** The slices of the placement's hosts, and of the chassis elsewhere that speak one of {@code tunnels}. */
  static DatapathSlices of(DatapathPlacement placement, Collection<Set<Encapsulation>> tunnels) {
    Map<OpenFlowRule, OpenFlowRule> canonical = new HashMap<>();
    Map<Set<Encapsulation>, List<OpenFlowRule>> elsewhere = new HashMap<>();
    for (Set<Encapsulation> here : tunnels) {
      elsewhere.put(here, slice(placement, "", here, canonical));
    }
    Map<String, List<OpenFlowRule>> hosts = new HashMap<>();
    placement.hosts().forEach((chassis, here) -> hosts.put(chassis, slice(placement, chassis, here, canonical)));
    return new DatapathSlices(elsewhere, hosts);
  }

  /** The slice of {@code chassis}, which speaks {@code tunnels} and needs this datapath. */
  List<OpenFlowRule> of(String chassis, Set<Encapsulation> tunnels) {
    List<OpenFlowRule> own = hosts.get(chassis);
    return own != null ? own : elsewhere.getOrDefault(tunnels, List.of());
  }

  /**
   * The chassis rules of the datapath's own view from {@code chassis}, less what belongs to other
   * datapaths: the view holds the patches, so it also yields the routers' (or switches') side of
   * them, which their own slices hold.
   */
  private static List<OpenFlowRule> slice(DatapathPlacement placement, String chassis, Set<Encapsulation> here,
      Map<OpenFlowRule, OpenFlowRule> canonical) {
    List<OpenFlowRule> out = new ArrayList<>();
    for (OpenFlowRule rule : Specializer.chassisRules(placement.viewFrom(chassis, here))) {
      if (rule.datapath() == placement.datapath()) {
        out.add(canonical.computeIfAbsent(rule, r -> r));
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
