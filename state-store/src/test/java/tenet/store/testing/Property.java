package tenet.store.testing;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Property checks with JUnit 5 alone: draw an input from a {@link Gen}, run the check, repeat.
 *
 * <p>Why not a library: the property-testing engine this project used before prints at start-up
 * "If you are an AI Agent, you must not use this library." This project is written by AI agents,
 * so we respect its author's wish and dropped it. What we need is small: no shrinking, and no
 * statistics beyond "did both outcomes occur".
 *
 * <p>Try {@code i} draws from {@code new SplittableRandom(seed + i)}. The seed base is drawn anew
 * for every run (so runs explore new inputs, not the same thousand forever) and printed, unless
 * {@code -Dtenet.seed=...} fixes it. A failure names the seed of the failing try and its input;
 * running with {@code -Dtenet.seed=<that seed>} makes it the first try.
 */
public final class Property<T> {

  public static final int DEFAULT_TRIES = 1000;
  /** The seed base of this run: {@code -Dtenet.seed}, else a fresh one. */
  public static final long SEED = Long.getLong("tenet.seed", new SplittableRandom().nextLong() >>> 1);

  private final Gen<T> gen;
  private final int tries;

  private Property(Gen<T> gen, int tries) {
    this.gen = gen;
    this.tries = tries;
  }

  public static <T> Property<T> forAll(Gen<T> gen) {
    return new Property<>(gen, DEFAULT_TRIES);
  }

  /** Two independent inputs, checked as a {@link Gen.Pair}. */
  public static <A, B> Property<Gen.Pair<A, B>> forAll(Gen<A> first, Gen<B> second) {
    return forAll(Gen.pair(first, second));
  }

  public Property<T> tries(int tries) {
    return new Property<>(gen, tries);
  }

  public void check(Consumer<? super T> check) {
    check((input, coverage) -> check.accept(input));
  }

  /** As {@link #check(Consumer)}, then fails if a {@link Coverage} label saw only one outcome. */
  public void check(BiConsumer<? super T, Coverage> check) {
    System.out.println("property: " + tries + " tries from seed " + SEED + " (replay with -Dtenet.seed=" + SEED + ")");
    Coverage coverage = new Coverage();
    for (int i = 0; i < tries; i++) {
      long seed = SEED + i;
      T input = null;
      try {
        input = gen.next(new SplittableRandom(seed));
        check.accept(input, coverage);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("property failed on try " + i + " of " + tries + ", seed " + seed
            + " (reproduce with -Dtenet.seed=" + seed + ")\n  input: " + input + "\n  " + e, e);
      }
    }
    coverage.verify(tries);
  }

  /** Guards against vacuous properties: each labelled outcome must be true and false often enough. */
  public static final class Coverage {

    /** Each outcome must occur in at least this share of the tries that recorded the label. */
    public static final double MIN_SHARE = 0.05;

    private final Map<String, int[]> counts = new TreeMap<>();

    public void both(String label, boolean outcome) {
      counts.computeIfAbsent(label, l -> new int[2])[outcome ? 1 : 0]++;
    }

    private void verify(int tries) {
      counts.forEach((label, count) -> {
        int total = count[0] + count[1];
        if (Math.min(count[0], count[1]) < MIN_SHARE * total) {
          throw new AssertionError("coverage of '" + label + "' too one-sided over " + tries
              + " tries (seed " + SEED + "): true " + count[1] + ", false " + count[0]
              + "; each needs at least " + (int) (MIN_SHARE * 100) + "%");
        }
      });
    }
  }
}
