package tenet.store.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

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

  @Property
  void matchesAgreesWithTheModel(@ForAll("selectors") List<Term> terms, @ForAll("labels") Map<String, String> labels) {
    LabelSelector selector = LabelSelector.parse(write(terms));
    boolean expected = terms.stream().allMatch(term -> term.matches(labels));

    assertThat(selector.matches(labels)).isEqualTo(expected);
    AddressPropertyTest.coverBoth("matches", expected);
  }

  @Property
  void canonicalTextParsesBackToAnEqualSelector(@ForAll("selectors") List<Term> terms) {
    LabelSelector selector = LabelSelector.parse(write(terms));

    assertThat(LabelSelector.parse(selector.toString())).isEqualTo(selector);
    assertThat(LabelSelector.parse(selector.toString())).hasToString(selector.toString());
  }

  @Property
  void termOrderDoesNotMatter(@ForAll("selectors") List<Term> terms) {
    List<Term> reversed = terms.reversed();

    assertThat(LabelSelector.parse(write(reversed))).isEqualTo(LabelSelector.parse(write(terms)));
  }

  @Property
  void arbitraryTextIsAcceptedOrRefusedWithIllegalArgument(@ForAll("selectorLikeText") String text) {
    LabelSelector selector;
    try {
      selector = LabelSelector.parse(text);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    assertThat(LabelSelector.parse(selector.toString())).isEqualTo(selector);
  }

  private static String write(List<Term> terms) {
    return terms.stream().map(Term::write).collect(Collectors.joining(","));
  }

  @Provide
  Arbitrary<List<Term>> selectors() {
    Arbitrary<String> space = Arbitraries.of("", "", "", " ", "  ", "\t");
    Arbitrary<Term> term = Combinators.combine(
            Arbitraries.of(Op.class),
            Arbitraries.of(KEYS),
            Arbitraries.of(VALUES).set().ofMinSize(1).ofMaxSize(3),
            Arbitraries.oneOf(Arbitraries.of(VALUES), Arbitraries.just("")),
            space.list().ofSize(3))
        .as((op, key, set, single, spaces) -> switch (op) {
          case IN, NOT_IN -> new Term(op, key, List.copyOf(set), spaces);
          default -> new Term(op, key, List.of(single), spaces);
        });
    return term.list().ofMaxSize(5);
  }

  @Provide
  Arbitrary<Map<String, String>> labels() {
    return Arbitraries.maps(Arbitraries.of(KEYS), Arbitraries.oneOf(Arbitraries.of(VALUES), Arbitraries.just("")))
        .ofMaxSize(KEYS.size());
  }

  @Provide
  Arbitrary<String> selectorLikeText() {
    Arbitrary<String> tokens = Arbitraries.of("app", "in", "notin", "=", "==", "!=", "!", ",", "(", ")", " ",
            "web", "-x", "a/b", "example.com/", "<", "\t")
        .list().ofMaxSize(12).map(list -> String.join("", list));
    Arbitrary<String> chars = Arbitraries.strings().withChars("ab=!,() /.-_in").ofMaxLength(25);
    return Arbitraries.oneOf(tokens, chars);
  }
}
