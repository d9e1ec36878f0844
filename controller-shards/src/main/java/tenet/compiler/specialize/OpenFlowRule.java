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
    return c != 0 ? c : toOfctl().compareTo(o.toOfctl());
  }

  @Override
  public String toString() {
    return toOfctl();
  }
}
