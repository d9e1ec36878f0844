package tenet.ops.bench;

import java.util.Locale;

/** Just enough JSON: one flat object at a time; NaN becomes null. */
final class Json {
  private final StringBuilder b = new StringBuilder("{");

  void field(String name, String value) {
    raw(name, value == null ? "null" : quote(value));
  }

  void field(String name, double value) {
    raw(name, number(value));
  }

  void field(String name, long value) {
    raw(name, Long.toString(value));
  }

  void raw(String name, String json) {
    if (b.length() > 1) {
      b.append(',');
    }
    b.append(quote(name)).append(':').append(json);
  }

  static String number(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return "null";
    }
    return String.format(Locale.ROOT, "%.3f", v).replaceAll("\\.?0+$", "");
  }

  static String quote(String s) {
    StringBuilder q = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> q.append("\\\"");
        case '\\' -> q.append("\\\\");
        case '\n' -> q.append("\\n");
        case '\r' -> q.append("\\r");
        case '\t' -> q.append("\\t");
        default -> {
          if (c < 0x20) {
            q.append(String.format("\\u%04x", (int) c));
          } else {
            q.append(c);
          }
        }
      }
    }
    return q.append('"').toString();
  }

  @Override
  public String toString() {
    return b + "}";
  }
}
