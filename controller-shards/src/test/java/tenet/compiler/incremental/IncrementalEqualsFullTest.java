package tenet.compiler.incremental;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tenet.compiler.logical.LogicalFlow;
import tenet.compiler.oracle.ChangeLog;
import tenet.store.core.StoreState;
import tenet.store.model.ResourceKey;
import tenet.store.testing.Property;

/**
 * OVN's CHECK_NO_CHANGE_AFTER_RECOMPUTE for the logical flows: along random histories
 * ({@link ChangeLog}), after every committed step the incremental compiler's flows equal a full
 * recompute, and the deltas it reported turn the previous flows into the new ones. The seed base
 * is new every run and printed; replay one with -Dtenet.seed=N.
 */
class IncrementalEqualsFullTest {
  private static final int STEPS = 150;

  @Test
  void incrementalEqualsFullRecomputeAfterEveryStep() {
    int[] seen = new int[2];
    Property.forAll(ChangeLog.histories()).tries(20).check(log -> {
      LogicalCompiler incremental = LogicalCompiler.full(log.state());
      Map<ResourceKey, Set<LogicalFlow>> replica = copy(incremental.flows());
      for (int i = 0; i < STEPS; i++) {
        ChangeLog.Step step = log.next();
        if (!step.committed()) {
          continue;
        }
        seen[0]++;
        Map<ResourceKey, FlowDelta> deltas = incremental.apply(log.state(), step.changes());
        seen[1] += deltas.size();
        deltas.forEach((dp, d) -> {
          Set<LogicalFlow> set = replica.computeIfAbsent(dp, k -> new HashSet<>());
          set.removeAll(d.removed());
          set.addAll(d.added());
          if (set.isEmpty()) {
            replica.remove(dp);
          }
        });
        StoreState state = log.state();
        Map<ResourceKey, List<LogicalFlow>> full = LogicalCompiler.full(state).flows();
        assertThat(incremental.flows()).as("incremental == full, %s after %s", log, step).isEqualTo(full);
        assertThat(replica).as("deltas applied == full, %s after %s", log, step).isEqualTo(copy(full));
      }
    });
    assertThat(seen[0]).as("committed steps").isGreaterThan(1000);
    assertThat(seen[1]).as("deltas reported").isGreaterThan(1000);
  }

  private static Map<ResourceKey, Set<LogicalFlow>> copy(Map<ResourceKey, List<LogicalFlow>> flows) {
    Map<ResourceKey, Set<LogicalFlow>> out = new TreeMap<>();
    flows.forEach((k, v) -> out.put(k, new HashSet<>(v)));
    return out;
  }
}
