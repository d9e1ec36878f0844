package tenet.compiler.incremental;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tenet.api.v1.Kind;
import tenet.api.v1.Resource;
import tenet.compiler.input.RouterConfigs;
import tenet.compiler.input.SwitchConfigs;
import tenet.compiler.logical.LogicalFlow;
import tenet.compiler.pipeline.DatapathConfig;
import tenet.store.core.Change;
import tenet.store.core.StoreState;
import tenet.store.model.References;
import tenet.store.model.ResourceKey;

/**
 * Keeps every datapath's logical flows and, for each committed change, recomputes only the
 * datapaths the change can affect, then reports what differs. Level-triggered: a datapath is
 * recomputed from the state as it is, never patched from the change itself, so a missed
 * dependency shows as a difference from a full recompute (which the property test checks).
 */
public final class LogicalCompiler {
  private final Map<ResourceKey, List<LogicalFlow>> flows = new TreeMap<>();
  private final Map<ResourceKey, DatapathConfig> configs = new TreeMap<>();
  /** Dependencies a test switched off; none otherwise. */
  final Set<Dependency> ignored = java.util.EnumSet.noneOf(Dependency.class);

  /** Compiles everything in {@code state}: the start, or the check. */
  public static LogicalCompiler full(StoreState state) {
    LogicalCompiler c = new LogicalCompiler();
    for (ResourceKey key : state.objects().keySet()) {
      if (isDatapath(key)) {
        c.recompute(state, key);
      }
    }
    return c;
  }

  public Map<ResourceKey, List<LogicalFlow>> flows() {
    return java.util.Collections.unmodifiableMap(flows);
  }

  /** Applies committed changes ({@code state} is the state after them); returns per-datapath deltas. */
  public Map<ResourceKey, FlowDelta> apply(StoreState state, List<Change> changes) {
    Set<ResourceKey> affected = new LinkedHashSet<>();
    for (Change change : changes) {
      for (Resource version : versions(change)) {
        affected.addAll(affectedBy(state, change.key(), version, ignored));
      }
    }
    Map<ResourceKey, FlowDelta> deltas = new TreeMap<>();
    for (ResourceKey datapath : affected) {
      List<LogicalFlow> before = flows.getOrDefault(datapath, List.of());
      recompute(state, datapath);
      List<LogicalFlow> after = flows.getOrDefault(datapath, List.of());
      FlowDelta delta = diff(before, after);
      if (!delta.isEmpty()) {
        deltas.put(datapath, delta);
      }
    }
    return deltas;
  }

  private void recompute(StoreState state, ResourceKey datapath) {
    if (state.get(datapath).isEmpty()) {
      flows.remove(datapath);
      configs.remove(datapath);
      return;
    }
    DatapathConfig config = configOf(state, datapath);
    if (config.equals(configs.get(datapath))) {
      return; // same input, same flows
    }
    configs.put(datapath, config);
    flows.put(datapath, config.compile());
  }

  /** The input of an existing datapath's flows. */
  public static DatapathConfig configOf(StoreState state, ResourceKey datapath) {
    return datapath.kind() == Kind.LOGICAL_SWITCH
        ? SwitchConfigs.from(state, datapath) : RouterConfigs.from(state, datapath);
  }

  private static FlowDelta diff(List<LogicalFlow> before, List<LogicalFlow> after) {
    Set<LogicalFlow> old = new HashSet<>(before);
    Set<LogicalFlow> now = new HashSet<>(after);
    return new FlowDelta(after.stream().filter(f -> !old.contains(f)).toList(),
        before.stream().filter(f -> !now.contains(f)).toList());
  }

  private static List<Resource> versions(Change change) {
    return java.util.stream.Stream.of(change.before(), change.after()).filter(java.util.Objects::nonNull).toList();
  }

  /**
   * The datapaths whose inputs include {@code object} (in this version of it): the switch or
   * router it is or belongs to, the routers that read a switch's ports as neighbours, and, for
   * what security groups select or name, every switch of the tenant.
   */
  public static Set<ResourceKey> affectedBy(StoreState state, ResourceKey key, Resource version) {
    return affectedBy(state, key, version, Set.of());
  }

  private static Set<ResourceKey> affectedBy(StoreState state, ResourceKey key, Resource version,
      Set<Dependency> ignored) {
    Set<ResourceKey> out = new LinkedHashSet<>();
    switch (key.kind()) {
      case LOGICAL_SWITCH -> {
        out.add(key);
        routersOn(state, key, out);
      }
      case LOGICAL_ROUTER -> out.add(key);
      case LOGICAL_SWITCH_PORT -> {
        ResourceKey sw = new ResourceKey(Kind.LOGICAL_SWITCH, key.tenant(), version.getLogicalSwitchPort().getLogicalSwitch());
        out.add(sw);
        if (!ignored.contains(Dependency.ROUTER_NEIGHBOURS)) {
          routersOn(state, sw, out);
        }
        // Its labels and addresses may be what another port's security group names as remote.
        if (!ignored.contains(Dependency.REMOTE_SELECTORS) && hasRemoteSelectors(state, key.tenant())) {
          tenantSwitches(state, key.tenant(), out);
        }
      }
      case LOGICAL_ROUTER_PORT -> {
        var p = version.getLogicalRouterPort();
        ResourceKey sw = new ResourceKey(Kind.LOGICAL_SWITCH, key.tenant(), p.getLogicalSwitch());
        out.add(new ResourceKey(Kind.LOGICAL_ROUTER, key.tenant(), p.getLogicalRouter()));
        out.add(sw);
        routersOn(state, sw, out);
      }
      case STATIC_ROUTE, NAT_RULE -> References.of(version).stream()
          .map(References.Reference::target).filter(t -> t.kind() == Kind.LOGICAL_ROUTER).forEach(out::add);
      case SECURITY_GROUP -> tenantSwitches(state, key.tenant(), out);
      default -> { }
    }
    return out;
  }

  private static void routersOn(StoreState state, ResourceKey sw, Set<ResourceKey> out) {
    for (ResourceKey k : state.referrers(sw)) {
      if (k.kind() == Kind.LOGICAL_ROUTER_PORT) {
        state.get(k).ifPresent(r -> out.add(
            new ResourceKey(Kind.LOGICAL_ROUTER, k.tenant(), r.getLogicalRouterPort().getLogicalRouter())));
      }
    }
  }

  private static void tenantSwitches(StoreState state, String tenant, Set<ResourceKey> out) {
    out.addAll(state.objects(Kind.LOGICAL_SWITCH, tenant).keySet());
  }

  private static boolean hasRemoteSelectors(StoreState state, String tenant) {
    return state.objects(Kind.SECURITY_GROUP, tenant).values().stream()
        .flatMap(r -> r.getSecurityGroup().getRulesList().stream())
        .anyMatch(rule -> !rule.getRemoteSelector().getExpression().isEmpty());
  }

  public static boolean isDatapath(ResourceKey key) {
    return key.kind() == Kind.LOGICAL_SWITCH || key.kind() == Kind.LOGICAL_ROUTER;
  }
}
