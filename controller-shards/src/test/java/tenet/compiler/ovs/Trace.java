package tenet.compiler.ovs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code ovs-appctl ofproto/trace} says the datapath does with a packet: the actions of
 * every "Datapath actions:" line, one per pass (a conntrack recirculation starts the next), in
 * words a test can compare exactly: a datapath port becomes its interface name, a Geneve encapsulation
 * becomes {@code tunnel(dst=…,vni=…,inport=…,outport=…)} with the logical ports decoded from
 * the option, and recirculation IDs (which change from trace to trace) are dropped. The clone
 * the datapath wraps an encapsulation in when more actions follow it is left out: it only
 * keeps the packet unencapsulated for those.
 */
record Trace(String text, List<List<String>> passes) {
  private static final Pattern LINE = Pattern.compile("(?m)^Datapath actions: (.*)$");
  private static final Pattern PORT = Pattern.compile("\\d+");
  private static final Pattern RECIRC = Pattern.compile("recirc\\(0x[0-9a-f]+\\)");
  private static final Pattern TUNNEL = Pattern.compile(
      "tnl_push\\(.*ipv4\\(src=[^,]+,dst=([^,]+),.*geneve\\((?:crit,)?vni=0x([0-9a-f]+)(.*)\\)\\),out_port\\(\\d+\\)\\)");
  private static final Pattern VXLAN = Pattern.compile(
      "tnl_push\\(.*ipv4\\(src=[^,]+,dst=([^,]+),.*vxlan\\(flags=0x[0-9a-f]+,vni=0x([0-9a-f]+)\\)\\),out_port\\(\\d+\\)\\)");
  private static final Pattern OPTION = Pattern.compile("options\\(\\{class=0x102,type=0x80,len=4,0x([0-9a-f]+)}\\)");

  /** {@code ports}: datapath port number → interface name. */
  static Trace parse(String text, Map<Integer, String> ports) {
    List<List<String>> passes = new ArrayList<>();
    Matcher line = LINE.matcher(text);
    while (line.find()) {
      List<String> actions = new ArrayList<>();
      words(line.group(1), ports, actions);
      passes.add(List.copyOf(actions));
    }
    if (passes.isEmpty()) {
      throw new IllegalArgumentException("no datapath actions in:\n" + text);
    }
    return new Trace(text, List.copyOf(passes));
  }

  /**
   * Every pass's actions in turn. Beware a bare {@code ct(nat)}: the trace cannot know the
   * connection, so its next pass goes on with the addresses untranslated.
   */
  List<String> actions() {
    return passes.stream().flatMap(List::stream).toList();
  }

  private static final String CLONE = "clone(";

  private static void words(String actions, Map<Integer, String> ports, List<String> out) {
    for (String action : split(actions)) {
      if (action.startsWith(CLONE + "tnl_push(")) {
        words(action.substring(CLONE.length(), action.length() - 1), ports, out);
      } else {
        out.add(word(action, ports));
      }
    }
  }

  private static String word(String action, Map<Integer, String> ports) {
    if (PORT.matcher(action).matches()) {
      return ports.getOrDefault(Integer.parseInt(action), "port " + action);
    }
    if (RECIRC.matcher(action).matches()) {
      return "recirc";
    }
    Matcher v = VXLAN.matcher(action);
    if (v.matches()) {
      long vni = Long.parseLong(v.group(2), 16);
      return "vxlan(dst=" + v.group(1) + ",datapath=" + (vni >>> 12) + ",outport=" + (vni & 0xfff) + ")";
    }
    Matcher t = TUNNEL.matcher(action);
    if (t.matches()) {
      Matcher o = OPTION.matcher(t.group(3));
      String ports15 = "no option";
      if (o.find()) {
        long option = Long.parseLong(o.group(1), 16);
        ports15 = "inport=" + (option >>> 16) + ",outport=" + (option & 0xffff);
      }
      return "tunnel(dst=" + t.group(1) + ",vni=" + Long.parseLong(t.group(2), 16) + "," + ports15 + ")";
    }
    return action;
  }

  /** Splits at the commas outside parentheses. */
  private static List<String> split(String actions) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < actions.length(); i++) {
      char c = actions.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        out.add(actions.substring(start, i));
        start = i + 1;
      }
    }
    out.add(actions.substring(start));
    return out;
  }

  @Override
  public String toString() {
    return String.join(",", actions());
  }
}
