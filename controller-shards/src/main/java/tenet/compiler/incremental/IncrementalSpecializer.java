package tenet.compiler.incremental;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;
import tenet.api.v1.Encapsulation;
import tenet.api.v1.Kind;
import tenet.api.v1.Resource;
import tenet.compiler.input.ChassisViews;
import tenet.compiler.input.DatapathPlacements;
import tenet.compiler.specialize.OpenFlowRule;
import tenet.compiler.specialize.Specializer;
import tenet.store.core.Change;
import tenet.store.core.StoreState;
import tenet.store.model.ResourceKey;

/**
 * Every registered chassis' OpenFlow, kept change by change: the logical flows (a
 * {@link LogicalCompiler}), each datapath's rules (translated once, shared by every chassis whose
 * span holds the datapath), each datapath's {@link DatapathSlices}, and each chassis' span and
 * tunnels. A chassis' rules are the table defaults plus, per datapath of its span, the
 * datapath's rules and its slice. A change recomputes the datapaths it touches and the spans of
 * the chassis it names, then tells each chassis whose rules changed what changed.
 *
 * <p>Level-triggered like the logical compiler: whatever is recomputed is read from the state as
 * it is, so a missed dependency shows as a difference from {@link Specializer} on a chassis' full
 * view, which the property test checks.
 */
public final class IncrementalSpecializer {
  private final LogicalCompiler logical;
  private final List<OpenFlowRule> defaults = List.copyOf(DatapathSlices.defaults(ChassisViews.GENEVE_OFPORT));
  private final Map<ResourceKey, DatapathRules> datapathRules = new HashMap<>();
  private final Map<ResourceKey, DatapathSlices> slices = new HashMap<>();
  /** Datapaths whose slices were made anew since {@link #makeHostSlices} last made all their hosts'. */
  private final Set<ResourceKey> hostSlicesToMake = new LinkedHashSet<>();
  private final Spans spans;
  /** The encapsulations of every registered chassis. */
  private final Map<String, Set<Encapsulation>> tunnels = new HashMap<>();
  /** The distinct values of {@link #tunnels}: chassis elsewhere of one kind see a datapath alike. */
  private Set<Set<Encapsulation>> kinds = Set.of();
  /** Dependencies a test switched off; none otherwise. */
  private final Set<Dependency> ignored = java.util.EnumSet.noneOf(Dependency.class);

  private IncrementalSpecializer(LogicalCompiler logical, Spans spans) {
    this.logical = logical;
    this.spans = spans;
  }

  /** Specializes everything in {@code state} for every registered chassis: the start, or the check. */
  public static IncrementalSpecializer full(StoreState state) {
    IncrementalSpecializer s = new IncrementalSpecializer(LogicalCompiler.full(state), Spans.of(state));
    for (ResourceKey chassis : state.objects(Kind.CHASSIS, "").keySet()) {
      s.tunnels.put(chassis.name(), DatapathPlacements.encapsulations(state, chassis.name()));
    }
    s.kinds = Set.copyOf(s.tunnels.values());
    Set<Set<Encapsulation>> kinds = s.kinds;
    record Specialized(ResourceKey datapath, DatapathRules rules, DatapathSlices slices) {}
    // Datapaths specialize independently, and nothing writes the state meanwhile: use every core.
    datapaths(state).parallelStream()
        .map(dp -> {
          DatapathRules rules = DatapathRules.of(
              distinct(Specializer.datapathRules(s.logical.flows().getOrDefault(dp, List.of()))));
          return new Specialized(dp, rules, DatapathSlices.of(DatapathPlacements.from(state, dp), rules.local(), kinds));
        })
        .toList()
        .forEach(d -> {
          s.datapathRules.put(d.datapath(), d.rules());
          s.slices.put(d.datapath(), d.slices());
          s.hostSlicesToMake.add(d.datapath());
        });
    return s;
  }

  /**
   * Test hook: from now on, misses what {@code dependencies} would have found, as a bug would;
   * the property check must then fail.
   */
  IncrementalSpecializer ignoring(Set<Dependency> dependencies) {
    ignored.addAll(dependencies);
    logical.ignored.addAll(dependencies);
    return this;
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
      out.addAll(sharedRules(dp));
      out.addAll(sliceOf(dp, chassis));
    }
    return out;
  }

  /**
   * The chassis' rules as the shared lists they are made of: the table defaults, then per
   * datapath of its span the datapath's rules and the chassis' slice. No rule is in two of them.
   * The lists are immutable and replaced, never changed, as changes come: a caller may hold them
   * (to stream them to an agent) while this moves on. Empty for a chassis that is not registered.
   */
  public List<List<OpenFlowRule>> pieces(String chassis) {
    Set<ResourceKey> span = spans.of(chassis);
    if (span == null) {
      return List.of();
    }
    List<List<OpenFlowRule>> out = new ArrayList<>(1 + 2 * span.size());
    out.add(defaults);
    for (ResourceKey dp : span) {
      out.add(sharedRules(dp));
      out.add(sliceOf(dp, chassis));
    }
    return out;
  }

  public boolean isRegistered(String chassis) {
    return spans.of(chassis) != null;
  }

  /** The number of rules of every registered chassis together, as the agents hold them. */
  public long ruleCount() {
    long n = 0;
    for (String chassis : spans.chassis()) {
      n += defaults.size();
      for (ResourceKey dp : spans.of(chassis)) {
        n += sharedRules(dp).size() + sliceOf(dp, chassis).size();
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
    return apply(state, changes, chassis -> true);
  }

  /**
   * {@link #apply(StoreState, List)}, telling only the chassis {@code wanted} accepts (a
   * controller node computes every datapath, but deltas only for the agents it serves).
   */
  public Map<String, ChassisDelta> apply(StoreState state, List<Change> changes, Predicate<String> wanted) {
    Map<ResourceKey, FlowDelta> logicalDeltas = logical.apply(state, changes);
    Touched touched = Touched.by(state, changes, ignored);
    Previous previous = new Previous(new HashMap<>(), new HashMap<>(), new HashMap<>(), new HashMap<>());
    Map<ResourceKey, RuleDiff> ruleDiffs = new HashMap<>();
    Set<ResourceKey> placed = new HashSet<>(touched.placed());
    logicalDeltas.forEach((dp, delta) -> {
      DatapathRules before = datapathRules.getOrDefault(dp, DatapathRules.NONE);
      ruleDiffs.put(dp, retranslate(state, dp, delta, previous));
      // A bound VM port's own rules are in its host's slice. (Not a new port's before its
      // binding: a thousand created in one transaction would re-slice their switches for nothing.)
      Set<Integer> ports = datapathRules.getOrDefault(dp, DatapathRules.NONE).portsChangedSince(before);
      if (!ignored.contains(Dependency.PORT_RULES) && slices.getOrDefault(dp, DatapathSlices.NONE).bindsAny(ports)) {
        placed.add(dp);
      }
    });

    Set<Set<Encapsulation>> kindsBefore = kinds;
    for (String chassis : touched.chassis()) {
      Set<Encapsulation> before = tunnels.get(chassis);
      Set<Encapsulation> after = state.get(ChassisViews.chassisKey(chassis)).isPresent()
          ? DatapathPlacements.encapsulations(state, chassis) : null;
      if (!Objects.equals(before, after)) {
        previous.tunnels().put(chassis, before);
        if (after == null) {
          tunnels.remove(chassis);
        } else {
          tunnels.put(chassis, after);
        }
      }
    }
    if (!previous.tunnels().isEmpty()) {
      kinds = Set.copyOf(tunnels.values());
    }
    Set<String> respan = new HashSet<>(touched.chassis());
    touched.rewired().forEach(dp -> respan.addAll(spans.spanning(dp)));
    spans.rewire(state, touched.rewired());
    for (String chassis : touched.registrations()) {
      // Where its gateway ports are crossed: here, at its tunnel IP, or nowhere.
      spans.gatewayRouters(chassis).forEach(router -> placed.addAll(spans.component(router)));
    }
    if (!kinds.equals(kindsBefore)) {
      // The first chassis of its kind (or the last one gone): every datapath is seen differently.
      placed.addAll(datapaths(state));
    }
    for (ResourceKey dp : placed) {
      previous.slices().put(dp, slices.getOrDefault(dp, DatapathSlices.NONE));
      if (state.get(dp).isPresent()) {
        slices.put(dp, DatapathSlices.of(DatapathPlacements.from(state, dp),
            datapathRules.getOrDefault(dp, DatapathRules.NONE).local(), kinds));
        hostSlicesToMake.add(dp);
      } else {
        slices.remove(dp);
        hostSlicesToMake.remove(dp);
      }
    }

    for (String chassis : respan) {
      previous.spans().put(chassis, spans.respan(state, chassis));
    }

    Set<ResourceKey> changed = new HashSet<>(ruleDiffs.keySet());
    changed.addAll(placed);
    Set<String> affected = new TreeSet<>(respan);
    changed.forEach(dp -> affected.addAll(spans.spanning(dp)));
    Map<String, ChassisDelta> out = new TreeMap<>();
    Map<List<OpenFlowRule>, Map<List<OpenFlowRule>, RuleDiff>> sliceDiffs = new IdentityHashMap<>();
    for (String chassis : affected) {
      if (!wanted.test(chassis)) {
        continue;
      }
      ChassisDelta delta = deltaOf(chassis, changed, ruleDiffs, previous, sliceDiffs);
      if (delta.size() > 0) {
        out.put(chassis, delta);
      }
    }
    return out;
  }

  /**
   * What changed for one chassis: datapaths that entered or left its span come or go whole;
   * of the others, what changed in their rules and in its slice of them.
   */
  private ChassisDelta deltaOf(String chassis, Set<ResourceKey> changed, Map<ResourceKey, RuleDiff> ruleDiffs,
      Previous previous, Map<List<OpenFlowRule>, Map<List<OpenFlowRule>, RuleDiff>> sliceDiffs) {
    List<OpenFlowRule> added = new ArrayList<>();
    List<OpenFlowRule> removed = new ArrayList<>();
    Set<ResourceKey> was = previous.spans().containsKey(chassis) ? previous.spans().get(chassis) : spans.of(chassis);
    Set<ResourceKey> is = spans.of(chassis);
    Set<Encapsulation> spokeBefore = previous.tunnels().containsKey(chassis) ? previous.tunnels().get(chassis) : tunnels.get(chassis);
    Set<Encapsulation> speaks = tunnels.get(chassis);
    if (was == null && is != null) {
      added.addAll(defaults);
    } else if (was != null && is == null) {
      removed.addAll(defaults);
    }
    Set<ResourceKey> datapaths = new HashSet<>();
    if (spokeBefore != speaks) {
      // Other tunnels: it sees every datapath it needed or needs another way.
      datapaths.addAll(was == null ? Set.of() : was);
      datapaths.addAll(is == null ? Set.of() : is);
    } else {
      // Of the datapaths that changed, those it needed or needs; a change elsewhere is nothing to
      // it. (Walking every changed datapath for every chassis made a batch of thousands cost
      // chassis × changes.)
      addCommon(changed, was, datapaths);
      addCommon(changed, is, datapaths);
      if (was != is) {
        // Another span: the datapaths that came or went.
        addMissing(was, is, datapaths);
        addMissing(is, was, datapaths);
      }
    }
    for (ResourceKey dp : datapaths) {
      boolean needed = was != null && was.contains(dp);
      boolean needs = is != null && is.contains(dp);
      if (needed && !needs) {
        removed.addAll(previous.rules().containsKey(dp) ? previous.rules().get(dp) : sharedRules(dp));
      } else if (needs && !needed) {
        added.addAll(sharedRules(dp));
      } else if (needs && ruleDiffs.containsKey(dp)) {
        ruleDiffs.get(dp).into(added, removed);
      }
      List<OpenFlowRule> o = needed
          ? (previous.slices().containsKey(dp) ? previous.slices().get(dp) : slices.getOrDefault(dp, DatapathSlices.NONE))
              .of(chassis, spokeBefore)
          : List.of();
      List<OpenFlowRule> n = needs ? sliceOf(dp, chassis) : List.of();
      if (o != n) {
        // Chassis that see a datapath the same way share its slice, so one diff serves them all.
        sliceDiffs.computeIfAbsent(o, k -> new IdentityHashMap<>()).computeIfAbsent(n, k -> RuleDiff.between(o, n))
            .into(added, removed);
      }
    }
    return withoutOverlap(added, removed);
  }

  /** Adds to {@code out} what is in both {@code a} and {@code b} (null: nothing), walking the smaller. */
  private static void addCommon(Set<ResourceKey> a, Set<ResourceKey> b, Set<ResourceKey> out) {
    if (b == null) {
      return;
    }
    Set<ResourceKey> small = a.size() <= b.size() ? a : b;
    Set<ResourceKey> large = small == a ? b : a;
    for (ResourceKey dp : small) {
      if (large.contains(dp)) {
        out.add(dp);
      }
    }
  }

  /** Adds to {@code out} what is in {@code from} and not in {@code other} (null: nothing). */
  private static void addMissing(Set<ResourceKey> from, Set<ResourceKey> other, Set<ResourceKey> out) {
    if (from != null) {
      for (ResourceKey dp : from) {
        if (other == null || !other.contains(dp)) {
          out.add(dp);
        }
      }
    }
  }

  /**
   * The datapath's rules after its logical delta (a logical flow's rule does not depend on the
   * others); returns how its shared rules changed.
   */
  private RuleDiff retranslate(StoreState state, ResourceKey dp, FlowDelta delta, Previous previous) {
    DatapathRules was = datapathRules.getOrDefault(dp, DatapathRules.NONE);
    List<OpenFlowRule> before = was.all();
    Set<OpenFlowRule> gone = new HashSet<>(Specializer.datapathRules(delta.removed()));
    List<OpenFlowRule> after = new ArrayList<>(before.size() + delta.added().size());
    for (OpenFlowRule r : before) {
      if (!gone.contains(r)) {
        after.add(r);
      }
    }
    after.addAll(Specializer.datapathRules(delta.added()));
    after.sort(null);
    DatapathRules now = DatapathRules.of(distinct(after));
    previous.rules().put(dp, was.shared());
    if (state.get(dp).isPresent()) {
      datapathRules.put(dp, now);
    } else {
      datapathRules.remove(dp);
    }
    return RuleDiff.between(was.shared(), now.shared());
  }

  private List<OpenFlowRule> sharedRules(ResourceKey dp) {
    return datapathRules.getOrDefault(dp, DatapathRules.NONE).shared();
  }

  /**
   * Makes up to {@code max} host slices not asked for yet (DatapathSlices: a node makes a host's
   * slice when it first sends that chassis a set); returns how many it made, 0 once all are.
   * For idle time: the chassis a node does not serve get their slices ready, so that taking over
   * a dead node's agents costs their deltas, not their slices.
   */
  public int makeHostSlices(int max) {
    int made = 0;
    var it = hostSlicesToMake.iterator();
    while (it.hasNext() && made < max) {
      DatapathSlices s = slices.get(it.next());
      if (s != null) {
        made += s.makeHostSlices(max - made);
      }
      if (s == null || s.allHostSlicesMade()) {
        it.remove();
      }
    }
    return made;
  }

  private List<OpenFlowRule> sliceOf(ResourceKey dp, String chassis) {
    return slices.getOrDefault(dp, DatapathSlices.NONE).of(chassis, tunnels.get(chassis));
  }

  private static List<ResourceKey> datapaths(StoreState state) {
    return Stream.of(Kind.LOGICAL_SWITCH, Kind.LOGICAL_ROUTER)
        .flatMap(kind -> state.objects(kind, "").keySet().stream()).toList();
  }

  /**
   * A chassis holds a set of rules. The same flow can come twice out of a pipeline (two routers
   * on one switch with the same address answer the same ARP), and once is what OVS holds.
   */
  private static List<OpenFlowRule> distinct(List<OpenFlowRule> sorted) {
    return sorted.stream().distinct().toList();
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

  /** What a change can alter besides logical flows; {@code registrations}: chassis that changed themselves. */
  private record Touched(Set<ResourceKey> placed, Set<ResourceKey> rewired, Set<String> chassis,
      Set<String> registrations) {
    static Touched by(StoreState state, List<Change> changes, Set<Dependency> ignored) {
      Touched t = new Touched(new HashSet<>(), new HashSet<>(), new HashSet<>(), new HashSet<>());
      for (Change change : changes) {
        boolean placesNothing = unboundNewPort(state, change);
        for (Resource version : Stream.of(change.before(), change.after()).filter(Objects::nonNull).toList()) {
          ChassisViews.Touch touch = ChassisViews.touchedBy(state, change.key(), version);
          if (!placesNothing) {
            t.placed.addAll(touch.datapaths());
          }
          t.chassis.addAll(touch.chassis());
          switch (change.key().kind()) {
            // Its tunnel address and encapsulations are in the placement of every switch with a port bound to it.
            case CHASSIS -> {
              if (!ignored.contains(Dependency.CHASSIS_TUNNELS)) {
                t.placed.addAll(switchesBoundTo(state, change.key().name()));
              }
              t.registrations.add(change.key().name());
            }
            // Router ports join datapaths into the components spans are made of, and name gateways.
            case LOGICAL_ROUTER_PORT, LOGICAL_SWITCH, LOGICAL_ROUTER -> t.rewired.addAll(touch.datapaths());
            default -> { }
          }
        }
      }
      return t;
    }

    /**
     * A switch port created without a binding: a switch's placement holds its bound ports only
     * (DatapathPlacements), so its slices stay as they are; its binding, when it comes, places it.
     * (A thousand such ports in one transaction re-sliced their switches for every chassis.)
     */
    private static boolean unboundNewPort(StoreState state, Change change) {
      return change.key().kind() == Kind.LOGICAL_SWITCH_PORT && change.before() == null
          && state.get(new ResourceKey(Kind.PORT_BINDING, change.key().tenant(), change.key().name())).isEmpty();
    }

    private static Set<ResourceKey> switchesBoundTo(StoreState state, String chassis) {
      Set<ResourceKey> out = new HashSet<>();
      for (ResourceKey b : state.referrers(ChassisViews.chassisKey(chassis))) {
        if (b.kind() == Kind.PORT_BINDING) {
          state.get(new ResourceKey(Kind.LOGICAL_SWITCH_PORT, b.tenant(), b.name())).ifPresent(p ->
              out.add(new ResourceKey(Kind.LOGICAL_SWITCH, b.tenant(), p.getLogicalSwitchPort().getLogicalSwitch())));
        }
      }
      return out;
    }
  }

  /** Rules, slices, spans and tunnels as they were before the changes, where the changes replaced them. */
  private record Previous(Map<ResourceKey, List<OpenFlowRule>> rules, Map<ResourceKey, DatapathSlices> slices,
      Map<String, Set<ResourceKey>> spans, Map<String, Set<Encapsulation>> tunnels) {}

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
