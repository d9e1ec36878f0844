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
  }

  /**
   * A router port: its key in the router, its MAC, its addresses with prefix length
   * ("10.0.1.1/24"), and the neighbours on its switch (the switch ports' addresses), which the
   * router resolves without ARP.
   */
  public record Port(String name, int key, String mac, List<String> networks, List<Neighbour> neighbours) {
    public Port {
      networks = List.copyOf(networks);
      neighbours = List.copyOf(neighbours);
    }
  }

  public record Neighbour(String ip, String mac) {}

  /** A static route: destination prefix, next hop, and the port the next hop is reached through. */
  public record Route(String prefix, String nexthop, int outPort, String outMac) {}

  /**
   * A NAT rule that applies at {@code externalPort}, the router port whose network holds the
   * external address; rules with no such port are left out.
   */
  public record Nat(boolean floating, String externalIp, String logicalIp, int externalPort) {}
}
