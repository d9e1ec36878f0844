package tenet.compiler.oracle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tenet.api.v1.Kind;
import tenet.compiler.incremental.LogicalCompiler;
import tenet.compiler.logical.LogicalFlow;
import tenet.compiler.specialize.OpenFlowRule;
import tenet.compiler.specialize.Specializer;
import tenet.store.core.StoreState;
import tenet.store.model.ResourceKey;

/**
 * What every chassis' OpenFlow must be, recomputed from nothing: the chassis' view from
 * {@link NaiveChassisView}, the logical flows of its span compiled afresh from each datapath's
 * configuration, and {@link Specializer} on the two. Whatever keeps chassis' rules (the
 * incremental engine, the controllers' path to the agents) must hold exactly this set after
 * every commit.
 */
public final class Oracle {
  private final StoreState state;
  /** Each datapath's logical flows, compiled once for all the chassis asked about. */
  private final Map<ResourceKey, List<LogicalFlow>> flows = new HashMap<>();

  private Oracle(StoreState state) {
    this.state = state;
  }

  /**
   * The oracle of one state, which must not change while it is used: ask it about several
   * chassis, and each datapath is compiled once.
   */
  public static Oracle of(StoreState state) {
    return new Oracle(state);
  }

  /** The rules {@code chassis} must hold in {@code state}; none when it is not registered. */
  public static Set<OpenFlowRule> rules(StoreState state, String chassis) {
    return of(state).rules(chassis);
  }

  /** The rules of every registered chassis, by name. */
  public static Map<String, Set<OpenFlowRule>> everyChassis(StoreState state) {
    Oracle oracle = of(state);
    Map<String, Set<OpenFlowRule>> out = new TreeMap<>();
    for (ResourceKey chassis : state.objects(Kind.CHASSIS, "").keySet()) {
      out.put(chassis.name(), oracle.rules(chassis.name()));
    }
    return out;
  }

  /** The rules {@code chassis} must hold; none when it is not registered. */
  public Set<OpenFlowRule> rules(String chassis) {
    return NaiveChassisView.of(state, chassis).map(view -> {
      List<LogicalFlow> logical = new ArrayList<>();
      for (ResourceKey dp : view.span()) {
        logical.addAll(logicalFlows(dp));
      }
      return Set.copyOf(Specializer.specialize(logical, view.view()));
    }).orElse(Set.of());
  }

  /** The logical flows of an existing switch or router, compiled from its configuration alone. */
  public List<LogicalFlow> logicalFlows(ResourceKey datapath) {
    return flows.computeIfAbsent(datapath, dp -> LogicalCompiler.configOf(state, dp).compile());
  }
}
