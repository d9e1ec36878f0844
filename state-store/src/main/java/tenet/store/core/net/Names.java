package tenet.store.core.net;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The spelling rules for resource names and label keys and values. They are Kubernetes' rules, so
 * labels copied from a Kubernetes manifest are accepted unchanged, and every name is also usable
 * as a label value (for selecting resources by name).
 */
public final class Names {

  public static final int MAX_NAME_LENGTH = 63;
  public static final int MAX_LABEL_PREFIX_LENGTH = 253;

  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  /** What Linux takes as an interface name: at most IFNAMSIZ - 1 bytes, no '/', ':' or space. */
  private static final Pattern INTERFACE_NAME = Pattern.compile("[^/:\\s]{1,15}");

  private Names() {}

  /** A Linux network interface name, e.g. enp3s0f0. */
  public static void checkInterfaceName(String name) {
    Objects.requireNonNull(name, "name");
    if (!INTERFACE_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException("an interface name (1 to 15 characters, no '/', ':' or space), got "
          + Excerpt.quoted(name));
    }
  }

  /** A resource name: 1 to 63 letters, digits, '-', '_' or '.', starting and ending alphanumeric. */
  public static void checkName(String name) {
    Objects.requireNonNull(name, "name");
    throwIfPresent(segmentProblem(name, "", true));
  }

  /**
   * A label key: a name as in {@link #checkName}, optionally preceded by a lower-case DNS
   * subdomain of at most 253 characters and a '/', as in {@code example.com/role}.
   */
  public static void checkLabelKey(String key) {
    Objects.requireNonNull(key, "key");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("must not be empty");
    }
    int slash = key.indexOf('/');
    if (slash < 0) {
      throwIfPresent(segmentProblem(key, "", true));
      return;
    }
    if (key.indexOf('/', slash + 1) >= 0) {
      throw new IllegalArgumentException(
          "must contain at most one '/', between prefix and name: " + Excerpt.quoted(key));
    }
    String prefix = key.substring(0, slash);
    if (prefix.isEmpty()) {
      throw new IllegalArgumentException("prefix before '/' must not be empty: " + Excerpt.quoted(key));
    }
    if (prefix.length() > MAX_LABEL_PREFIX_LENGTH) {
      throw new IllegalArgumentException("prefix before '/' must be at most " + MAX_LABEL_PREFIX_LENGTH
          + " characters, got " + prefix.length());
    }
    if (!DNS_SUBDOMAIN.matcher(prefix).matches()) {
      throw new IllegalArgumentException("prefix before '/' must be a lower-case DNS subdomain such as "
          + "example.com: " + Excerpt.quoted(prefix));
    }
    throwIfPresent(segmentProblem(key.substring(slash + 1), "name after '/' ", true));
  }

  /** A label value: empty, or spelled like a name. */
  public static void checkLabelValue(String value) {
    Objects.requireNonNull(value, "value");
    throwIfPresent(segmentProblem(value, "", false));
  }

  /** Why {@code text} is not a valid name segment, or null; {@code subject} leads the reason. */
  private static String segmentProblem(String text, String subject, boolean required) {
    int length = text.length();
    if (required && (length < 1 || length > MAX_NAME_LENGTH)) {
      return subject + "must be 1 to " + MAX_NAME_LENGTH + " characters, got " + length;
    }
    if (length > MAX_NAME_LENGTH) {
      return subject + "must be at most " + MAX_NAME_LENGTH + " characters, got " + length;
    }
    if (length == 0) {
      return null;
    }
    int bad = text.codePoints().filter(c -> !isAlphanumeric(c) && c != '-' && c != '_' && c != '.')
        .findFirst().orElse(-1);
    if (bad >= 0) {
      return subject + "must contain only letters, digits, '-', '_' and '.', not " + describe(bad)
          + ": " + Excerpt.quoted(text);
    }
    if (!isAlphanumeric(text.charAt(0)) || !isAlphanumeric(text.charAt(length - 1))) {
      return subject + "must start and end with a letter or digit: " + Excerpt.quoted(text);
    }
    return null;
  }

  private static void throwIfPresent(String problem) {
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  // ASCII only: Character.isLetterOrDigit would admit letters that look alike but compare unequal.
  private static boolean isAlphanumeric(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  private static String describe(int codePoint) {
    if (codePoint == ' ') {
      return "a space";
    }
    if (Character.isWhitespace(codePoint) || Character.isISOControl(codePoint) || !Character.isDefined(codePoint)) {
      return String.format("U+%04X", codePoint);
    }
    return "'" + Character.toString(codePoint) + "'";
  }
}
