package tenet.compiler.oracle;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import tenet.api.TunnelPorts;
import tenet.api.v1.Chassis;
import tenet.api.v1.Encapsulation;
import tenet.api.v1.Kind;
import tenet.api.v1.LogicalRouterPort;
import tenet.api.v1.LogicalSwitchPort;
import tenet.api.v1.PortBinding;
import tenet.api.v1.Resource;
import tenet.compiler.specialize.ChassisView;
import tenet.compiler.specialize.ChassisView.Gateway;
import tenet.compiler.specialize.ChassisView.Patch;
import tenet.compiler.specialize.ChassisView.PortRef;
import tenet.store.core.StoreState;
import tenet.store.model.ResourceKey;

/**
 * A chassis' view read straight out of the desired state, the obvious way, from what
 * docs/pipeline.md says a chassis sees. It shares no code with the compiler's placement
 * ({@code ChassisViews}, {@code DatapathPlacement(s)}, {@code Spans}) and does not use the
 * store's referrer index: one pass over every object, then plain lookups. Slow and simple on
 * purpose, so that a placement bug in the compiler shows as a difference from it.
 */
public final class NaiveChassisView {
  /** VXLAN's 24-bit VNI holds 12 bits of datapath and 12 of output port, 0xfff meaning flood. */
  static final int VXLAN_MAX_KEY = 0xffe;
  /** A VIF's ofport is its conntrack zone, 1..32767; a port elsewhere is not plugged in for us. */
  static final int MAX_PORT_ZONE = 32767;

  private final String chassis;
  private final Map<String, Chassis> registered = new HashMap<>();
  /** By (tenant, logical port). */
  private final Map<List<String>, PortBinding> bindings = new HashMap<>();
  private final List<ResourceKey> switchPortKeys = new ArrayList<>();
  private final List<LogicalSwitchPort> switchPorts = new ArrayList<>();
  private final List<ResourceKey> routerPortKeys = new ArrayList<>();
  private final List<LogicalRouterPort> routerPorts = new ArrayList<>();
  private final Map<ResourceKey, Integer> tunnelKeys = new HashMap<>();

  private NaiveChassisView(StoreState state, String chassis) {
    this.chassis = chassis;
    for (Map.Entry<ResourceKey, Resource> e : state.objects().entrySet()) {
      ResourceKey k = e.getKey();
      Resource r = e.getValue();
      switch (k.kind()) {
        case CHASSIS -> registered.put(k.name(), r.getChassis());
        case PORT_BINDING -> bindings.put(List.of(k.tenant(), r.getPortBinding().getLogicalPort()), r.getPortBinding());
        case LOGICAL_SWITCH_PORT -> {
          switchPortKeys.add(k);
          switchPorts.add(r.getLogicalSwitchPort());
        }
        case LOGICAL_ROUTER_PORT -> {
          routerPortKeys.add(k);
          routerPorts.add(r.getLogicalRouterPort());
        }
        case LOGICAL_SWITCH -> tunnelKeys.put(k, r.getLogicalSwitch().getTunnelKey());
        case LOGICAL_ROUTER -> tunnelKeys.put(k, r.getLogicalRouter().getTunnelKey());
        default -> { }
      }
    }
  }

  /**
   * A chassis' view and its span: the switches and routers it needs, those of the ports bound to
   * it and the routers it is the gateway of, then everything joined to them by router ports.
   */
  public record Read(ChassisView view, Set<ResourceKey> span) {}

  /** The chassis' view and span; empty when no chassis of that name is registered. */
  public static Optional<Read> of(StoreState state, String chassis) {
    NaiveChassisView reader = new NaiveChassisView(state, chassis);
    Chassis me = reader.registered.get(chassis);
    if (me == null) {
      return Optional.empty();
    }
    Set<ResourceKey> span = reader.span();
    return Optional.of(new Read(reader.view(Set.copyOf(me.getEncapsulationsList()), span), span));
  }

  private ChassisView view(Set<Encapsulation> here, Set<ResourceKey> span) {
    Map<PortRef, Integer> local = new HashMap<>();
    Map<PortRef, String> remote = new HashMap<>();
    Set<String> vxlanPeers = new HashSet<>();
    for (int i = 0; i < switchPorts.size(); i++) {
      ResourceKey key = switchPortKeys.get(i);
      LogicalSwitchPort port = switchPorts.get(i);
      ResourceKey sw = new ResourceKey(Kind.LOGICAL_SWITCH, key.tenant(), port.getLogicalSwitch());
      PortBinding binding = bindings.get(List.of(key.tenant(), key.name()));
      if (!span.contains(sw) || binding == null) {
        continue;
      }
      PortRef ref = new PortRef(tunnelKeys.get(sw), port.getPortKey());
      if (binding.getChassis().equals(chassis)) {
        if (binding.getOfport() >= 1 && binding.getOfport() <= MAX_PORT_ZONE) {
          local.put(ref, binding.getOfport());
        }
        continue;
      }
      Chassis there = registered.get(binding.getChassis());
      if (there == null) {
        continue; // nowhere to send it
      }
      if (here.contains(Encapsulation.GENEVE) && there.getEncapsulationsList().contains(Encapsulation.GENEVE)) {
        remote.put(ref, there.getTunnelIp());
      } else if (here.contains(Encapsulation.VXLAN) && there.getEncapsulationsList().contains(Encapsulation.VXLAN)
          && ref.datapath() <= VXLAN_MAX_KEY && ref.port() <= VXLAN_MAX_KEY) {
        remote.put(ref, there.getTunnelIp());
        vxlanPeers.add(there.getTunnelIp());
      }
    }
    List<Patch> patches = new ArrayList<>();
    List<Gateway> gateways = new ArrayList<>();
    for (int i = 0; i < routerPorts.size(); i++) {
      String tenant = routerPortKeys.get(i).tenant();
      LogicalRouterPort lrp = routerPorts.get(i);
      ResourceKey router = new ResourceKey(Kind.LOGICAL_ROUTER, tenant, lrp.getLogicalRouter());
      if (!span.contains(router)) {
        continue;
      }
      Patch patch = new Patch(tunnelKeys.get(new ResourceKey(Kind.LOGICAL_SWITCH, tenant, lrp.getLogicalSwitch())),
          lrp.getSwitchPortKey(), tunnelKeys.get(router), lrp.getPortKey());
      patches.add(patch);
      String gateway = lrp.getGatewayChassis();
      if (gateway.equals(chassis)) {
        gateways.add(new Gateway(patch, true, ""));
      } else if (!gateway.isEmpty()) {
        // The redirect port's key needs Geneve's 16-bit output port, at both ends.
        Chassis there = registered.get(gateway);
        boolean reachable = there != null && here.contains(Encapsulation.GENEVE)
            && there.getEncapsulationsList().contains(Encapsulation.GENEVE);
        gateways.add(new Gateway(patch, false, reachable ? there.getTunnelIp() : ""));
      }
    }
    return new ChassisView(chassis, TunnelPorts.GENEVE_OFPORT,
        here.contains(Encapsulation.VXLAN) ? TunnelPorts.VXLAN_OFPORT : 0, local, remote, patches, vxlanPeers, gateways);
  }

  private Set<ResourceKey> span() {
    Set<ResourceKey> span = new TreeSet<>();
    Deque<ResourceKey> todo = new ArrayDeque<>();
    for (int i = 0; i < switchPorts.size(); i++) {
      ResourceKey key = switchPortKeys.get(i);
      PortBinding binding = bindings.get(List.of(key.tenant(), key.name()));
      if (binding != null && binding.getChassis().equals(chassis)) {
        todo.add(new ResourceKey(Kind.LOGICAL_SWITCH, key.tenant(), switchPorts.get(i).getLogicalSwitch()));
      }
    }
    for (int i = 0; i < routerPorts.size(); i++) {
      if (routerPorts.get(i).getGatewayChassis().equals(chassis)) {
        todo.add(new ResourceKey(Kind.LOGICAL_ROUTER, routerPortKeys.get(i).tenant(), routerPorts.get(i).getLogicalRouter()));
      }
    }
    while (!todo.isEmpty()) {
      ResourceKey dp = todo.poll();
      if (!span.add(dp)) {
        continue;
      }
      for (int i = 0; i < routerPorts.size(); i++) {
        LogicalRouterPort lrp = routerPorts.get(i);
        String tenant = routerPortKeys.get(i).tenant();
        if (!tenant.equals(dp.tenant())) {
          continue;
        }
        if (dp.kind() == Kind.LOGICAL_SWITCH && lrp.getLogicalSwitch().equals(dp.name())) {
          todo.add(new ResourceKey(Kind.LOGICAL_ROUTER, tenant, lrp.getLogicalRouter()));
        } else if (dp.kind() == Kind.LOGICAL_ROUTER && lrp.getLogicalRouter().equals(dp.name())) {
          todo.add(new ResourceKey(Kind.LOGICAL_SWITCH, tenant, lrp.getLogicalSwitch()));
        }
      }
    }
    return span;
  }
}
