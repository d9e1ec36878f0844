package tenet.compiler.incremental;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import tenet.api.v1.Kind;
import tenet.api.v1.Resource;
import tenet.compiler.input.ChassisViews;
import tenet.compiler.input.DatapathPlacements;
import tenet.compiler.specialize.DatapathSlices;
import tenet.compiler.specialize.OpenFlowRule;
import tenet.compiler.specialize.Specializer;
import tenet.store.core.Change;
import tenet.store.core.StoreState;
import tenet.store.model.ResourceKey;

/**
 * Every registered chassis' OpenFlow, kept change by change: the logical flows (a
 * {@link LogicalCompiler}), each datapath's rules (translated once, shared by every chassis whose
 * span holds the datapath), each datapath's {@link DatapathSlices}, and each chassis' span. A
 * chassis' rules are the table defaults plus, per datapath of its span, the datapath's rules and
 * its slice. A change recomputes the datapaths it touches and the spans of the chassis it names,
 * then tells each chassis whose rules changed what changed.
 *
 * <p>Level-triggered like the logical compiler: whatever is recomputed is read from the state as
 * it is, so a missed dependency shows as a difference from {@link Specializer} on a chassis' full
 * view, which the property test checks.
 */
public final class IncrementalSpecializer {
  private final LogicalCompiler logical;
  private final List<OpenFlowRule> defaults = DatapathSlices.defaults(ChassisViews.GENEVE_OFPORT);
  private final Map<ResourceKey, List<OpenFlowRule>> datapathRules = new HashMap<>();
  private final Map<ResourceKey, DatapathSlices> slices = new HashMap<>();
  private final Spans spans;

  private IncrementalSpecializer(LogicalCompiler logical, Spans spans) {
    this.logical = logical;
    this.spans = spans;
  }

  /** Specializes everything in {@code state} for every registered chassis: the start, or the check. */
  public static IncrementalSpecializer full(StoreState state) {
    IncrementalSpecializer s = new IncrementalSpecializer(LogicalCompiler.full(state), Spans.of(state));
    record Specialized(ResourceKey datapath, List<OpenFlowRule> rules, DatapathSlices slices) {}
    // Datapaths specialize independently, and nothing writes the state meanwhile: use every core.
    List<ResourceKey> datapaths = Stream.of(Kind.LOGICAL_SWITCH, Kind.LOGICAL_ROUTER)
        .flatMap(kind -> state.objects(kind, "").keySet().stream()).toList();
    datapaths.parallelStream()
        .map(dp -> new Specialized(dp, distinct(Specializer.datapathRules(s.logical.flows().getOrDefault(dp, List.of()))),
            DatapathSlices.of(DatapathPlacements.from(state, dp))))
        .toList()
        .forEach(d -> {
          s.datapathRules.put(d.datapath(), d.rules());
          s.slices.put(d.datapath(), d.slices());
        });
    return s;
  }

  public LogicalCompiler logical() {
    return logical;
  }

  /** The chassis' rules as they are now; empty for a chassis that is not registered. */
  public Set<OpenFlowRule> rules(String chassis) {
    Set<ResourceKey> span = spans.of(chassis);
    if (span == null) {
      return Set.of();
    }
    Set<OpenFlowRule> out = new HashSet<>(defaults);
    for (ResourceKey dp : span) {
      out.addAll(datapathRules.getOrDefault(dp, List.of()));
      out.addAll(slices.getOrDefault(dp, DatapathSlices.NONE).of(chassis));
    }
    return out;
  }

  /** The number of rules of every registered chassis together, as the agents hold them. */
  public long ruleCount() {
    long n = 0;
    for (String chassis : spans.chassis()) {
      n += defaults.size();
      for (ResourceKey dp : spans.of(chassis)) {
        n += datapathRules.getOrDefault(dp, List.of()).size() + slices.getOrDefault(dp, DatapathSlices.NONE).of(chassis).size();
      }
    }
    return n;
  }

  public Set<String> chassis() {
    return spans.chassis();
  }

  /**
   * Applies committed changes ({@code state} is the state after them); returns, for every
   * chassis whose rules changed, what changed.
   */
  public Map<String, ChassisDelta> apply(StoreState state, List<Change> changes) {
    Map<ResourceKey, FlowDelta> logicalDeltas = logical.apply(state, changes);
    Touched touched = Touched.by(state, changes);
    Previous previous = new Previous(new HashMap<>(), new HashMap<>(), new HashMap<>());
    Map<ResourceKey, RuleDiff> ruleDiffs = new HashMap<>();
    logicalDeltas.forEach((dp, delta) -> ruleDiffs.put(dp, retranslate(state, dp, delta, previous)));
    for (ResourceKey dp : touched.placed()) {
      previous.slices().put(dp, slices.getOrDefault(dp, DatapathSlices.NONE));
      if (state.get(dp).isPresent()) {
        slices.put(dp, DatapathSlices.of(DatapathPlacements.from(state, dp)));
      } else {
        slices.remove(dp);
      }
    }
    Set<String> respan = new HashSet<>(touched.chassis());
    touched.rewired().forEach(dp -> respan.addAll(spans.spanning(dp)));
    spans.rewire(state, touched.rewired());
    for (String chassis : respan) {
      previous.spans().put(chassis, spans.respan(state, chassis));
    }

    Set<ResourceKey> changed = new HashSet<>(ruleDiffs.keySet());
    changed.addAll(previous.slices().keySet());
    Set<String> affected = new TreeSet<>(respan);
    changed.forEach(dp -> affected.addAll(spans.spanning(dp)));
    Map<String, ChassisDelta> out = new TreeMap<>();
    // Chassis that see a datapath the same way share its slice, so one diff serves them all.
    Map<List<OpenFlowRule>, Map<List<OpenFlowRule>, RuleDiff>> sliceDiffs = new IdentityHashMap<>();
    for (String chassis : affected) {
      List<OpenFlowRule> added = new ArrayList<>();
      List<OpenFlowRule> removed = new ArrayList<>();
      Set<ResourceKey> was = previous.spans().containsKey(chassis) ? previous.spans().get(chassis) : spans.of(chassis);
      Set<ResourceKey> is = spans.of(chassis);
      if (was != is) {
        respanned(chassis, was, is, previous, added, removed);
      }
      for (ResourceKey dp : changed) {
        if (was == null || is == null || !was.contains(dp) || !is.contains(dp)) {
          continue; // not needed before or after: respanned() took it in or out whole
        }
        RuleDiff rules = ruleDiffs.get(dp);
        if (rules != null) {
          rules.into(added, removed);
        }
        if (previous.slices().containsKey(dp)) {
          List<OpenFlowRule> o = previous.sliceOf(dp, this).of(chassis);
          List<OpenFlowRule> n = slices.getOrDefault(dp, DatapathSlices.NONE).of(chassis);
          if (o != n) {
            sliceDiffs.computeIfAbsent(o, k -> new IdentityHashMap<>()).computeIfAbsent(n, k -> RuleDiff.between(o, n))
                .into(added, removed);
          }
        }
      }
      if (!added.isEmpty() || !removed.isEmpty()) {
        out.put(chassis, withoutOverlap(added, removed));
      }
    }
    return out;
  }

  /** The datapath's rules after its logical delta; a logical flow's rule does not depend on the others. */
  private RuleDiff retranslate(StoreState state, ResourceKey dp, FlowDelta delta, Previous previous) {
    List<OpenFlowRule> before = datapathRules.getOrDefault(dp, List.of());
    Set<OpenFlowRule> gone = new HashSet<>(Specializer.datapathRules(delta.removed()));
    List<OpenFlowRule> after = new ArrayList<>(before.size() + delta.added().size());
    for (OpenFlowRule r : before) {
      if (!gone.contains(r)) {
        after.add(r);
      }
    }
    after.addAll(Specializer.datapathRules(delta.added()));
    after.sort(null);
    after = distinct(after);
    previous.rules().put(dp, before);
    if (state.get(dp).isPresent()) {
      datapathRules.put(dp, after);
    } else {
      datapathRules.remove(dp);
    }
    return RuleDiff.between(before, after);
  }

  /** The chassis' span went from {@code was} to {@code is} (null: not registered): whole datapaths come and go. */
  private void respanned(String chassis, Set<ResourceKey> was, Set<ResourceKey> is, Previous previous,
      List<OpenFlowRule> added, List<OpenFlowRule> removed) {
    if (was == null && is != null) {
      added.addAll(defaults);
    } else if (was != null && is == null) {
      removed.addAll(defaults);
    }
    for (ResourceKey dp : was == null ? Set.<ResourceKey>of() : was) {
      if (is == null || !is.contains(dp)) {
        removed.addAll(previous.rulesOf(dp, this));
        removed.addAll(previous.sliceOf(dp, this).of(chassis));
      }
    }
    for (ResourceKey dp : is == null ? Set.<ResourceKey>of() : is) {
      if (was == null || !was.contains(dp)) {
        added.addAll(datapathRules.getOrDefault(dp, List.of()));
        added.addAll(slices.getOrDefault(dp, DatapathSlices.NONE).of(chassis));
      }
    }
  }

  /** What a change can alter besides logical flows. */
  private record Touched(Set<ResourceKey> placed, Set<ResourceKey> rewired, Set<String> chassis) {
    static Touched by(StoreState state, List<Change> changes) {
      Touched t = new Touched(new HashSet<>(), new HashSet<>(), new HashSet<>());
      for (Change change : changes) {
        for (Resource version : Stream.of(change.before(), change.after()).filter(Objects::nonNull).toList()) {
          ChassisViews.Touch touch = ChassisViews.touchedBy(state, change.key(), version);
          t.placed.addAll(touch.datapaths());
          t.chassis.addAll(touch.chassis());
          switch (change.key().kind()) {
            // Its tunnel address is in the placement of every switch with a port bound to it.
            case CHASSIS -> t.placed.addAll(switchesBoundTo(state, change.key().name()));
            // Router ports join datapaths into the components spans are made of.
            case LOGICAL_ROUTER_PORT, LOGICAL_SWITCH, LOGICAL_ROUTER -> t.rewired.addAll(touch.datapaths());
            default -> { }
          }
        }
      }
      return t;
    }
  }

  /** Rules, slices and spans as they were before the changes, for what the changes replaced. */
  private record Previous(Map<ResourceKey, List<OpenFlowRule>> rules, Map<ResourceKey, DatapathSlices> slices,
      Map<String, Set<ResourceKey>> spans) {
    List<OpenFlowRule> rulesOf(ResourceKey dp, IncrementalSpecializer now) {
      return rules.containsKey(dp) ? rules.get(dp) : now.datapathRules.getOrDefault(dp, List.of());
    }

    DatapathSlices sliceOf(ResourceKey dp, IncrementalSpecializer now) {
      return slices.containsKey(dp) ? slices.get(dp) : now.slices.getOrDefault(dp, DatapathSlices.NONE);
    }
  }

  /**
   * A chassis holds a set of rules. The same flow can come twice out of a pipeline (two routers
   * on one switch with the same address answer the same ARP), and once is what OVS holds.
   */
  private static List<OpenFlowRule> distinct(List<OpenFlowRule> sorted) {
    return sorted.stream().distinct().toList();
  }

  private static Set<ResourceKey> switchesBoundTo(StoreState state, String chassis) {
    Set<ResourceKey> out = new TreeSet<>();
    for (ResourceKey b : state.referrers(ChassisViews.chassisKey(chassis))) {
      if (b.kind() == Kind.PORT_BINDING) {
        state.get(new ResourceKey(Kind.LOGICAL_SWITCH_PORT, b.tenant(), b.name())).ifPresent(p ->
            out.add(new ResourceKey(Kind.LOGICAL_SWITCH, b.tenant(), p.getLogicalSwitchPort().getLogicalSwitch())));
      }
    }
    return out;
  }

  /**
   * A tunnel key freed and taken again in one transaction can make a rule leave with one
   * datapath and come back with another: it stays.
   */
  private static ChassisDelta withoutOverlap(List<OpenFlowRule> added, List<OpenFlowRule> removed) {
    if (added.isEmpty() || removed.isEmpty()) {
      return new ChassisDelta(added, removed);
    }
    Set<OpenFlowRule> gone = new HashSet<>(removed);
    Set<OpenFlowRule> come = new HashSet<>(added);
    return new ChassisDelta(added.stream().filter(r -> !gone.contains(r)).toList(),
        removed.stream().filter(r -> !come.contains(r)).toList());
  }

  private record RuleDiff(List<OpenFlowRule> added, List<OpenFlowRule> removed) {
    static RuleDiff between(List<OpenFlowRule> before, List<OpenFlowRule> after) {
      Set<OpenFlowRule> old = new HashSet<>(before);
      Set<OpenFlowRule> now = new HashSet<>(after);
      return new RuleDiff(after.stream().filter(r -> !old.contains(r)).toList(),
          before.stream().filter(r -> !now.contains(r)).toList());
    }

    void into(List<OpenFlowRule> added, List<OpenFlowRule> removed) {
      added.addAll(this.added);
      removed.addAll(this.removed);
    }
  }
}
