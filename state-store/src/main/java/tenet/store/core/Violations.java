package tenet.store.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Collects every problem of a request, so the user fixes them all in one round. */
final class Violations {
  private final List<Violation> list = new ArrayList<>();

  void add(String field, String description) {
    list.add(new Violation(field, description));
  }

  /** Parses with {@code parser}; a parse failure becomes a violation and yields null. */
  <T> T parse(String field, String value, Function<String, T> parser) {
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      add(field, e.getMessage());
      return null;
    }
  }

  void check(String field, String value, java.util.function.Consumer<String> checker) {
    try {
      checker.accept(value);
    } catch (IllegalArgumentException e) {
      add(field, e.getMessage());
    }
  }

  void required(String field, String value) {
    if (value.isEmpty()) {
      add(field, "is required");
    }
  }

  void addAll(Violations other) {
    list.addAll(other.list);
  }

  boolean isEmpty() {
    return list.isEmpty();
  }

  List<Violation> list() {
    return List.copyOf(list);
  }
}
