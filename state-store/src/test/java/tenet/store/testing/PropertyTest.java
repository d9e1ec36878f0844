package tenet.store.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The runner itself: a property that checks nothing, or cannot fail, would pass silently. */
class PropertyTest {

  @Test
  void runsTheCheckOncePerTry() {
    int[] runs = {0, 0};
    Property.forAll(Gen.ints(0, 9)).check(v -> runs[0]++);
    Property.forAll(Gen.ints(0, 9)).tries(300).check(v -> runs[1]++);

    assertThat(runs).containsExactly(Property.DEFAULT_TRIES, 300);
  }

  @Test
  void aFailureNamesTheSeedThatReproducesItsInput() {
    Gen<Long> gen = Gen.longs(0, 1_000_000);

    Throwable failure = catchThrowable(() ->
        Property.forAll(gen).check(v -> assertThat(v).isLessThan(900_000)));

    assertThat(failure).isInstanceOf(AssertionError.class).hasMessageContaining("on try ")
        .hasCauseInstanceOf(AssertionError.class);
    Matcher m = Pattern.compile("seed (-?\\d+) \\(reproduce with -Dtenet.seed=\\1\\)\\n  input: (\\d+)")
        .matcher(failure.getMessage());
    assertThat(m.find()).as(failure.getMessage()).isTrue();
    long seed = Long.parseLong(m.group(1));
    assertThat(gen.next(new SplittableRandom(seed))).isEqualTo(Long.parseLong(m.group(2)));
  }

  @Test
  void anUnexpectedExceptionFailsTheProperty() {
    assertThatThrownBy(() -> Property.forAll(Gen.of("x")).check(s -> Integer.parseInt(s)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("input: x")
        .hasCauseInstanceOf(NumberFormatException.class);
  }

  @Test
  void coverageFailsWhenAnOutcomeIsRare() {
    Gen<Integer> percent = Gen.ints(0, 99);

    Property.forAll(percent).check((v, coverage) -> coverage.both("small", v < 10));
    assertThatThrownBy(() -> Property.forAll(percent).check((v, coverage) -> coverage.both("tiny", v < 1)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("coverage of 'tiny'");
  }

  @Test
  void rangesIncludeBothEnds() {
    Set<Object> seen = new HashSet<>();
    Gen<Object> all = Gen.oneOf(
        Gen.longs(-2, 2), Gen.ints(5, 7), Gen.bigIntegers(BigInteger.TEN, BigInteger.valueOf(12)));
    Property.forAll(all).check(v -> seen.add(v));

    assertThat(seen).containsExactlyInAnyOrder(-2L, -1L, 0L, 1L, 2L, 5, 6, 7,
        BigInteger.TEN, BigInteger.valueOf(11), BigInteger.valueOf(12));
  }
}
