package tenet.ops.cli;

/** One {@code --set path=value}: path is field names joined by dots, e.g. portSelector.expression. */
public record FieldAssignment(String path, String value) {
  public static FieldAssignment parse(String text) {
    int eq = text.indexOf('=');
    if (eq <= 0) {
      throw new UsageException("--set " + text + ": expected field=value, e.g. --set mtu=1400");
    }
    return new FieldAssignment(text.substring(0, eq).trim(), text.substring(eq + 1));
  }

  @Override
  public String toString() {
    return path + "=" + value;
  }
}
