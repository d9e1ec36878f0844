package tenet.store.core.net;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A Kubernetes-style label selector: requirements joined by ',' that must all hold. The empty
 * selector matches every object.
 *
 * <p>Requirements are kept sorted by key (then by their text) and without duplicates, so two
 * selectors that differ only in the order of their terms are equal, and {@link #toString} is a
 * canonical form that parses back to an equal selector.
 */
public record LabelSelector(List<Requirement> requirements) {

  private static final Comparator<Requirement> CANONICAL_ORDER =
      Comparator.comparing(Requirement::key).thenComparing(Requirement::toString);

  public static final LabelSelector EVERYTHING = new LabelSelector(List.of());

  public LabelSelector {
    requirements = List.copyOf(requirements.stream().sorted(CANONICAL_ORDER).distinct().toList());
  }

  /**
   * Parses {@code key=value}, {@code key==value}, {@code key!=value}, {@code key in (v1,v2)},
   * {@code key notin (v1,v2)}, {@code key} and {@code !key}, separated by commas, with optional
   * whitespace around tokens. Blank text is the selector that matches everything.
   */
  public static LabelSelector parse(String text) {
    Objects.requireNonNull(text, "text");
    return new LabelSelector(LabelSelectorParser.parse(text));
  }

  public boolean matches(Map<String, String> labels) {
    Objects.requireNonNull(labels, "labels");
    return requirements.stream().allMatch(requirement -> requirement.matches(labels));
  }

  @Override
  public String toString() {
    return requirements.stream().map(Requirement::toString).collect(Collectors.joining(","));
  }
}
