package tenet.compiler.incremental;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import tenet.api.v1.Kind;
import tenet.compiler.input.ChassisViews;
import tenet.compiler.logical.LogicalFlow;
import tenet.compiler.oracle.ChangeLog;
import tenet.compiler.oracle.Oracle;
import tenet.compiler.oracle.RandomChanges;
import tenet.compiler.oracle.RuleDiff;
import tenet.compiler.specialize.OpenFlowRule;
import tenet.compiler.specialize.Specializer;
import tenet.store.core.Change;
import tenet.store.core.StoreState;

/**
 * Runs the incremental engine along a history and compares it with the {@link Oracle} after
 * every committed step, rule by rule, for every chassis the history names (registered or not):
 * the engine's rules, the rules its deltas built up from the start (what an agent holds), and
 * {@link ChassisViews} with {@link Specializer} (the compiler's own full path). A delta may not
 * remove what the chassis does not hold, nor add what it holds.
 */
final class OracleCheck {
  static final List<String> CHASSIS = names();

  /** What the runs exercised, so that a test can tell a vacuous generator. */
  static final class Tally {
    int committed;
    int refused;
    int deltas;
    /** Host slices the engine made before a chassis asked (IncrementalSpecializer.makeHostSlices). */
    int hostSlicesMadeAhead;
    final Map<String, Integer> changes = new TreeMap<>();
  }

  private OracleCheck() {}

  /**
   * The first difference within {@code steps} steps of {@code log}, described with the steps
   * that caused it; empty when there is none. A third of the time the engine gets the changes
   * of several commits at once, as a feed that fell behind hands them over. {@code tweak} may
   * change the engine before the first step (a test cripples it to see the check fail).
   */
  static Optional<String> firstMismatch(ChangeLog log, int steps, UnaryOperator<IncrementalSpecializer> tweak,
      Tally tally) {
    IncrementalSpecializer engine = tweak.apply(IncrementalSpecializer.full(log.state()));
    Map<String, Set<OpenFlowRule>> held = new TreeMap<>();
    for (String chassis : CHASSIS) {
      held.put(chassis, new HashSet<>(engine.rules(chassis)));
    }
    Optional<String> start = compare(log.state(), engine, held);
    if (start.isPresent()) {
      return Optional.of(log + ", at the start: " + start.get());
    }
    SplittableRandom batching = new SplittableRandom(log.seed() ^ 0x5eed);
    List<Change> pending = new ArrayList<>();
    List<ChangeLog.Step> batch = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      ChangeLog.Step step = log.next();
      if (!step.committed()) {
        tally.refused++;
        continue;
      }
      tally.committed++;
      step.changes().forEach(c -> tally.changes.merge(c.key().kind() + (c.before() == null ? " created"
          : c.after() == null ? " deleted" : " updated"), 1, Integer::sum));
      pending.addAll(step.changes());
      batch.add(step);
      if (i < steps - 1 && batching.nextInt(3) == 0) {
        continue; // more commits before the engine hears of them
      }
      Map<String, ChassisDelta> deltas = engine.apply(log.state(), List.copyOf(pending));
      tally.deltas += deltas.size();
      // As a node's compiler does when idle: some hosts' slices made before anyone asks for them.
      tally.hostSlicesMadeAhead += engine.makeHostSlices(batching.nextInt(4) * 8);
      Optional<String> wrong = applyDeltas(deltas, held);
      if (wrong.isEmpty()) {
        wrong = compare(log.state(), engine, held);
      }
      if (wrong.isPresent()) {
        StringBuilder b = new StringBuilder(log.toString()).append(", after");
        batch.forEach(s -> b.append(' ').append(s));
        return Optional.of(b.append("\n  ").append(wrong.get()).toString());
      }
      pending.clear();
      batch.clear();
    }
    return Optional.empty();
  }

  private static Optional<String> applyDeltas(Map<String, ChassisDelta> deltas, Map<String, Set<OpenFlowRule>> held) {
    for (Map.Entry<String, ChassisDelta> e : deltas.entrySet()) {
      Set<OpenFlowRule> rules = held.computeIfAbsent(e.getKey(), k -> new HashSet<>());
      ChassisDelta d = e.getValue();
      if (!Collections.disjoint(d.added(), d.removed())) {
        return Optional.of(e.getKey() + "'s delta adds and removes one rule");
      }
      for (OpenFlowRule r : d.removed()) {
        if (!rules.remove(r)) {
          return Optional.of(e.getKey() + "'s delta removes a rule it does not hold: " + r);
        }
      }
      for (OpenFlowRule r : d.added()) {
        if (!rules.add(r)) {
          return Optional.of(e.getKey() + "'s delta adds a rule it holds: " + r);
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> compare(StoreState state, IncrementalSpecializer engine,
      Map<String, Set<OpenFlowRule>> held) {
    Oracle oracle = Oracle.of(state);
    long total = 0;
    for (String chassis : CHASSIS) {
      Set<OpenFlowRule> expected = oracle.rules(chassis);
      total += expected.size();
      for (var actual : List.of(
          Map.entry("the engine", engine.rules(chassis)),
          Map.entry("its deltas", held.getOrDefault(chassis, Set.of())),
          Map.entry("ChassisViews", viewsPath(state, oracle, chassis)))) {
        RuleDiff diff = RuleDiff.between(expected, actual.getValue());
        if (!diff.isEmpty()) {
          return Optional.of(chassis + ": " + actual.getKey() + " differs from the oracle: " + diff);
        }
      }
    }
    Set<String> registered = new TreeSet<>();
    state.objects(Kind.CHASSIS, "").keySet().forEach(k -> registered.add(k.name()));
    if (!new TreeSet<>(engine.chassis()).equals(registered)) {
      return Optional.of("the engine knows chassis " + new TreeSet<>(engine.chassis()) + ", not " + registered);
    }
    if (engine.ruleCount() != total) {
      return Optional.of("the engine counts " + engine.ruleCount() + " rules, the oracle " + total);
    }
    return Optional.empty();
  }

  /** The compiler's own full path: the view from ChassisViews, the span's logical flows. */
  private static Set<OpenFlowRule> viewsPath(StoreState state, Oracle oracle, String chassis) {
    return ChassisViews.from(state, chassis).map(view -> {
      List<LogicalFlow> flows = new ArrayList<>();
      ChassisViews.span(state, chassis).forEach(dp -> flows.addAll(oracle.logicalFlows(dp)));
      return Set.copyOf(Specializer.specialize(flows, view));
    }).orElse(Set.of());
  }

  private static List<String> names() {
    List<String> out = new ArrayList<>(RandomChanges.CHASSIS);
    out.add(RandomChanges.NEVER_REGISTERED);
    return List.copyOf(out);
  }
}
