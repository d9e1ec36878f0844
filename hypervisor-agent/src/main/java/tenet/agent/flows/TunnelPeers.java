package tenet.agent.flows;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tenet.agent.v1.Flow;
import tenet.api.TunnelPorts;

/**
 * BFD on tunnels. Flow-based tunnel ports have no fixed peer, so BFD runs on one more Geneve
 * port per remote chassis; OVS then hands what that chassis sends to that port, and the agent's
 * own flow puts it back on the flow-based port's number before the controller's classify flows
 * see it. The peers are the chassis the controller's flows tunnel to.
 */
public final class TunnelPeers {
  /** Cookies of the agent's own flows: a datapath key no store allocates (24 bits all set). */
  public static final long LOCAL_COOKIE_BASE = 0xffffffL << 40;
  private static final Pattern TUN_DST = Pattern.compile("set_field:([0-9a-fA-F.:]+)->tun_dst");
  /** Every page of a full set is searched for it: made once, not once per flow. */
  private static final String GENEVE_OUTPUT = "output:" + TunnelPorts.GENEVE_OFPORT;

  private TunnelPeers() {}

  /** The tunnel addresses the controller's Geneve flows send to (VXLAN peers are left out). */
  public static Set<String> of(Collection<Flow> flows) {
    Set<String> out = new TreeSet<>();
    for (Flow f : flows) {
      if (!f.getActions().contains(GENEVE_OUTPUT)) {
        continue;
      }
      Matcher m = TUN_DST.matcher(f.getActions());
      while (m.find()) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  /** Whether a delta adds or removes a flow that tunnels (so the peers may have changed). */
  public static boolean touched(List<Flow> added, List<Flow> removed) {
    return java.util.stream.Stream.concat(added.stream(), removed.stream())
        .anyMatch(f -> f.getActions().contains("->tun_dst"));
  }

  /** For each BFD port (its ofport), the flow that reclassifies its packets as the Geneve port's. */
  public static List<Flow> reclassify(Map<String, Integer> bfdOfports) {
    return bfdOfports.values().stream().sorted().map(ofport -> Flow.newBuilder()
        .setCookie(LOCAL_COOKIE_BASE | ofport).setTable(0).setPriority(200).setMatch("in_port=" + ofport)
        .setActions("load:" + TunnelPorts.GENEVE_OFPORT + "->NXM_OF_IN_PORT[],resubmit(,0)").build()).toList();
  }

  /** The BFD port's interface name for a peer: "tenet-bfd-" and the address' hex (IPv4) or a hash. */
  public static String portName(String peer) {
    String[] parts = peer.split("\\.");
    if (parts.length == 4) {
      StringBuilder hex = new StringBuilder("tbfd");
      for (String p : parts) {
        hex.append(String.format("%02x", Integer.parseInt(p)));
      }
      return hex.toString();
    }
    return "tbfd" + Integer.toHexString(peer.hashCode());
  }
}
