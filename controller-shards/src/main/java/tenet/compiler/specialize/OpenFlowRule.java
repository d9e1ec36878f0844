package tenet.compiler.specialize;

/**
 * One physical flow in ovs-ofctl syntax, and its identity: the cookie, given once where the
 * compiler makes the rule ({@link #of}), is the tunnel key of the datapath the flow is about (0
 * for the rules of none: the tables' defaults) over a hash of its content ({@link ContentCookie}).
 * Equal cookies are equal rules, so the agent removes exactly what the controller withdrew and,
 * after a restart, tells from the cookies in OVS which rules it already holds (docs/pipeline.md).
 * The canonical constructor takes a cookie already made (a rule read back from a message).
 */
public record OpenFlowRule(long cookie, int table, int priority, String match, String actions)
    implements Comparable<OpenFlowRule> {

  public OpenFlowRule {
    if (cookie == 0) {
      throw new IllegalArgumentException("cookie 0 is OVS' \"no cookie\": make rules with OpenFlowRule.of");
    }
  }

  /** The rule about {@code datapath} (0: about none) with this content, its cookie computed here. */
  public static OpenFlowRule of(int datapath, int table, int priority, String match, String actions) {
    return new OpenFlowRule(ContentCookie.of(datapath, table, priority, match, actions), table, priority, match,
        actions);
  }

  /** The tunnel key of the datapath this flow is about; 0 for a table's default. */
  public int datapath() {
    return ContentCookie.datapath(cookie);
  }

  /** Rules are compared by cookie first: two different rules almost always differ there. */
  @Override
  public boolean equals(Object o) {
    return o instanceof OpenFlowRule r && cookie == r.cookie && table == r.table && priority == r.priority
        && match.equals(r.match) && actions.equals(r.actions);
  }

  /** The cookie hashes the content already: sets of rules need not hash the strings again. */
  @Override
  public int hashCode() {
    return Long.hashCode(cookie);
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
