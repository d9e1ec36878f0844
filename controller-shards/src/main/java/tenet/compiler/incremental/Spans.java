package tenet.compiler.incremental;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import tenet.api.v1.Kind;
import tenet.api.v1.LogicalRouterPort;
import tenet.compiler.input.ChassisViews;
import tenet.store.core.StoreState;
import tenet.store.model.ResourceKey;

/**
 * Every registered chassis' span, as {@link ChassisViews#span} defines it, kept for all chassis at
 * once: routers join datapaths into components (a tenant's router and the switches on it), and a
 * chassis' span is the union of the components of the switches its ports are bound on and of the
 * routers it is the gateway of. Walking the router ports once per component, not once per
 * chassis, is what makes a span cheap to recompute when a binding changes.
 */
final class Spans {
  /** Every existing datapath's component; the datapaths of one component share one set. */
  private final Map<ResourceKey, Set<ResourceKey>> components = new HashMap<>();
  private final Map<String, Set<ResourceKey>> spans = new HashMap<>();
  private final Map<ResourceKey, Set<String>> spannedBy = new HashMap<>();
  // gateway_chassis names a chassis without referring to it (the chassis may come later), so
  // the store keeps no index of it: this is one.
  private final Map<ResourceKey, String> gatewayOf = new HashMap<>();
  private final Map<String, Set<ResourceKey>> gatewayRouters = new HashMap<>();

  static Spans of(StoreState state) {
    Spans s = new Spans();
    for (Kind kind : new Kind[] {Kind.LOGICAL_SWITCH, Kind.LOGICAL_ROUTER}) {
      for (ResourceKey dp : state.objects(kind, "").keySet()) {
        if (!s.components.containsKey(dp)) {
          s.walk(state, dp);
        }
      }
    }
    for (ResourceKey router : state.objects(Kind.LOGICAL_ROUTER, "").keySet()) {
      s.regateway(state, router);
    }
    for (ResourceKey chassis : state.objects(Kind.CHASSIS, "").keySet()) {
      s.respan(state, chassis.name());
    }
    return s;
  }

  /** The chassis' span; null when it is not registered. */
  Set<ResourceKey> of(String chassis) {
    return spans.get(chassis);
  }

  Set<String> chassis() {
    return Collections.unmodifiableSet(spans.keySet());
  }

  /** The datapaths joined with {@code datapath} (itself included), as the state was at the last rewire. */
  Set<ResourceKey> component(ResourceKey datapath) {
    return components.getOrDefault(datapath, Set.of());
  }

  /** The routers {@code chassis} is the gateway of. */
  Set<ResourceKey> gatewayRouters(String chassis) {
    return gatewayRouters.getOrDefault(chassis, Set.of());
  }

  /** The chassis whose span holds {@code datapath}. */
  Set<String> spanning(ResourceKey datapath) {
    return spannedBy.getOrDefault(datapath, Set.of());
  }

  /**
   * Router ports, switches or routers around {@code datapaths} came or went: recomputes their
   * components (and so those of everything they were joined with). Spans are not touched: respan
   * the chassis that spanned them.
   */
  void rewire(StoreState state, Collection<ResourceKey> datapaths) {
    Set<ResourceKey> members = new HashSet<>(datapaths);
    for (ResourceKey dp : datapaths) {
      members.addAll(components.getOrDefault(dp, Set.of()));
    }
    members.forEach(components::remove);
    for (ResourceKey dp : members) {
      if (!components.containsKey(dp) && state.get(dp).isPresent()) {
        walk(state, dp);
      }
    }
    for (ResourceKey dp : datapaths) {
      if (dp.kind() == Kind.LOGICAL_ROUTER) {
        regateway(state, dp);
      }
    }
  }

  /** Which chassis is the router's gateway now, if any. */
  private void regateway(StoreState state, ResourceKey router) {
    String before = gatewayOf.remove(router);
    if (before != null) {
      Set<ResourceKey> routers = gatewayRouters.get(before);
      routers.remove(router);
      if (routers.isEmpty()) {
        gatewayRouters.remove(before);
      }
    }
    for (ResourceKey k : state.referrers(router)) {
      if (k.kind() == Kind.LOGICAL_ROUTER_PORT) {
        String chassis = state.get(k).orElseThrow().getLogicalRouterPort().getGatewayChassis();
        if (!chassis.isEmpty()) {
          gatewayOf.put(router, chassis);
          gatewayRouters.computeIfAbsent(chassis, c -> new HashSet<>()).add(router);
          return; // one gateway port a router, at most
        }
      }
    }
  }

  /** Recomputes the chassis' span from its bindings; returns the span before (null: it was not registered). */
  Set<ResourceKey> respan(StoreState state, String chassis) {
    Set<ResourceKey> before = spans.remove(chassis);
    Set<ResourceKey> after = state.get(ChassisViews.chassisKey(chassis)).isPresent() ? span(state, chassis) : null;
    if (before != null) {
      for (ResourceKey dp : before) {
        if (after == null || !after.contains(dp)) {
          Set<String> by = spannedBy.get(dp);
          by.remove(chassis);
          if (by.isEmpty()) {
            spannedBy.remove(dp);
          }
        }
      }
    }
    if (after != null) {
      spans.put(chassis, after);
      for (ResourceKey dp : after) {
        if (before == null || !before.contains(dp)) {
          spannedBy.computeIfAbsent(dp, k -> new HashSet<>()).add(chassis);
        }
      }
    }
    return before;
  }

  private Set<ResourceKey> span(StoreState state, String chassis) {
    Set<ResourceKey> out = new HashSet<>();
    Set<Set<ResourceKey>> added = Collections.newSetFromMap(new IdentityHashMap<>());
    for (ResourceKey b : state.referrers(ChassisViews.chassisKey(chassis))) {
      if (b.kind() == Kind.PORT_BINDING) {
        state.get(new ResourceKey(Kind.LOGICAL_SWITCH_PORT, b.tenant(), b.name())).ifPresent(p -> {
          Set<ResourceKey> component = components.get(
              new ResourceKey(Kind.LOGICAL_SWITCH, b.tenant(), p.getLogicalSwitchPort().getLogicalSwitch()));
          if (component != null && added.add(component)) {
            out.addAll(component);
          }
        });
      }
    }
    for (ResourceKey router : gatewayRouters(chassis)) {
      Set<ResourceKey> component = components.get(router);
      if (component != null && added.add(component)) {
        out.addAll(component);
      }
    }
    return out;
  }

  /** Through router ports from {@code start}: switch to router, router to switch, to the end. */
  private void walk(StoreState state, ResourceKey start) {
    Set<ResourceKey> component = new HashSet<>();
    Deque<ResourceKey> todo = new ArrayDeque<>();
    todo.add(start);
    while (!todo.isEmpty()) {
      ResourceKey dp = todo.poll();
      if (!component.add(dp)) {
        continue;
      }
      for (ResourceKey k : state.referrers(dp)) {
        if (k.kind() == Kind.LOGICAL_ROUTER_PORT) {
          LogicalRouterPort p = state.get(k).orElseThrow().getLogicalRouterPort();
          todo.add(dp.kind() == Kind.LOGICAL_SWITCH
              ? new ResourceKey(Kind.LOGICAL_ROUTER, k.tenant(), p.getLogicalRouter())
              : new ResourceKey(Kind.LOGICAL_SWITCH, k.tenant(), p.getLogicalSwitch()));
        }
      }
    }
    Set<ResourceKey> shared = Collections.unmodifiableSet(component);
    component.forEach(dp -> components.put(dp, shared));
  }
}
