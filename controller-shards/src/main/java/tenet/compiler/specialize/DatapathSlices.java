package tenet.compiler.specialize;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One datapath's share of the chassis rules (those whose cookie names it): the slice each chassis
 * hosting one of its ports gets, and the one every other chassis that needs the datapath shares.
 * A chassis' rules are the table defaults plus, for each datapath of its span, the datapath's
 * rules and its slice here; so a change to one datapath's placement recomputes a handful of
 * slices, not every chassis that needs it.
 *
 * <p>Equal rules of different slices are one object: a remote port's tunnel rule is the same on
 * every chassis but its own.
 */
public record DatapathSlices(List<OpenFlowRule> elsewhere, Map<String, List<OpenFlowRule>> hosts) {
  public static final DatapathSlices NONE = new DatapathSlices(List.of(), Map.of());

  public DatapathSlices {
    elsewhere = List.copyOf(elsewhere);
    hosts = Map.copyOf(hosts);
  }

  public static DatapathSlices of(DatapathPlacement placement) {
    Map<OpenFlowRule, OpenFlowRule> canonical = new HashMap<>();
    List<OpenFlowRule> elsewhere = slice(placement, "", canonical);
    Map<String, List<OpenFlowRule>> hosts = new HashMap<>();
    for (String chassis : placement.hosts()) {
      hosts.put(chassis, slice(placement, chassis, canonical));
    }
    return new DatapathSlices(elsewhere, hosts);
  }

  /** The slice of {@code chassis}, which needs this datapath. */
  public List<OpenFlowRule> of(String chassis) {
    return hosts.getOrDefault(chassis, elsewhere);
  }

  /**
   * The chassis rules of the datapath's own view from {@code chassis}, less what belongs to other
   * datapaths: the view holds the patches, so it also yields the routers' (or switches') side of
   * them, which their own slices hold.
   */
  private static List<OpenFlowRule> slice(DatapathPlacement placement, String chassis,
      Map<OpenFlowRule, OpenFlowRule> canonical) {
    List<OpenFlowRule> out = new ArrayList<>();
    for (OpenFlowRule rule : Specializer.chassisRules(placement.viewFrom(chassis))) {
      if (rule.datapath() == placement.datapath()) {
        out.add(canonical.computeIfAbsent(rule, r -> r));
      }
    }
    return List.copyOf(out);
  }

  /** The table defaults: every registered chassis has them, whatever its span. */
  public static List<OpenFlowRule> defaults(int tunnelOfport) {
    return Specializer.chassisRules(new ChassisView("", tunnelOfport, Map.of(), Map.of(), List.of()));
  }
}
