package tenet.compiler.oracle;

import java.util.List;
import java.util.SplittableRandom;
import tenet.api.v1.TxnRequest;
import tenet.compiler.Topologies;
import tenet.store.core.Change;
import tenet.store.core.Plan;
import tenet.store.core.StoreState;
import tenet.store.testing.Gen;

/**
 * A store's random history, one step at a time: from {@link RandomChanges#start()}, each step
 * draws a transaction ({@link RandomChanges#next}) and commits it as the store does (its own
 * {@code TxnPlanner}, then {@code StoreState.commit}), or not, when the store refuses it. One
 * seed, one history: feed each step's changes to what is under test, then compare with
 * {@link Oracle} on {@link #state()}.
 */
public final class ChangeLog {
  private final long seed;
  private final SplittableRandom random;
  private final StoreState state = RandomChanges.start();
  private int steps;

  public ChangeLog(long seed) {
    this.seed = seed;
    this.random = new SplittableRandom(seed);
  }

  /** Histories for {@code tenet.store.testing.Property}: each try's seed gives its own. */
  public static Gen<ChangeLog> histories() {
    return random -> new ChangeLog(random.nextLong());
  }

  public long seed() {
    return seed;
  }

  /** The state after the steps so far: the state under test must be read from this one. */
  public StoreState state() {
    return state;
  }

  /** Draws the next transaction and commits it if the store accepts it. */
  public Step next() {
    int index = steps++;
    TxnRequest txn = RandomChanges.next(state, random);
    return new Step(index, txn, Topologies.commit(state, txn, "s" + index));
  }

  /** One transaction and what it committed: {@code plan} is null when the store refused it. */
  public record Step(int index, TxnRequest txn, Plan plan) {
    public boolean committed() {
      return plan != null;
    }

    /** The committed changes, as the store's watchers get them; none when refused. */
    public List<Change> changes() {
      return plan == null ? List.of() : plan.changes();
    }

    @Override
    public String toString() {
      StringBuilder b = new StringBuilder("step ").append(index).append(committed() ? ", committed:" : ", refused:");
      txn.getOpsList().forEach(op -> b.append("\n    ").append(shortText(op)));
      return b.toString();
    }

    private static String shortText(tenet.api.v1.TxnOp op) {
      return com.google.protobuf.TextFormat.printer().emittingSingleLine(true).printToString(op);
    }
  }

  @Override
  public String toString() {
    return "history of seed " + seed + " (new ChangeLog(" + seed + "L)), " + steps + " steps drawn";
  }
}
