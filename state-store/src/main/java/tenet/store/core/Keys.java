package tenet.store.core;

import java.util.Optional;
import java.util.OptionalInt;
import tenet.api.v1.Kind;
import tenet.api.v1.Resource;
import tenet.store.model.ResourceKey;

/**
 * The keys the store allocates: a cluster-wide tunnel key per logical datapath (Geneve VNI,
 * 24 bits) and a port key per logical port, unique within its datapath (15 bits, as the Geneve
 * option carries it). Allocation takes the lowest free key, so it depends on the objects alone.
 */
final class Keys {
  static final int MAX_TUNNEL_KEY = (1 << 24) - 1;
  static final int MAX_PORT_KEY = (1 << 15) - 1;

  private Keys() {}

  record PortKey(ResourceKey datapath, int key) {}

  static OptionalInt tunnelKey(Resource r) {
    int key = switch (r.getKindCase()) {
      case LOGICAL_SWITCH -> r.getLogicalSwitch().getTunnelKey();
      case LOGICAL_ROUTER -> r.getLogicalRouter().getTunnelKey();
      default -> 0;
    };
    return key == 0 ? OptionalInt.empty() : OptionalInt.of(key);
  }

  static Optional<PortKey> portKey(Resource r) {
    return switch (r.getKindCase()) {
      case LOGICAL_SWITCH_PORT -> {
        var p = r.getLogicalSwitchPort();
        yield p.getPortKey() == 0 ? Optional.empty() : Optional.of(new PortKey(
            new ResourceKey(Kind.LOGICAL_SWITCH, p.getMetadata().getTenant(), p.getLogicalSwitch()), p.getPortKey()));
      }
      case LOGICAL_ROUTER_PORT -> {
        var p = r.getLogicalRouterPort();
        yield p.getPortKey() == 0 ? Optional.empty() : Optional.of(new PortKey(
            new ResourceKey(Kind.LOGICAL_ROUTER, p.getMetadata().getTenant(), p.getLogicalRouter()), p.getPortKey()));
      }
      default -> Optional.empty();
    };
  }

  /** The datapath whose port-key space a new port draws from, if it is a port. */
  static Optional<ResourceKey> portDatapath(Resource r) {
    return switch (r.getKindCase()) {
      case LOGICAL_SWITCH_PORT -> Optional.of(new ResourceKey(Kind.LOGICAL_SWITCH,
          r.getLogicalSwitchPort().getMetadata().getTenant(), r.getLogicalSwitchPort().getLogicalSwitch()));
      case LOGICAL_ROUTER_PORT -> Optional.of(new ResourceKey(Kind.LOGICAL_ROUTER,
          r.getLogicalRouterPort().getMetadata().getTenant(), r.getLogicalRouterPort().getLogicalRouter()));
      default -> Optional.empty();
    };
  }

  static boolean isDatapath(Resource r) {
    return r.hasLogicalSwitch() || r.hasLogicalRouter();
  }

  static Resource withTunnelKey(Resource r, int key) {
    return switch (r.getKindCase()) {
      case LOGICAL_SWITCH -> r.toBuilder().setLogicalSwitch(r.getLogicalSwitch().toBuilder().setTunnelKey(key)).build();
      case LOGICAL_ROUTER -> r.toBuilder().setLogicalRouter(r.getLogicalRouter().toBuilder().setTunnelKey(key)).build();
      default -> r;
    };
  }

  static Resource withPortKey(Resource r, int key) {
    return switch (r.getKindCase()) {
      case LOGICAL_SWITCH_PORT -> r.toBuilder().setLogicalSwitchPort(r.getLogicalSwitchPort().toBuilder().setPortKey(key)).build();
      case LOGICAL_ROUTER_PORT -> r.toBuilder().setLogicalRouterPort(r.getLogicalRouterPort().toBuilder().setPortKey(key)).build();
      default -> r;
    };
  }

  /** Copies the store-owned fields of {@code from} into {@code to} (same kind). */
  static Resource keepAllocated(Resource to, Resource from) {
    Resource r = to;
    OptionalInt tk = tunnelKey(from);
    if (tk.isPresent()) {
      r = withTunnelKey(r, tk.getAsInt());
    }
    Optional<PortKey> pk = portKey(from);
    if (pk.isPresent()) {
      r = withPortKey(r, pk.get().key());
    }
    return r;
  }

  /** Clears store-owned fields a client may have sent back (they are output only). */
  static Resource clearAllocated(Resource r) {
    return withPortKey(withTunnelKey(r, 0), 0);
  }
}
