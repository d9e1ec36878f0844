package tenet.compiler.incremental;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.List;
import org.junit.jupiter.api.Test;
import tenet.compiler.oracle.ChangeLog;
import tenet.compiler.oracle.Oracle;
import tenet.compiler.oracle.RandomChanges;
import tenet.store.testing.Property;

/**
 * OVN's CHECK_NO_CHANGE_AFTER_RECOMPUTE as a property, against an oracle that shares no
 * placement code with the engine: random histories ({@link RandomChanges}: several operations a
 * transaction over two tenants, security groups, NAT, static routes, gateway ports, bindings
 * moving, chassis coming, going and changing tunnels); after every committed step each chassis'
 * rules, as the incremental specializer keeps them and as its deltas built them up, equal
 * {@link Oracle}'s rule for rule ({@link OracleCheck}). The seed base is new every run and
 * printed; replay one with -Dtenet.seed=N, run longer with -Dtenet.oracle.tries=N.
 */
class IncrementalSpecializerTest {
  private static final int STEPS = 150;
  private static final int TRIES = Integer.getInteger("tenet.oracle.tries", 30);

  @Test
  void everyChassisHoldsWhatTheOracleDerivesAfterEveryStep() {
    OracleCheck.Tally tally = new OracleCheck.Tally();
    Property.forAll(ChangeLog.histories()).tries(TRIES).check(log ->
        OracleCheck.firstMismatch(log, STEPS, engine -> engine, tally).ifPresent(mismatch -> fail(mismatch)));

    System.out.printf("oracle: %d steps committed, %d refused, %d chassis deltas; changes %s%n",
        tally.committed, tally.refused, tally.deltas, tally.changes);
    // The generator must reach what the engine depends on, or the property proves little.
    assertThat(tally.committed).as("committed steps").isGreaterThan(TRIES * STEPS / 2);
    assertThat(tally.refused).as("refused steps").isPositive();
    assertThat(tally.deltas).as("chassis deltas").isGreaterThan(TRIES * STEPS / 2);
    assertThat(tally.hostSlicesMadeAhead).as("host slices made before asked for").isPositive();
    for (String kind : List.of("LOGICAL_SWITCH", "LOGICAL_SWITCH_PORT", "PORT_BINDING", "LOGICAL_ROUTER",
        "LOGICAL_ROUTER_PORT", "STATIC_ROUTE", "NAT_RULE", "SECURITY_GROUP", "CHASSIS")) {
      for (String what : List.of(" created", " deleted")) {
        assertThat(tally.changes.getOrDefault(kind + what, 0)).as(kind + what).isGreaterThan(TRIES);
      }
      if (!kind.equals("LOGICAL_ROUTER")) { // a router has nothing to update
        assertThat(tally.changes.getOrDefault(kind + " updated", 0)).as(kind + " updated").isGreaterThan(TRIES);
      }
    }
  }
}
