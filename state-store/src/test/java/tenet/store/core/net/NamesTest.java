package tenet.store.core.net;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NamesTest {

  private static final String CHARS = "must contain only letters, digits, '-', '_' and '.', not ";
  // Four labels, 253 characters: the longest prefix allowed.
  private static final String LONGEST_PREFIX =
      "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(61);

  static Stream<String> goodNames() {
    return Stream.of("a", "A", "1", "web", "web-1", "Web_1.prod", "a..b", "a-_.b", "0abc9", "x".repeat(63));
  }

  @ParameterizedTest
  @MethodSource("goodNames")
  void acceptsNames(String name) {
    assertThatCode(() -> Names.checkName(name)).doesNotThrowAnyException();
  }

  static Stream<Arguments> badNames() {
    return Stream.of(
        Arguments.of("", "must be 1 to 63 characters, got 0"),
        Arguments.of("x".repeat(64), "must be 1 to 63 characters, got 64"),
        Arguments.of("-web", "must start and end with a letter or digit: '-web'"),
        Arguments.of("web-", "must start and end with a letter or digit: 'web-'"),
        Arguments.of(".web", "must start and end with a letter or digit: '.web'"),
        Arguments.of("_web", "must start and end with a letter or digit: '_web'"),
        Arguments.of("-", "must start and end with a letter or digit: '-'"),
        Arguments.of("we b", CHARS + "a space: 'we b'"),
        Arguments.of("we$b", CHARS + "'$': 'we$b'"),
        Arguments.of("-we$b", CHARS + "'$': '-we$b'"),
        Arguments.of("web/1", CHARS + "'/': 'web/1'"),
        Arguments.of("w\u00e9b", CHARS + "'\u00e9': 'w\u00e9b'"),
        Arguments.of("we\tb", CHARS + "U+0009: 'we\tb'"),
        Arguments.of("a\uD83D\uDE00", CHARS + "'\uD83D\uDE00': 'a\uD83D\uDE00'"));
  }

  @ParameterizedTest
  @MethodSource("badNames")
  void rejectsNames(String name, String reason) {
    assertThatThrownBy(() -> Names.checkName(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(reason);
  }

  static Stream<String> goodLabelKeys() {
    return Stream.of("app", "App_1", "x".repeat(63), "example.com/role", "k8s.io/app", "a/b",
        "app.kubernetes.io/name", "1-2.a/Z", LONGEST_PREFIX + "/app");
  }

  @ParameterizedTest
  @MethodSource("goodLabelKeys")
  void acceptsLabelKeys(String key) {
    assertThatCode(() -> Names.checkLabelKey(key)).doesNotThrowAnyException();
  }

  static Stream<Arguments> badLabelKeys() {
    String dnsRule = "prefix before '/' must be a lower-case DNS subdomain such as example.com: ";
    return Stream.of(
        Arguments.of("", "must not be empty"),
        Arguments.of("x".repeat(64), "must be 1 to 63 characters, got 64"),
        Arguments.of("-app", "must start and end with a letter or digit: '-app'"),
        Arguments.of("app!", CHARS + "'!': 'app!'"),
        Arguments.of("/app", "prefix before '/' must not be empty: '/app'"),
        Arguments.of("a/b/c", "must contain at most one '/', between prefix and name: 'a/b/c'"),
        Arguments.of("Example.com/app", dnsRule + "'Example.com'"),
        Arguments.of("-example.com/app", dnsRule + "'-example.com'"),
        Arguments.of("example-.com/app", dnsRule + "'example-.com'"),
        Arguments.of("example..com/app", dnsRule + "'example..com'"),
        Arguments.of("example.com./app", dnsRule + "'example.com.'"),
        Arguments.of("example_com/app", dnsRule + "'example_com'"),
        Arguments.of("e" + LONGEST_PREFIX + "/app", "prefix before '/' must be at most 253 characters, got 254"),
        Arguments.of("example.com/", "name after '/' must be 1 to 63 characters, got 0"),
        Arguments.of("example.com/" + "x".repeat(64), "name after '/' must be 1 to 63 characters, got 64"),
        Arguments.of("example.com/-app", "name after '/' must start and end with a letter or digit: '-app'"),
        Arguments.of("example.com/a b", "name after '/' " + CHARS + "a space: 'a b'"));
  }

  @ParameterizedTest
  @MethodSource("badLabelKeys")
  void rejectsLabelKeys(String key, String reason) {
    assertThatThrownBy(() -> Names.checkLabelKey(key))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(reason);
  }

  static Stream<String> goodLabelValues() {
    return Stream.of("", "web", "v1.2.3", "A_b-C", "0", "x".repeat(63));
  }

  @ParameterizedTest
  @MethodSource("goodLabelValues")
  void acceptsLabelValues(String value) {
    assertThatCode(() -> Names.checkLabelValue(value)).doesNotThrowAnyException();
  }

  static Stream<Arguments> badLabelValues() {
    return Stream.of(
        Arguments.of("x".repeat(64), "must be at most 63 characters, got 64"),
        Arguments.of("-web", "must start and end with a letter or digit: '-web'"),
        Arguments.of("web.", "must start and end with a letter or digit: 'web.'"),
        Arguments.of("web app", CHARS + "a space: 'web app'"),
        Arguments.of("a/b", CHARS + "'/': 'a/b'"),
        Arguments.of("a=b", CHARS + "'=': 'a=b'"));
  }

  @ParameterizedTest
  @MethodSource("badLabelValues")
  void rejectsLabelValues(String value, String reason) {
    assertThatThrownBy(() -> Names.checkLabelValue(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(reason);
  }
}
