package tenet.compiler.specialize;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import tenet.agent.v1.Flow;

/**
 * One physical flow in ovs-ofctl syntax, and its identity: the cookie, given once where the
 * compiler makes the rule ({@link #of}), is the tunnel key of the datapath the flow is about (0
 * for the rules of none: the tables' defaults) over a hash of its content ({@link ContentCookie}).
 * Equal cookies are equal rules, so the agent removes exactly what the controller withdrew and,
 * after a restart, tells from the cookies in OVS which rules it already holds (docs/pipeline.md).
 *
 * <p>The rule is kept in the form the agent gets it ({@link #wire}), made once with its cookie: a
 * datapath's rules go to every chassis that needs the datapath (~40 each at 40,000 ports), and
 * encoding the same text again for each of them was a quarter of what a controller spent sending.
 * The match and actions are held as UTF-8 bytes only; {@link #match()} and {@link #actions()}
 * decode them when asked (tests, the agent's text), which the compiler's paths never do.
 */
public final class OpenFlowRule implements Comparable<OpenFlowRule> {
  private static final Comparator<ByteString> BYTES = ByteString.unsignedLexicographicalComparator();
  private final long cookie;
  private final int table;
  private final int priority;
  private final Flow wire;
  /** The VM port (its key on the datapath) on whose chassis alone the rule can match; 0: none. */
  private final int localPort;

  /** A rule whose cookie is already made (a rule read back from a message). */
  public OpenFlowRule(long cookie, int table, int priority, String match, String actions) {
    this(cookie, table, priority, utf8(match), utf8(actions));
  }

  private OpenFlowRule(long cookie, int table, int priority, byte[] match, byte[] actions) {
    if (cookie == 0) {
      throw new IllegalArgumentException("cookie 0 is OVS' \"no cookie\": make rules with OpenFlowRule.of");
    }
    this.cookie = cookie;
    this.table = table;
    this.priority = priority;
    // Wrapped, not copied: the arrays are this rule's alone.
    this.wire = Flow.newBuilder().setCookie(cookie).setTable(table).setPriority(priority)
        .setMatchBytes(UnsafeByteOperations.unsafeWrap(match))
        .setActionsBytes(UnsafeByteOperations.unsafeWrap(actions)).build();
    this.localPort = 0;
  }

  private OpenFlowRule(OpenFlowRule rule, int localPort) {
    this.cookie = rule.cookie;
    this.table = rule.table;
    this.priority = rule.priority;
    this.wire = rule.wire;
    this.localPort = localPort;
  }

  /** The rule about {@code datapath} (0: about none) with this content, its cookie computed here. */
  public static OpenFlowRule of(int datapath, int table, int priority, String match, String actions) {
    byte[] m = utf8(match);
    byte[] a = utf8(actions);
    return new OpenFlowRule(ContentCookie.of(datapath, table, priority, m, a), table, priority, m, a);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  public long cookie() {
    return cookie;
  }

  public int table() {
    return table;
  }

  public int priority() {
    return priority;
  }

  /** The match, decoded from the rule's bytes at each call. */
  public String match() {
    return wire.getMatchBytes().toStringUtf8(); // not getMatch(): it would keep the text in the message
  }

  /** The actions, decoded from the rule's bytes at each call. */
  public String actions() {
    return wire.getActionsBytes().toStringUtf8();
  }

  /** The rule as the agent gets it (southbound.proto, Flow): one immutable message, shared by every send. */
  public Flow wire() {
    return wire;
  }

  /**
   * This rule, needed only on the chassis where the VM port {@code port} of its datapath is
   * plugged in (the logical flow's {@code localPort}). Not part of the rule's identity: the
   * content says it already, and a chassis that has the rule has the same rule.
   */
  public OpenFlowRule localTo(int port) {
    return port == localPort ? this : new OpenFlowRule(this, port);
  }

  /** The VM port (its key on {@link #datapath()}) on whose chassis alone this rule can match; 0: any chassis. */
  public int localPort() {
    return localPort;
  }

  /** The tunnel key of the datapath this flow is about; 0 for a table's default. */
  public int datapath() {
    return ContentCookie.datapath(cookie);
  }

  /** Rules are compared by cookie first: two different rules almost always differ there. */
  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof OpenFlowRule r && cookie == r.cookie && table == r.table && priority == r.priority
        && wire.getMatchBytes().equals(r.wire.getMatchBytes()) && wire.getActionsBytes().equals(r.wire.getActionsBytes());
  }

  /** The cookie hashes the content already: sets of rules need not hash the strings again. */
  @Override
  public int hashCode() {
    return Long.hashCode(cookie);
  }

  /** The line `ovs-ofctl add-flows` takes. */
  public String toOfctl() {
    String match = match();
    return String.format("cookie=0x%x,table=%d,priority=%d%s actions=%s", cookie, table, priority,
        match.isEmpty() ? "" : "," + match, actions());
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
    // The bytes are ASCII (ovs-ofctl syntax): their order is the text's.
    if (c == 0) {
      c = BYTES.compare(wire.getMatchBytes(), o.wire.getMatchBytes());
    }
    return c != 0 ? c : BYTES.compare(wire.getActionsBytes(), o.wire.getActionsBytes());
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
