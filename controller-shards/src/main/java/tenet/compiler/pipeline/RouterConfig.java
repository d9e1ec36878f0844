package tenet.compiler.pipeline;

import java.util.List;
import tenet.compiler.logical.Datapath;

/** Everything the router pipeline depends on: when this value is unchanged, so are its flows. */
public record RouterConfig(Datapath datapath, List<Port> ports, List<Route> routes, List<Nat> nats)
    implements DatapathConfig {
  public RouterConfig {
    ports = List.copyOf(ports);
    routes = List.copyOf(routes);
    nats = List.copyOf(nats);
    List<Port> gateways = ports.stream().filter(Port::gateway).toList();
    if (gateways.size() > 1) {
      throw new IllegalArgumentException(datapath + " has more than one gateway port: " + gateways);
    }
    for (Nat nat : nats) {
      if (gateways.isEmpty() || nat.externalPort() != gateways.get(0).key()) {
        throw new IllegalArgumentException(nat + ": NAT happens at the gateway port only");
      }
    }
  }

  /**
   * A router port: its key in the router, its MAC, its addresses with prefix length
   * ("10.0.1.1/24"), the neighbours on its switch (the switch ports' addresses), which the
   * router resolves without ARP, and whether it is the router's gateway port. Which chassis the
   * gateway is on is not here: the logical flows are the same on every chassis, the chassis
   * views place the gateway ({@link GatewayPorts}).
   */
  public record Port(String name, int key, String mac, List<String> networks, List<Neighbour> neighbours,
      boolean gateway) {
    public Port {
      networks = List.copyOf(networks);
      neighbours = List.copyOf(neighbours);
    }
  }

  public record Neighbour(String ip, String mac) {}

  /** A static route: destination prefix, next hop, and the port the next hop is reached through. */
  public record Route(String prefix, String nexthop, int outPort, String outMac) {}

  /**
   * A NAT rule that applies at {@code externalPort}, the router's gateway port, whose network
   * holds the external address (the store refuses other rules; rules without one are left out).
   */
  public record Nat(boolean floating, String externalIp, String logicalIp, int externalPort) {}
}
