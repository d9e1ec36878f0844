package tenet.compiler.incremental;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tenet.compiler.oracle.ChangeLog;
import tenet.store.testing.Property;

/**
 * The oracle can fail: with one of the engine's dependency rules switched off, as a bug would
 * drop it, {@link IncrementalSpecializerTest}'s check reports a difference within a few short
 * histories.
 */
class MissedDependencyTest {
  // Over 20 histories each missed dependency showed within 13-192 steps (median about 60).
  private static final int STEPS = 150;
  private static final int HISTORIES = 6;

  @ParameterizedTest
  @EnumSource(Dependency.class)
  void theCheckFailsWhenTheEngineMissesADependency(Dependency missed) {
    OracleCheck.Tally tally = new OracleCheck.Tally();
    assertThatThrownBy(() -> Property.forAll(ChangeLog.histories()).tries(HISTORIES).check(log ->
        OracleCheck.firstMismatch(log, STEPS, engine -> engine.ignoring(Set.of(missed)), tally)
            .ifPresent(mismatch -> fail(mismatch))))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("property failed").hasMessageContaining(", after step ");
  }
}
