package tenet.compiler.specialize;

/**
 * One physical flow in ovs-ofctl syntax. The cookie names the logical flow it came from (high
 * 32 bits: the tunnel key of the datapath the flow is about, 0 for the tables' defaults), so the
 * agent can remove exactly what the controller withdrew.
 */
public record OpenFlowRule(long cookie, int table, int priority, String match, String actions)
    implements Comparable<OpenFlowRule> {

  /** The tunnel key of the datapath this flow is about; 0 for a table's default. */
  public int datapath() {
    return (int) (cookie >>> 32);
  }

  /** The line `ovs-ofctl add-flows` takes. */
  public String toOfctl() {
    return String.format("cookie=0x%x,table=%d,priority=%d%s actions=%s", cookie, table, priority,
        match.isEmpty() ? "" : "," + match, actions);
  }

  @Override
  public int compareTo(OpenFlowRule o) {
    int c = Integer.compare(table, o.table);
    if (c == 0) {
      c = Integer.compare(o.priority, priority);
    }
    if (c == 0) {
      c = compareHex(cookie, o.cookie);
    }
    if (c == 0) {
      c = match.compareTo(o.match);
    }
    return c != 0 ? c : actions.compareTo(o.actions);
  }

  /**
   * The order of the two cookies' hex digits as text, as {@link #toOfctl()} lines sort, without
   * formatting them: sorting formatted lines was most of what specializing cost.
   */
  private static int compareHex(long a, long b) {
    int digitsA = hexDigits(a);
    int digitsB = hexDigits(b);
    int common = Math.min(digitsA, digitsB);
    int c = Long.compareUnsigned(a >>> (4 * (digitsA - common)), b >>> (4 * (digitsB - common)));
    return c != 0 ? c : Integer.compare(digitsA, digitsB);
  }

  private static int hexDigits(long v) {
    return Math.max(1, (67 - Long.numberOfLeadingZeros(v)) / 4);
  }

  @Override
  public String toString() {
    return toOfctl();
  }
}
