package tenet.store.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tenet.store.testing.Gen;
import tenet.store.testing.Property;

/**
 * Selectors are generated as a plain model, written out in randomly varied syntax (spacing, "="
 * or "==", order), then parsed; the model is evaluated directly as the oracle for matching.
 */
class LabelSelectorPropertyTest {

  // Small pools, so generated labels and selectors talk about the same keys and values.
  private static final List<String> KEYS = List.of("app", "tier", "env", "example.com/role", "in", "notin", "a.b_c-D");
  private static final List<String> VALUES = List.of("web", "db", "in", "notin", "v1.2", "A_b-C", "x");

  enum Op { EQUALS, DOUBLE_EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, DOES_NOT_EXIST }

  /** One requirement as the oracle sees it, plus the whitespace to write it with. */
  record Term(Op op, String key, List<String> values, List<String> spaces) {

    boolean matches(Map<String, String> labels) {
      boolean present = labels.containsKey(key);
      String actual = labels.get(key);
      return switch (op) {
        case EQUALS, DOUBLE_EQUALS -> present && actual.equals(values.get(0));
        case NOT_EQUALS -> !present || !actual.equals(values.get(0));
        case IN -> present && values.contains(actual);
        case NOT_IN -> !present || !values.contains(actual);
        case EXISTS -> present;
        case DOES_NOT_EXIST -> !present;
      };
    }

    String write() {
      String s0 = spaces.get(0);
      String s1 = spaces.get(1);
      String s2 = spaces.get(2);
      return switch (op) {
        case EQUALS -> s0 + key + s1 + "=" + s2 + values.get(0);
        case DOUBLE_EQUALS -> s0 + key + s1 + "==" + s2 + values.get(0);
        case NOT_EQUALS -> s0 + key + s1 + "!=" + s2 + values.get(0);
        case IN -> s0 + key + " " + "in" + s1 + "(" + list() + ")" + s2;
        case NOT_IN -> s0 + key + " \t" + "notin" + s1 + "(" + s2 + list() + ")";
        case EXISTS -> s0 + key + s1;
        case DOES_NOT_EXIST -> s0 + "!" + s1 + key + s2;
      };
    }

    private String list() {
      return values.stream().collect(Collectors.joining(spaces.get(1) + "," + spaces.get(2)));
    }
  }

  @Test
  void matchesAgreesWithTheModel() {
    Property.forAll(SELECTORS, LABELS).check((pair, coverage) -> {
      List<Term> terms = pair.first();
      Map<String, String> labels = pair.second();
      LabelSelector selector = LabelSelector.parse(write(terms));
      boolean expected = terms.stream().allMatch(term -> term.matches(labels));

      assertThat(selector.matches(labels)).isEqualTo(expected);
      coverage.both("matches", expected);
    });
  }

  @Test
  void canonicalTextParsesBackToAnEqualSelector() {
    Property.forAll(SELECTORS).check(terms -> {
      LabelSelector selector = LabelSelector.parse(write(terms));

      assertThat(LabelSelector.parse(selector.toString())).isEqualTo(selector);
      assertThat(LabelSelector.parse(selector.toString())).hasToString(selector.toString());
    });
  }

  @Test
  void termOrderDoesNotMatter() {
    Property.forAll(SELECTORS).check(terms -> {
      List<Term> reversed = terms.reversed();

      assertThat(LabelSelector.parse(write(reversed))).isEqualTo(LabelSelector.parse(write(terms)));
    });
  }

  @Test
  void arbitraryTextIsAcceptedOrRefusedWithIllegalArgument() {
    Property.forAll(SELECTOR_LIKE_TEXT).check(text -> {
      LabelSelector selector;
      try {
        selector = LabelSelector.parse(text);
      } catch (IllegalArgumentException e) {
        assertThat(e.getMessage()).isNotBlank();
        return;
      }
      assertThat(LabelSelector.parse(selector.toString())).isEqualTo(selector);
    });
  }

  private static String write(List<Term> terms) {
    return terms.stream().map(Term::write).collect(Collectors.joining(","));
  }

  // ---- Generators

  /** A value, or the empty string half the time. */
  private static final Gen<String> VALUE = Gen.oneOf(Gen.of(VALUES), Gen.of(""));

  private static final Gen<Term> TERM = random -> {
    Op op = Gen.of(Op.values()).next(random);
    String key = Gen.of(KEYS).next(random);
    List<String> values = switch (op) {
      case IN, NOT_IN -> distinct(VALUES, 1, 3).next(random);
      default -> List.of(VALUE.next(random));
    };
    List<String> spaces = Gen.of("", "", "", " ", "  ", "\t").list(3, 3).next(random);
    return new Term(op, key, values, spaces);
  };

  private static final Gen<List<Term>> SELECTORS = TERM.list(0, 5);

  private static final Gen<Map<String, String>> LABELS = random -> {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String key : distinct(KEYS, 0, KEYS.size()).next(random)) {
      labels.put(key, VALUE.next(random));
    }
    return labels;
  };

  private static final Gen<String> SELECTOR_LIKE_TEXT = Gen.oneOf(
      Gen.of("app", "in", "notin", "=", "==", "!=", "!", ",", "(", ")", " ", "web", "-x", "a/b", "example.com/",
              "<", "\t")
          .list(0, 12).map(tokens -> String.join("", tokens)),
      Gen.strings("ab=!,() /.-_in", 25));

  /** Between minSize and maxSize different elements of the pool, in random order. */
  private static Gen<List<String>> distinct(List<String> pool, int minSize, int maxSize) {
    return random -> {
      List<String> shuffled = new ArrayList<>(pool);
      Collections.shuffle(shuffled, random);
      return List.copyOf(shuffled.subList(0, random.nextInt(minSize, maxSize + 1)));
    };
  }
}
