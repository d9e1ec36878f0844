package tenet.agent.flows;

import tenet.agent.v1.Flow;

/** Flows as the lines of an {@code ovs-ofctl --bundle add-flows} file. */
public final class FlowLines {
  private static final byte[] ADD_COOKIE = ascii("add cookie=0x");
  private static final byte[] TABLE = ascii(",table=");
  private static final byte[] PRIORITY = ascii(",priority=");
  private static final byte[] ACTIONS = ascii(" actions=");
  private static final byte[] DELETE_COOKIE = ascii("delete cookie=0x");
  private static final byte[] ANY_TABLE = ascii("/-1\n");

  private FlowLines() {}

  public static String add(Flow f) {
    LineBuffer out = new LineBuffer(48 + f.getMatchBytes().size() + f.getActionsBytes().size());
    appendAdd(f, out);
    String line = out.toString();
    return line.substring(0, line.length() - 1);
  }

  /**
   * Appends {@link #add}'s line and a newline; a full set's page goes to ovs-ofctl as one block of
   * these. The match and actions go as the bytes they came in (flow.proto: never decoded).
   */
  public static void appendAdd(Flow f, LineBuffer out) {
    out.bytes(ADD_COOKIE).hex(f.getCookie()).bytes(TABLE).decimal(f.getTable()).bytes(PRIORITY).decimal(f.getPriority());
    if (!f.getMatchBytes().isEmpty()) {
      out.ascii(',').bytes(f.getMatchBytes());
    }
    out.bytes(ACTIONS).bytes(f.getActionsBytes()).ascii('\n');
  }

  /** Appends {@link #delete}'s line and a newline. */
  public static void appendDelete(long cookie, LineBuffer out) {
    out.bytes(DELETE_COOKIE).hex(cookie).bytes(ANY_TABLE);
  }

  /** Deletes every flow with exactly this cookie, in any table. */
  public static String delete(long cookie) {
    return "delete cookie=0x" + Long.toHexString(cookie) + "/-1";
  }

  private static byte[] ascii(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  /**
   * One bundle's lines: deletes first (a changed rule's old version goes before its new one
   * comes). A full set written as it arrives has its deletes last ({@link FullSetDiff}); the
   * bundle ends the same: an add over a flow of the same table, priority and match takes its
   * place, cookie and all, and the delete of the old cookie then finds nothing.
   */
  public static LineBuffer bundle(FlowSet.Changes changes) {
    LineBuffer out = new LineBuffer(changes.delete().size() * 40 + changes.add().size() * 128);
    changes.delete().forEach(c -> appendDelete(c, out));
    changes.add().forEach(f -> appendAdd(f, out));
    return out;
  }
}
