package tenet.store.core.net;

/** Keeps user input echoed in error messages short enough to read in a log line or a CLI. */
final class Excerpt {
  private static final int MAX = 80;

  private Excerpt() {}

  static String of(String text) {
    return text.length() <= MAX ? text : text.substring(0, MAX - 3) + "...";
  }

  /** Quoted, because whitespace and empty strings are invisible otherwise. */
  static String quoted(String text) {
    return "'" + of(text) + "'";
  }
}
