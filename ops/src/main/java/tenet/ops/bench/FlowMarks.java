package tenet.ops.bench;

import tenet.agent.v1.Flow;

/**
 * The few rules of a chassis' flow set that show a port is there, each reduced to one long (a
 * "mark"), so a simulated agent can tell which ports its set holds without keeping any text.
 * From the table layout of docs/pipeline.md, the contract between the compiler and the agent:
 * <ul>
 *   <li>{@link #localPort}: table 0, {@code in_port=N}: a VIF plugged in here at ofport N is
 *       classified into its switch (only once the chassis has every datapath it needs);</li>
 *   <li>{@link #remotePort}: table 37, priority 100, {@code metadata=D,reg15=K}: port K of
 *       datapath D is bound on another chassis and tunnelled there;</li>
 *   <li>{@link #mac}: table 13 (the switch's L2 lookup, ingress stage 5), priority 50,
 *       {@code metadata=D,dl_dst=MAC}: the switch knows the port of that MAC, bound or not.</li>
 * </ul>
 * Every other rule has no mark ({@link #NONE}).
 */
final class FlowMarks {
  static final long NONE = 0;
  static final int CLASSIFY = 0;
  static final int L2_LOOKUP = 13;
  static final int OUTPUT_REMOTE = 37;

  private static final long LOCAL = 1L << 60;
  private static final long REMOTE = 2L << 60;
  private static final long MAC = 3L << 60;

  private FlowMarks() {}

  static long localPort(int ofport) {
    return LOCAL | ofport;
  }

  /** {@code datapath}: the switch's 24-bit tunnel key; {@code port}: the port's 15-bit key in it. */
  static long remotePort(int datapath, int port) {
    return REMOTE | (long) datapath << 16 | port;
  }

  /** {@code mac} as "0a:00:00:00:00:01". */
  static long mac(String mac) {
    long value = mac(mac, 0);
    if (value < 0) {
      throw new IllegalArgumentException("not a MAC address: " + mac);
    }
    return value;
  }

  /**
   * The mark of the MAC address at {@code s[from, from + 17)}, or -1 when that is not one. Read in
   * place: this runs on every L2 lookup rule of every set the agents get.
   */
  private static long mac(String s, int from) {
    if (s.length() - from != 17) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < 17; i++) {
      char c = s.charAt(from + i);
      if (i % 3 == 2) {
        if (c != ':') {
          return -1;
        }
        continue;
      }
      int digit = Character.digit(c, 16);
      if (digit < 0) {
        return -1;
      }
      value = value << 4 | digit;
    }
    return MAC | value;
  }

  /** The mark {@code flow} carries, or {@link #NONE}. Only the three tables' matches are read. */
  static long of(Flow flow) {
    return switch (flow.getTable()) {
      case CLASSIFY -> classified(flow.getMatch());
      case OUTPUT_REMOTE -> flow.getPriority() == 100 ? tunnelled(flow.getMatch()) : NONE;
      case L2_LOOKUP -> flow.getPriority() == 50 ? looked(flow.getMatch()) : NONE;
      default -> NONE;
    };
  }

  /** "in_port=N" and nothing else (the tunnel port's rules also match tun_id). */
  private static long classified(String match) {
    String prefix = "in_port=";
    if (!match.startsWith(prefix)) {
      return NONE;
    }
    int ofport = digits(match, prefix.length(), match.length());
    return ofport < 0 ? NONE : localPort(ofport);
  }

  /** "metadata=D,reg15=K" and nothing else (a flood matches reg10 too). */
  private static long tunnelled(String match) {
    int comma = match.indexOf(',');
    if (!match.startsWith("metadata=") || comma < 0 || !match.startsWith("reg15=", comma + 1)) {
      return NONE;
    }
    int datapath = digits(match, "metadata=".length(), comma);
    int port = digits(match, comma + 1 + "reg15=".length(), match.length());
    return datapath < 0 || port < 0 ? NONE : remotePort(datapath, port);
  }

  /** "metadata=D,dl_dst=MAC". */
  private static long looked(String match) {
    int at = match.indexOf(",dl_dst=");
    if (!match.startsWith("metadata=") || at < 0) {
      return NONE;
    }
    long mark = mac(match, at + ",dl_dst=".length());
    return mark < 0 ? NONE : mark;
  }

  /** The decimal number in {@code s[from, to)}, or -1 when it is not one (or too long for an int). */
  private static int digits(String s, int from, int to) {
    if (from >= to || to - from > 9) {
      return -1;
    }
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
