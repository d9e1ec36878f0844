package tenet.store.core.net;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One comma-separated term of a {@link LabelSelector}, with Kubernetes semantics: the negative
 * operators ({@code !=}, {@code notin}) also match objects that do not have the label at all.
 *
 * <p>A label whose value is null in the map is treated as absent. Value lists are kept sorted and
 * without duplicates, so requirements that mean the same compare equal.
 */
public sealed interface Requirement {

  String key();

  boolean matches(Map<String, String> labels);

  /** {@code key=value} (also written {@code key==value}): the label is present with this value. */
  record Equals(String key, String value) implements Requirement {
    public Equals {
      checkKey(key);
      checkValue(value);
    }

    @Override
    public boolean matches(Map<String, String> labels) {
      return value.equals(labels.get(key));
    }

    @Override
    public String toString() {
      return key + "=" + value;
    }
  }

  /** {@code key!=value}: the label is absent or has another value. */
  record NotEquals(String key, String value) implements Requirement {
    public NotEquals {
      checkKey(key);
      checkValue(value);
    }

    @Override
    public boolean matches(Map<String, String> labels) {
      return !value.equals(labels.get(key));
    }

    @Override
    public String toString() {
      return key + "!=" + value;
    }
  }

  /** {@code key in (v1,v2)}: the label is present with one of these values. */
  record In(String key, List<String> values) implements Requirement {
    public In {
      checkKey(key);
      values = valueSet(values, "in");
    }

    @Override
    public boolean matches(Map<String, String> labels) {
      String actual = labels.get(key);
      return actual != null && values.contains(actual);
    }

    @Override
    public String toString() {
      return key + " in (" + String.join(",", values) + ")";
    }
  }

  /** {@code key notin (v1,v2)}: the label is absent or has none of these values. */
  record NotIn(String key, List<String> values) implements Requirement {
    public NotIn {
      checkKey(key);
      values = valueSet(values, "notin");
    }

    @Override
    public boolean matches(Map<String, String> labels) {
      String actual = labels.get(key);
      return actual == null || !values.contains(actual);
    }

    @Override
    public String toString() {
      return key + " notin (" + String.join(",", values) + ")";
    }
  }

  /** {@code key}: the label is present, with any value. */
  record Exists(String key) implements Requirement {
    public Exists {
      checkKey(key);
    }

    @Override
    public boolean matches(Map<String, String> labels) {
      return labels.get(key) != null;
    }

    @Override
    public String toString() {
      return key;
    }
  }

  /** {@code !key}: the label is absent. */
  record DoesNotExist(String key) implements Requirement {
    public DoesNotExist {
      checkKey(key);
    }

    @Override
    public boolean matches(Map<String, String> labels) {
      return labels.get(key) == null;
    }

    @Override
    public String toString() {
      return "!" + key;
    }
  }

  private static void checkKey(String key) {
    try {
      Names.checkLabelKey(key);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("label key " + e.getMessage(), e);
    }
  }

  private static void checkValue(String value) {
    try {
      Names.checkLabelValue(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("label value " + e.getMessage(), e);
    }
  }

  /**
   * Empty strings are refused in lists although Kubernetes takes "(a,)" to mean a or empty: a
   * stray comma is far more often a typo than that intent, and {@code key=} still says "empty".
   */
  private static List<String> valueSet(Collection<String> values, String operator) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("empty value list for '" + operator + "'");
    }
    for (String value : values) {
      if (value.isEmpty()) {
        throw new IllegalArgumentException("empty value in list for '" + operator + "'");
      }
      checkValue(value);
    }
    return List.copyOf(new TreeSet<>(values));
  }
}
