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
  /** The span of every registered chassis (and of no other). */
  private final Map<String, Set<ResourceKey>> spans = new HashMap<>();
  private final Map<ResourceKey, Set<String>> spannedBy = new HashMap<>();

  private IncrementalSpecializer(LogicalCompiler logical) {
    this.logical = logical;
  }

  /** Specializes everything in {@code state} for every registered chassis: the start, or the check. */
  public static IncrementalSpecializer full(StoreState state) {
    IncrementalSpecializer s = new IncrementalSpecializer(LogicalCompiler.full(state));
    Stream.of(Kind.LOGICAL_SWITCH, Kind.LOGICAL_ROUTER).flatMap(kind -> state.objects(kind, "").keySet().stream())
        .forEach(dp -> {
          s.datapathRules.put(dp, s.translated(dp));
          s.slices.put(dp, DatapathSlices.of(DatapathPlacements.from(state, dp)));
        });
    for (ResourceKey chassis : state.objects(Kind.CHASSIS, "").keySet()) {
      s.respan(state, chassis.name());
    }
    return s;
  }

  public LogicalCompiler logical() {
    return logical;
  }

  /** The chassis' rules as they are now; empty for a chassis that is not registered. */
  public Set<OpenFlowRule> rules(String chassis) {
    Set<ResourceKey> span = spans.get(chassis);
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
    for (Map.Entry<String, Set<ResourceKey>> e : spans.entrySet()) {
      n += defaults.size();
      for (ResourceKey dp : e.getValue()) {
        n += datapathRules.getOrDefault(dp, List.of()).size() + slices.getOrDefault(dp, DatapathSlices.NONE).of(e.getKey()).size();
      }
    }
    return n;
  }

  public Set<String> chassis() {
    return java.util.Collections.unmodifiableSet(spans.keySet());
  }

  /**
   * Applies committed changes ({@code state} is the state after them); returns, for every
   * chassis whose rules changed, what changed.
   */
  public Map<String, ChassisDelta> apply(StoreState state, List<Change> changes) {
    Map<ResourceKey, FlowDelta> logicalDeltas = logical.apply(state, changes);
    Set<ResourceKey> placed = new TreeSet<>();
    Set<String> respan = new TreeSet<>();
    for (Change change : changes) {
      for (Resource version : Stream.of(change.before(), change.after()).filter(Objects::nonNull).toList()) {
        ChassisViews.Touch touch = ChassisViews.touchedBy(state, change.key(), version);
        placed.addAll(touch.datapaths());
        respan.addAll(touch.chassis());
        switch (change.key().kind()) {
          // Its tunnel address is in the placement of every switch with a port bound to it.
          case CHASSIS -> placed.addAll(switchesBoundTo(state, change.key().name()));
          // A patch added or removed joins or splits the spans through it.
          case LOGICAL_ROUTER_PORT -> touch.datapaths().forEach(dp -> respan.addAll(spannedBy.getOrDefault(dp, Set.of())));
          default -> { }
        }
      }
    }

    Map<ResourceKey, List<OpenFlowRule>> rulesBefore = new HashMap<>();
    Map<ResourceKey, RuleDiff> ruleDiffs = new HashMap<>();
    for (ResourceKey dp : logicalDeltas.keySet()) {
      List<OpenFlowRule> before = datapathRules.getOrDefault(dp, List.of());
      List<OpenFlowRule> after = translated(dp);
      rulesBefore.put(dp, before);
      ruleDiffs.put(dp, RuleDiff.between(before, after));
      if (state.get(dp).isPresent()) {
        datapathRules.put(dp, after);
      } else {
        datapathRules.remove(dp);
      }
    }
    Map<ResourceKey, DatapathSlices> slicesBefore = new HashMap<>();
    for (ResourceKey dp : placed) {
      slicesBefore.put(dp, slices.getOrDefault(dp, DatapathSlices.NONE));
      if (state.get(dp).isPresent()) {
        slices.put(dp, DatapathSlices.of(DatapathPlacements.from(state, dp)));
      } else {
        slices.remove(dp);
      }
    }
    Map<String, Set<ResourceKey>> spansBefore = new HashMap<>();
    for (String chassis : respan) {
      spansBefore.put(chassis, spans.get(chassis));
      respan(state, chassis);
    }

    Set<ResourceKey> changed = new HashSet<>(ruleDiffs.keySet());
    changed.addAll(slicesBefore.keySet());
    Set<String> affected = new TreeSet<>(respan);
    changed.forEach(dp -> affected.addAll(spannedBy.getOrDefault(dp, Set.of())));

    Map<String, ChassisDelta> out = new TreeMap<>();
    // Chassis that see a datapath the same way share its slice, so one diff serves them all.
    Map<List<OpenFlowRule>, Map<List<OpenFlowRule>, RuleDiff>> sliceDiffs = new IdentityHashMap<>();
    for (String chassis : affected) {
      Set<ResourceKey> before = spansBefore.containsKey(chassis) ? spansBefore.get(chassis) : spans.get(chassis);
      Set<ResourceKey> after = spans.get(chassis);
      List<OpenFlowRule> added = new ArrayList<>();
      List<OpenFlowRule> removed = new ArrayList<>();
      if (before == null && after != null) {
        added.addAll(defaults);
      } else if (before != null && after == null) {
        removed.addAll(defaults);
      }
      Set<ResourceKey> was = before == null ? Set.of() : before;
      Set<ResourceKey> is = after == null ? Set.of() : after;
      if (was != is) {
        for (ResourceKey dp : was) {
          if (!is.contains(dp)) {
            removed.addAll(rulesBefore.containsKey(dp) ? rulesBefore.get(dp) : datapathRules.getOrDefault(dp, List.of()));
            removed.addAll((slicesBefore.containsKey(dp) ? slicesBefore.get(dp) : slices.getOrDefault(dp, DatapathSlices.NONE)).of(chassis));
          }
        }
        for (ResourceKey dp : is) {
          if (!was.contains(dp)) {
            added.addAll(datapathRules.getOrDefault(dp, List.of()));
            added.addAll(slices.getOrDefault(dp, DatapathSlices.NONE).of(chassis));
          }
        }
      }
      for (ResourceKey dp : changed) {
        if (!was.contains(dp) || !is.contains(dp)) {
          continue;
        }
        RuleDiff rules = ruleDiffs.get(dp);
        if (rules != null) {
          rules.into(added, removed);
        }
        DatapathSlices old = slicesBefore.get(dp);
        if (old != null) {
          List<OpenFlowRule> o = old.of(chassis);
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

  private List<OpenFlowRule> translated(ResourceKey datapath) {
    return Specializer.datapathRules(logical.flows().getOrDefault(datapath, List.of()));
  }

  private void respan(StoreState state, String chassis) {
    Set<ResourceKey> before = spans.remove(chassis);
    Set<ResourceKey> after = state.get(ChassisViews.chassisKey(chassis)).isPresent() ? ChassisViews.span(state, chassis) : null;
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
      after.forEach(dp -> spannedBy.computeIfAbsent(dp, k -> new HashSet<>()).add(chassis));
    }
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
