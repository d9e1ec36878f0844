package tenet.compiler.input;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import tenet.api.v1.Encapsulation;
import tenet.api.v1.Kind;
import tenet.api.v1.LogicalRouterPort;
import tenet.api.v1.Resource;
import tenet.compiler.specialize.ChassisView;
import tenet.store.core.StoreState;
import tenet.store.model.ResourceKey;

/**
 * Reads one datapath's placement out of the desired state, by the same rules as
 * {@link ChassisViews#from} (which reads it for every datapath of a chassis' span): a chassis'
 * view is the union of its span's placements as seen from it.
 */
public final class DatapathPlacements {
  private DatapathPlacements() {}

  public static DatapathPlacement from(StoreState state, ResourceKey datapath) {
    int key = tunnelKey(state, datapath);
    List<DatapathPlacement.BoundPort> ports = new ArrayList<>();
    List<ChassisView.Patch> patches = new ArrayList<>();
    List<DatapathPlacement.GatewayPort> gateways = new ArrayList<>();
    for (ResourceKey k : state.referrers(datapath)) {
      if (k.kind() == Kind.LOGICAL_SWITCH_PORT) {
        state.get(new ResourceKey(Kind.PORT_BINDING, k.tenant(), k.name())).map(Resource::getPortBinding).ifPresent(b -> {
          String ip = state.get(ChassisViews.chassisKey(b.getChassis())).map(c -> c.getChassis().getTunnelIp()).orElse("");
          int port = state.get(k).orElseThrow().getLogicalSwitchPort().getPortKey();
          ports.add(new DatapathPlacement.BoundPort(new ChassisView.PortRef(key, port), b.getChassis(), b.getOfport(), ip,
              encapsulations(state, b.getChassis())));
        });
      } else if (k.kind() == Kind.LOGICAL_ROUTER_PORT) {
        LogicalRouterPort p = state.get(k).orElseThrow().getLogicalRouterPort();
        ResourceKey sw = new ResourceKey(Kind.LOGICAL_SWITCH, k.tenant(), p.getLogicalSwitch());
        ResourceKey router = new ResourceKey(Kind.LOGICAL_ROUTER, k.tenant(), p.getLogicalRouter());
        ChassisView.Patch patch = new ChassisView.Patch(tunnelKey(state, sw), p.getSwitchPortKey(), tunnelKey(state, router),
            p.getPortKey());
        patches.add(patch);
        // The store lets a router have one gateway port at most.
        if (RouterConfigs.isGateway(p)) {
          String gateway = p.getGatewayChassis();
          String ip = state.get(ChassisViews.chassisKey(gateway)).map(c -> c.getChassis().getTunnelIp()).orElse("");
          gateways.add(new DatapathPlacement.GatewayPort(patch, gateway, ip, encapsulations(state, gateway)));
        }
      }
    }
    patches.sort(Comparator.comparingInt(ChassisView.Patch::routerDatapath).thenComparingInt(ChassisView.Patch::routerPort));
    gateways.sort(Comparator.comparingInt(g -> g.patch().routerDatapath()));
    return new DatapathPlacement(key, ports, patches, gateways);
  }

  /** The tunnels the chassis speaks; none when it is not registered. */
  public static Set<Encapsulation> encapsulations(StoreState state, String chassis) {
    return state.get(ChassisViews.chassisKey(chassis))
        .map(c -> Set.copyOf(c.getChassis().getEncapsulationsList())).orElse(Set.of());
  }

  private static int tunnelKey(StoreState state, ResourceKey datapath) {
    Resource r = state.get(datapath).orElseThrow(() -> new IllegalArgumentException(datapath + " does not exist"));
    return datapath.kind() == Kind.LOGICAL_SWITCH ? r.getLogicalSwitch().getTunnelKey() : r.getLogicalRouter().getTunnelKey();
  }
}
