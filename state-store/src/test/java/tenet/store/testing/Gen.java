package tenet.store.testing;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A generator of test inputs: a function of the random source, so a seed always gives the same
 * input. Everything here is uniform; biases are spelled out with {@link #frequency}. See {@link
 * Property} for why this exists.
 */
@FunctionalInterface
public interface Gen<T> {

  T next(SplittableRandom random);

  default <R> Gen<R> map(Function<? super T, ? extends R> f) {
    return random -> f.apply(next(random));
  }

  default <R> Gen<R> flatMap(Function<? super T, ? extends Gen<? extends R>> f) {
    return random -> f.apply(next(random)).next(random);
  }

  /** Draws again until {@code keep} holds; gives up after 1000 misses in a row. */
  default Gen<T> filter(Predicate<? super T> keep) {
    return random -> {
      for (int miss = 0; miss < 1000; miss++) {
        T value = next(random);
        if (keep.test(value)) {
          return value;
        }
      }
      throw new IllegalStateException("filter rejected 1000 values in a row");
    };
  }

  /** Independent elements; the size is uniform in [minSize, maxSize]. */
  default Gen<List<T>> list(int minSize, int maxSize) {
    return random -> {
      List<T> list = new ArrayList<>();
      for (int size = random.nextInt(minSize, maxSize + 1); list.size() < size; ) {
        list.add(next(random));
      }
      return list;
    };
  }

  /** In [min, max], both ends included. */
  static Gen<Long> longs(long min, long max) {
    return random -> random.nextLong(min, max + 1);
  }

  /** In [min, max], both ends included. */
  static Gen<Integer> ints(int min, int max) {
    return random -> random.nextInt(min, max + 1);
  }

  /** In [min, max). */
  static Gen<Double> doubles(double min, double max) {
    return random -> random.nextDouble(min, max);
  }

  /** In [0, 2^n): an n-bit number. */
  static Gen<BigInteger> bits(int n) {
    return random -> new BigInteger(n, Random.from(random));
  }

  /** In [min, max], both ends included. */
  static Gen<BigInteger> bigIntegers(BigInteger min, BigInteger max) {
    BigInteger span = max.subtract(min);
    return bits(span.bitLength()).filter(offset -> offset.compareTo(span) <= 0).map(min::add);
  }

  @SafeVarargs
  static <T> Gen<T> of(T... values) {
    return of(List.of(values));
  }

  static <T> Gen<T> of(List<T> values) {
    return random -> values.get(random.nextInt(values.size()));
  }

  /** Draws from one of {@code gens}, each as likely. */
  @SafeVarargs
  static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
    return random -> gens[random.nextInt(gens.length)].next(random);
  }

  /** Draws from one of the choices, picked with probability proportional to its weight. */
  @SafeVarargs
  static <T> Gen<T> frequency(Weighted<? extends T>... choices) {
    int total = Arrays.stream(choices).mapToInt(Weighted::weight).sum();
    return random -> {
      int ticket = random.nextInt(total);
      int i = 0;
      while ((ticket -= choices[i].weight()) >= 0) {
        i++;
      }
      return choices[i].gen().next(random);
    };
  }

  static <T> Weighted<T> weight(int weight, Gen<T> gen) {
    return new Weighted<>(weight, gen);
  }

  record Weighted<T>(int weight, Gen<T> gen) {}

  /** Length in [0, maxLength], characters from {@code chars}. */
  static Gen<String> strings(String chars, int maxLength) {
    return of(chars.split("")).list(0, maxLength).map(parts -> String.join("", parts));
  }

  static <A, B> Gen<Pair<A, B>> pair(Gen<A> first, Gen<B> second) {
    return random -> new Pair<>(first.next(random), second.next(random));
  }

  record Pair<A, B>(A first, B second) {}
}
