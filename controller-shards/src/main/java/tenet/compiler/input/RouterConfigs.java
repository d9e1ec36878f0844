package tenet.compiler.input;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import tenet.api.v1.Kind;
import tenet.api.v1.LogicalRouter;
import tenet.api.v1.LogicalRouterPort;
import tenet.api.v1.NatRule;
import tenet.api.v1.NatType;
import tenet.api.v1.Resource;
import tenet.api.v1.StaticRoute;
import tenet.compiler.logical.Datapath;
import tenet.compiler.pipeline.RouterConfig;
import tenet.store.core.StoreState;
import tenet.store.core.net.IpAddress;
import tenet.store.core.net.IpInterface;
import tenet.store.model.ResourceKey;

/** Reads a router's pipeline input out of the desired state. */
public final class RouterConfigs {
  private RouterConfigs() {}

  public static RouterConfig from(StoreState state, ResourceKey routerKey) {
    LogicalRouter router = state.get(routerKey).orElseThrow(() -> new IllegalArgumentException(routerKey + " does not exist"))
        .getLogicalRouter();
    Datapath datapath = new Datapath(Datapath.Type.ROUTER, routerKey.tenant(), routerKey.name(), router.getTunnelKey());
    List<LogicalRouterPort> lrps = new ArrayList<>();
    List<StaticRoute> routes = new ArrayList<>();
    List<NatRule> nats = new ArrayList<>();
    for (ResourceKey k : state.referrers(routerKey)) {
      Resource r = state.get(k).orElseThrow();
      switch (k.kind()) {
        case LOGICAL_ROUTER_PORT -> lrps.add(r.getLogicalRouterPort());
        case STATIC_ROUTE -> routes.add(r.getStaticRoute());
        case NAT_RULE -> nats.add(r.getNatRule());
        default -> { }
      }
    }
    lrps.sort(Comparator.comparingInt(LogicalRouterPort::getPortKey));

    // The store allows one gateway port per router; should it hold more, the first counts.
    List<LogicalRouterPort> gateway = lrps.stream().filter(RouterConfigs::isGateway).limit(1).toList();
    List<RouterConfig.Port> ports = new ArrayList<>();
    for (LogicalRouterPort lrp : lrps) {
      ports.add(new RouterConfig.Port(lrp.getMetadata().getName(), lrp.getPortKey(), lrp.getMac(),
          lrp.getNetworksList(), neighbours(state, routerKey.tenant(), lrp), gateway.contains(lrp)));
    }
    List<RouterConfig.Route> outRoutes = new ArrayList<>();
    for (StaticRoute route : routes) {
      portHolding(lrps, route.getNexthop()).ifPresent(out ->
          outRoutes.add(new RouterConfig.Route(route.getPrefix(), route.getNexthop(), out.getPortKey(), out.getMac())));
    }
    // NAT runs at the gateway port, on the gateway chassis: conntrack state is per chassis.
    List<RouterConfig.Nat> outNats = new ArrayList<>();
    for (NatRule nat : nats) {
      portHolding(gateway, nat.getExternalIp()).ifPresent(ext -> outNats.add(new RouterConfig.Nat(
          nat.getType() == NatType.DNAT_AND_SNAT, nat.getExternalIp(), nat.getLogicalIp(), ext.getPortKey())));
    }
    return new RouterConfig(datapath, ports, outRoutes, outNats);
  }

  /** Whether {@code lrp} is its router's gateway port: it names the chassis the gateway is on. */
  public static boolean isGateway(LogicalRouterPort lrp) {
    return !lrp.getGatewayChassis().isEmpty();
  }

  /** The router port whose network holds {@code ip}, if any. */
  private static Optional<LogicalRouterPort> portHolding(List<LogicalRouterPort> lrps, String ip) {
    IpAddress address = IpAddress.parse(ip);
    return lrps.stream()
        .filter(p -> p.getNetworksList().stream().anyMatch(n -> IpInterface.parse(n).subnet().contains(address)))
        .findFirst();
  }

  /** The addresses on the port's switch: its switch ports', and other routers' ports there. */
  private static List<RouterConfig.Neighbour> neighbours(StoreState state, String tenant, LogicalRouterPort lrp) {
    List<RouterConfig.Neighbour> out = new ArrayList<>();
    ResourceKey sw = new ResourceKey(Kind.LOGICAL_SWITCH, tenant, lrp.getLogicalSwitch());
    for (ResourceKey k : state.referrers(sw)) {
      Resource r = state.get(k).orElseThrow();
      if (k.kind() == Kind.LOGICAL_SWITCH_PORT) {
        for (String ip : r.getLogicalSwitchPort().getIpsList()) {
          out.add(new RouterConfig.Neighbour(IpAddress.parse(ip).toString(), r.getLogicalSwitchPort().getMac()));
        }
      } else if (k.kind() == Kind.LOGICAL_ROUTER_PORT && !k.name().equals(lrp.getMetadata().getName())) {
        for (String n : r.getLogicalRouterPort().getNetworksList()) {
          out.add(new RouterConfig.Neighbour(IpInterface.parse(n).address().toString(), r.getLogicalRouterPort().getMac()));
        }
      }
    }
    out.sort(Comparator.comparing(RouterConfig.Neighbour::ip));
    return out;
  }
}
