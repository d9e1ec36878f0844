package tenet.store.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import tenet.store.core.net.Requirement.DoesNotExist;
import tenet.store.core.net.Requirement.Equals;
import tenet.store.core.net.Requirement.Exists;
import tenet.store.core.net.Requirement.In;
import tenet.store.core.net.Requirement.NotEquals;
import tenet.store.core.net.Requirement.NotIn;

class LabelSelectorTest {

  @ParameterizedTest(name = "[{0}] -> [{1}]")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      ""                                         | ""
      "   "                                      | ""
      app=web                                    | app=web
      app==web                                   | app=web
      app!=web                                   | app!=web
      app=                                       | app=
      app==                                      | app=
      app!=                                      | app!=
      app in (web,db)                            | app in (db,web)
      "app notin ( web , db )"                   | app notin (db,web)
      app in(web)                                | app in (web)
      app in (web,web)                           | app in (web)
      app                                        | app
      !app                                       | !app
      "! app"                                    | !app
      " app = web , tier in ( a , b ) , !env "   | app=web,!env,tier in (a,b)
      tier in (a,b),app=web                      | app=web,tier in (a,b)
      app=web,app=web                            | app=web
      app=web,app!=db                            | app!=db,app=web
      app,!app                                   | !app,app
      in in (in,notin)                           | in in (in,notin)
      notin notin (x)                            | notin notin (x)
      in,notin=in                                | in,notin=in
      example.com/role=db                        | example.com/role=db
      app.kubernetes.io/name in (A_1,b.2,c-3)    | app.kubernetes.io/name in (A_1,b.2,c-3)
      """)
  void parsesToCanonicalForm(String text, String canonical) {
    LabelSelector selector = LabelSelector.parse(text);

    assertThat(selector).hasToString(canonical);
    assertThat(LabelSelector.parse(canonical)).isEqualTo(selector);
  }

  @Test
  void acceptsAnyWhitespaceBetweenTokens() {
    assertThat(LabelSelector.parse("app\tin\n(web,\r\ndb)")).hasToString("app in (db,web)");
  }

  @Test
  void exposesTypedRequirementsInCanonicalOrder() {
    LabelSelector selector = LabelSelector.parse("z!=w, x notin (y), tier in (b,a), k, !env, app==web");

    assertThat(selector.requirements()).containsExactly(
        new Equals("app", "web"),
        new DoesNotExist("env"),
        new Exists("k"),
        new In("tier", List.of("a", "b")),
        new NotIn("x", List.of("y")),
        new NotEquals("z", "w"));
  }

  @Test
  void emptySelectorIsEverything() {
    assertThat(LabelSelector.parse("")).isEqualTo(LabelSelector.EVERYTHING);
    assertThat(LabelSelector.EVERYTHING.requirements()).isEmpty();
    assertThat(LabelSelector.EVERYTHING.matches(Map.of())).isTrue();
    assertThat(LabelSelector.EVERYTHING.matches(Map.of("app", "web"))).isTrue();
  }

  @Test
  void requirementsAreImmutable() {
    LabelSelector selector = LabelSelector.parse("app=web");

    assertThatThrownBy(() -> selector.requirements().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ((In) LabelSelector.parse("a in (b)").requirements().get(0)).values().add("c"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @ParameterizedTest(name = "[{0}] on [{1}]: {2}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      ""                   | ""                  | true
      ""                   | app=web             | true
      app=web              | app=web             | true
      app=web              | app=db              | false
      app=web              | ""                  | false
      app==web             | app=web,tier=db     | true
      app!=web             | ""                  | true
      app!=web             | app=web             | false
      app!=web             | app=db              | true
      app in (web,db)      | app=db              | true
      app in (web,db)      | app=x               | false
      app in (web,db)      | ""                  | false
      app notin (web,db)   | ""                  | true
      app notin (web,db)   | app=x               | true
      app notin (web,db)   | app=web             | false
      app                  | app=                | true
      app                  | ""                  | false
      app                  | apps=web            | false
      !app                 | ""                  | true
      !app                 | app=                | false
      app=                 | app=                | true
      app=                 | ""                  | false
      app=                 | app=web             | false
      app!=                | app=web             | true
      app!=                | app=                | false
      app!=                | ""                  | true
      app=web,tier=db      | app=web,tier=db     | true
      app=web,tier=db      | app=web             | false
      app=web,!tier        | app=web             | true
      app=web,!tier        | app=web,tier=db     | false
      app,!app             | app=web             | false
      example.com/role=db  | example.com/role=db | true
      example.com/role=db  | role=db             | false
      """)
  void matchesLabels(String selector, String labels, boolean expected) {
    assertThat(LabelSelector.parse(selector).matches(labels(labels))).isEqualTo(expected);
  }

  @Test
  void nullLabelValueCountsAsAbsent() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app", null);

    assertThat(LabelSelector.parse("!app").matches(labels)).isTrue();
    assertThat(LabelSelector.parse("app").matches(labels)).isFalse();
    assertThat(LabelSelector.parse("app notin (web)").matches(labels)).isTrue();
  }

  static Stream<Arguments> badSelectors() {
    String operators = "expected '=', '==', '!=', 'in', 'notin', ',' or end after ";
    String dnsRule = "prefix before '/' must be a lower-case DNS subdomain such as example.com: ";
    return Stream.of(
        Arguments.of("app=web)", "expected ',' or end after 'app=web' at column 8"),
        Arguments.of("app=web tier=db", "expected ',' or end after 'app=web' at column 9"),
        Arguments.of("app = web )", "expected ',' or end after 'app = web' at column 11"),
        Arguments.of("app=web=db", "expected ',' or end after 'app=web' at column 8"),
        Arguments.of("app===web", "expected ',' or end after 'app==' at column 6"),
        Arguments.of("!app=web", "expected ',' or end after '!app' at column 5"),
        Arguments.of("app in (a) b", "expected ',' or end after 'app in (a)' at column 12"),
        Arguments.of("app in ()", "empty value list for 'in' at column 8"),
        Arguments.of("app notin ( )", "empty value list for 'notin' at column 11"),
        Arguments.of("app in (a,)", "empty value in list for 'in' at column 11"),
        Arguments.of("app in (,a)", "empty value in list for 'in' at column 9"),
        Arguments.of("app notin (a,,b)", "empty value in list for 'notin' at column 14"),
        Arguments.of("app in (a", "expected ',' or ')' in list for 'in' at end"),
        Arguments.of("app in (a b)", "expected ',' or ')' in list for 'in' at column 11"),
        Arguments.of("app in (a(b)", "expected ',' or ')' in list for 'in' at column 10"),
        Arguments.of("app in (=)", "expected a value in list for 'in' at column 9"),
        Arguments.of("app in (", "expected a value in list for 'in' at end"),
        Arguments.of("app in a", "expected '(' after 'in' at column 8"),
        Arguments.of("app in", "expected '(' after 'in' at end"),
        Arguments.of("app notin", "expected '(' after 'notin' at end"),
        Arguments.of("app=web,", "expected a label key or '!' after ',' at end"),
        Arguments.of("app,,tier", "expected a label key or '!' after ',' at column 5"),
        Arguments.of("app=web,(", "expected a label key or '!' after ',' at column 9"),
        Arguments.of(",app", "expected a label key or '!' at column 1"),
        Arguments.of("=web", "expected a label key or '!' at column 1"),
        Arguments.of("!=web", "expected a label key or '!' at column 1"),
        Arguments.of("(app)", "expected a label key or '!' at column 1"),
        Arguments.of("!", "expected a label key after '!' at end"),
        Arguments.of("!!app", "expected a label key after '!' at column 2"),
        Arguments.of("app web", operators + "'app' at column 5"),
        Arguments.of("app>1", operators + "'app' at column 4"),
        Arguments.of("app<1", operators + "'app' at column 4"),
        Arguments.of("app(web)", operators + "'app' at column 4"),
        Arguments.of("app!web", operators + "'app' at column 4"),
        Arguments.of("-app=web", "invalid label key at column 1: "
            + "must start and end with a letter or digit: '-app'"),
        Arguments.of("a$b", "invalid label key at column 1: "
            + "must contain only letters, digits, '-', '_' and '.', not '$': 'a$b'"),
        Arguments.of("Example.com/app=web", "invalid label key at column 1: " + dnsRule + "'Example.com'"),
        Arguments.of("x, !" + "k".repeat(64), "invalid label key at column 5: "
            + "must be 1 to 63 characters, got 64"),
        Arguments.of("app=-web", "invalid label value at column 5: "
            + "must start and end with a letter or digit: '-web'"),
        Arguments.of("app!=a/b", "invalid label value at column 6: "
            + "must contain only letters, digits, '-', '_' and '.', not '/': 'a/b'"),
        Arguments.of("app in (web, -db)", "invalid label value at column 14: "
            + "must start and end with a letter or digit: '-db'"),
        Arguments.of("app=" + "v".repeat(64), "invalid label value at column 5: "
            + "must be at most 63 characters, got 64"));
  }

  @ParameterizedTest(name = "[{0}]")
  @MethodSource("badSelectors")
  void rejects(String text, String reason) {
    assertThatThrownBy(() -> LabelSelector.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(reason);
  }

  @Test
  void requirementConstructorsValidate() {
    assertThatThrownBy(() -> new In("app", List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("empty value list for 'in'");
    assertThatThrownBy(() -> new NotIn("app", List.of("web", "")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("empty value in list for 'notin'");
    assertThatThrownBy(() -> new Equals("-app", "web"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("label key must start and end with a letter or digit: '-app'");
    assertThatThrownBy(() -> new NotEquals("app", "a b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("label value must contain only letters, digits, '-', '_' and '.', not a space: 'a b'");
    assertThatThrownBy(() -> new Exists(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("label key must not be empty");
    assertThat(new In("k", List.of("b", "a", "b")).values()).containsExactly("a", "b");
  }

  /** "a=1,b=2" to a map; "" is no labels, "a=" is label a with an empty value. */
  private static Map<String, String> labels(String spec) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (spec.isEmpty()) {
      return labels;
    }
    for (String pair : spec.split(",")) {
      int eq = pair.indexOf('=');
      labels.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return labels;
  }
}
