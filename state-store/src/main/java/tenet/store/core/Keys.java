package tenet.store.core;

import java.util.ArrayList;
import java.util.List;
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

  /** The port keys an object holds (zero ones are not allocated yet), with their datapaths. */
  static List<PortKey> portKeys(Resource r) {
    List<ResourceKey> datapaths = portDatapaths(r);
    List<Integer> keys = switch (r.getKindCase()) {
      case LOGICAL_SWITCH_PORT -> List.of(r.getLogicalSwitchPort().getPortKey());
      case LOGICAL_ROUTER_PORT -> List.of(r.getLogicalRouterPort().getPortKey(), r.getLogicalRouterPort().getSwitchPortKey());
      default -> List.of();
    };
    List<PortKey> out = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      if (keys.get(i) != 0) {
        out.add(new PortKey(datapaths.get(i), keys.get(i)));
      }
    }
    return out;
  }

  /**
   * The datapaths whose port-key spaces an object draws from, in the order of
   * {@link #withPortKeys}: a switch port from its switch; a router port from its router and,
   * as the switch's view of the router, from its switch.
   */
  static List<ResourceKey> portDatapaths(Resource r) {
    return switch (r.getKindCase()) {
      case LOGICAL_SWITCH_PORT -> List.of(new ResourceKey(Kind.LOGICAL_SWITCH,
          r.getLogicalSwitchPort().getMetadata().getTenant(), r.getLogicalSwitchPort().getLogicalSwitch()));
      case LOGICAL_ROUTER_PORT -> {
        var p = r.getLogicalRouterPort();
        String t = p.getMetadata().getTenant();
        yield List.of(new ResourceKey(Kind.LOGICAL_ROUTER, t, p.getLogicalRouter()),
            new ResourceKey(Kind.LOGICAL_SWITCH, t, p.getLogicalSwitch()));
      }
      default -> List.of();
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

  /** Sets the port keys in the order of {@link #portDatapaths}. */
  static Resource withPortKeys(Resource r, List<Integer> keys) {
    return switch (r.getKindCase()) {
      case LOGICAL_SWITCH_PORT -> r.toBuilder().setLogicalSwitchPort(
          r.getLogicalSwitchPort().toBuilder().setPortKey(keys.get(0))).build();
      case LOGICAL_ROUTER_PORT -> r.toBuilder().setLogicalRouterPort(r.getLogicalRouterPort().toBuilder()
          .setPortKey(keys.get(0)).setSwitchPortKey(keys.get(1))).build();
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
    List<Integer> keys = new ArrayList<>();
    switch (from.getKindCase()) {
      case LOGICAL_SWITCH_PORT -> keys.add(from.getLogicalSwitchPort().getPortKey());
      case LOGICAL_ROUTER_PORT -> {
        keys.add(from.getLogicalRouterPort().getPortKey());
        keys.add(from.getLogicalRouterPort().getSwitchPortKey());
      }
      default -> { }
    }
    return keys.isEmpty() ? r : withPortKeys(r, keys);
  }

  /** Clears store-owned fields a client may have sent back (they are output only). */
  static Resource clearAllocated(Resource r) {
    return withPortKeys(withTunnelKey(r, 0), List.of(0, 0));
  }
}
