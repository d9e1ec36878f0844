package tenet.compiler.input;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import tenet.api.v1.Encapsulation;
import tenet.api.v1.Kind;
import tenet.api.v1.LogicalRouterPort;
import tenet.api.v1.Resource;
import tenet.compiler.specialize.ChassisView;
import tenet.store.core.StoreState;
import tenet.store.model.ResourceKey;

/**
 * Reads one chassis' view out of the desired state: the datapaths it needs (the switches of the
 * ports bound to it, and everything those reach through routers), where each of their ports is,
 * and the router patches between them.
 */
public final class ChassisViews {
  public static final int GENEVE_OFPORT = tenet.api.TunnelPorts.GENEVE_OFPORT;
  public static final int VXLAN_OFPORT = tenet.api.TunnelPorts.VXLAN_OFPORT;
  /** VXLAN's 24-bit VNI carries the datapath (12 bits) and the logical output port (12 bits). */
  public static final int VXLAN_MAX_KEY = 0xffe;

  private ChassisViews() {}

  public static ResourceKey chassisKey(String chassis) {
    return new ResourceKey(Kind.CHASSIS, "", chassis);
  }

  /** The view, or empty when no such chassis is registered. */
  public static Optional<ChassisView> from(StoreState state, String chassis) {
    if (state.get(chassisKey(chassis)).isEmpty()) {
      return Optional.empty();
    }
    // The chassis' view is its view of each datapath it needs, put together: one placement rule
    // (DatapathPlacement.viewFrom) for this and for the incremental specializer.
    Set<Encapsulation> here = DatapathPlacements.encapsulations(state, chassis);
    Map<ChassisView.PortRef, Integer> local = new HashMap<>();
    Map<ChassisView.PortRef, String> remote = new HashMap<>();
    Set<String> vxlanPeers = new TreeSet<>();
    Set<ChassisView.Patch> patches = new java.util.HashSet<>();
    Map<Integer, ChassisView.Gateway> gateways = new java.util.TreeMap<>();
    for (ResourceKey datapath : span(state, chassis)) {
      ChassisView part = DatapathPlacements.from(state, datapath).viewFrom(chassis, here);
      local.putAll(part.localPorts());
      remote.putAll(part.remotePorts());
      vxlanPeers.addAll(part.vxlanPeers());
      patches.addAll(part.patches());
      part.gateways().forEach(g -> gateways.putIfAbsent(g.patch().routerDatapath(), g));
    }
    List<ChassisView.Patch> sorted = new ArrayList<>(patches);
    sorted.sort(java.util.Comparator.comparingInt(ChassisView.Patch::routerDatapath)
        .thenComparingInt(ChassisView.Patch::routerPort));
    return Optional.of(new ChassisView(chassis, GENEVE_OFPORT, here.contains(Encapsulation.VXLAN) ? VXLAN_OFPORT : 0,
        local, remote, sorted, vxlanPeers, List.copyOf(gateways.values())));
  }


  /**
   * Where the gateway port {@code patch} is, seen from {@code chassis}: here, or at the gateway
   * chassis' tunnel IP; no IP while that chassis is not registered, or when it shares no Geneve
   * with this one (the redirect port's key needs Geneve's 16-bit output port).
   */
  /** Geneve when both ends speak it; VXLAN when only that is shared and the keys fit its VNI. */
  static Encapsulation encapsulation(Collection<Encapsulation> here, Collection<Encapsulation> there,
      ChassisView.PortRef port) {
    if (here.contains(Encapsulation.GENEVE) && there.contains(Encapsulation.GENEVE)) {
      return Encapsulation.GENEVE;
    }
    if (here.contains(Encapsulation.VXLAN) && there.contains(Encapsulation.VXLAN)
        && port.datapath() <= VXLAN_MAX_KEY && port.port() <= VXLAN_MAX_KEY) {
      return Encapsulation.VXLAN;
    }
    return Encapsulation.ENCAPSULATION_UNSPECIFIED;
  }

  /**
   * The datapaths this chassis needs: the switches its bound ports are on and the routers whose
   * gateway it is, then, through router ports, the routers attached to those and the switches
   * attached to the routers, to the end.
   */
  public static Set<ResourceKey> span(StoreState state, String chassis) {
    Set<ResourceKey> span = new TreeSet<>();
    Deque<ResourceKey> todo = new ArrayDeque<>();
    for (ResourceKey b : state.referrers(chassisKey(chassis))) {
      if (b.kind() == Kind.PORT_BINDING) {
        state.get(new ResourceKey(Kind.LOGICAL_SWITCH_PORT, b.tenant(), b.name())).ifPresent(p ->
            todo.add(new ResourceKey(Kind.LOGICAL_SWITCH, b.tenant(), p.getLogicalSwitchPort().getLogicalSwitch())));
      }
    }
    // A gateway chassis may host no VM of the router's tenant. gateway_chassis is no reference
    // (the chassis may come later), so the store keeps no index of it: every router port is read.
    for (Map.Entry<ResourceKey, Resource> e : state.objects(Kind.LOGICAL_ROUTER_PORT, "").entrySet()) {
      LogicalRouterPort p = e.getValue().getLogicalRouterPort();
      if (p.getGatewayChassis().equals(chassis)) {
        todo.add(new ResourceKey(Kind.LOGICAL_ROUTER, e.getKey().tenant(), p.getLogicalRouter()));
      }
    }
    while (!todo.isEmpty()) {
      ResourceKey datapath = todo.poll();
      if (!span.add(datapath)) {
        continue;
      }
      for (ResourceKey k : state.referrers(datapath)) {
        if (k.kind() != Kind.LOGICAL_ROUTER_PORT) {
          continue;
        }
        LogicalRouterPort p = state.get(k).orElseThrow().getLogicalRouterPort();
        todo.add(datapath.kind() == Kind.LOGICAL_SWITCH
            ? new ResourceKey(Kind.LOGICAL_ROUTER, k.tenant(), p.getLogicalRouter())
            : new ResourceKey(Kind.LOGICAL_SWITCH, k.tenant(), p.getLogicalSwitch()));
      }
    }
    return span;
  }

  /** Which chassis views one version of an object can change. */
  public record Touch(Set<ResourceKey> datapaths, Set<String> chassis, boolean everyChassis) {}

  /**
   * The chassis views {@code version} of the object at {@code key} can change: those whose span
   * holds the datapath it is or belongs to (its ports' places, the router patches, the span
   * itself), the chassis a binding or a gateway port names, and, when a chassis moves its tunnel
   * (or registers, and may be a gateway), all of them.
   */
  public static Touch touchedBy(StoreState state, ResourceKey key, Resource version) {
    Set<ResourceKey> datapaths = new TreeSet<>();
    Set<String> chassis = new TreeSet<>();
    switch (key.kind()) {
      case LOGICAL_SWITCH, LOGICAL_ROUTER -> datapaths.add(key);
      case LOGICAL_SWITCH_PORT -> datapaths.add(
          new ResourceKey(Kind.LOGICAL_SWITCH, key.tenant(), version.getLogicalSwitchPort().getLogicalSwitch()));
      case LOGICAL_ROUTER_PORT -> {
        datapaths.add(new ResourceKey(Kind.LOGICAL_SWITCH, key.tenant(), version.getLogicalRouterPort().getLogicalSwitch()));
        datapaths.add(new ResourceKey(Kind.LOGICAL_ROUTER, key.tenant(), version.getLogicalRouterPort().getLogicalRouter()));
        // The gateway chassis, whose span the router may only now enter (the previous one's
        // span holds the router already).
        if (!version.getLogicalRouterPort().getGatewayChassis().isEmpty()) {
          chassis.add(version.getLogicalRouterPort().getGatewayChassis());
        }
      }
      case PORT_BINDING -> {
        chassis.add(version.getPortBinding().getChassis());
        state.get(new ResourceKey(Kind.LOGICAL_SWITCH_PORT, key.tenant(), key.name())).ifPresent(p -> datapaths.add(
            new ResourceKey(Kind.LOGICAL_SWITCH, key.tenant(), p.getLogicalSwitchPort().getLogicalSwitch())));
      }
      case CHASSIS -> {
        return new Touch(datapaths, Set.of(key.name()), true);
      }
      default -> { }
    }
    return new Touch(datapaths, chassis, false);
  }
}
