package tenet.agent.ovs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tenet.agent.flows.TunnelPeers;
import tenet.agent.v1.TunnelHealth;

/**
 * One Geneve port with BFD per remote chassis (see {@link TunnelPeers}), created and removed as
 * the controller's flows start and stop tunnelling to it. {@code ovs-vsctl get interface
 * tbfd... bfd_status} shows each peer's liveness.
 */
public final class BfdPorts {
  private static final String PREFIX = "tbfd";
  private final OvsCommands ovs;
  private final String localIp;
  private Set<String> peers = Set.of();
  private Map<String, Integer> ofports = Map.of();

  public BfdPorts(OvsCommands ovs, String localIp) {
    this.ovs = ovs;
    this.localIp = localIp;
  }

  /**
   * BFD's view of each peer's tunnel, sorted by peer, in one request to OVS: a port whose
   * session has not started yet (no bfd_status) is "down", not forwarding.
   */
  public List<TunnelHealth> health() throws IOException {
    if (peers.isEmpty()) {
      return List.of();
    }
    Map<String, Map<String, String>> status = BfdStatus.parse(
        ovs.vsctl("--columns=name,bfd_status", "find", "interface", "type=geneve"));
    List<TunnelHealth> out = new ArrayList<>();
    for (String peer : new TreeSet<>(peers)) {
      Map<String, String> s = status.getOrDefault(TunnelPeers.portName(peer), Map.of());
      out.add(TunnelHealth.newBuilder().setRemoteIp(peer).setBfdState(s.getOrDefault("state", "down"))
          .setForwarding("true".equals(s.get("forwarding"))).build());
    }
    return out;
  }

  /** Makes the bridge hold exactly the BFD ports of {@code wanted}; returns peer → ofport. */
  public Map<String, Integer> reconcile(Set<String> wanted) throws IOException {
    if (wanted.equals(peers)) {
      return ofports;
    }
    Map<String, String> names = new HashMap<>();
    wanted.forEach(p -> names.put(TunnelPeers.portName(p), p));
    for (String port : ovs.vsctl("list-ports", ovs.bridge()).split("\n")) {
      if (port.startsWith(PREFIX) && !names.containsKey(port)) {
        ovs.vsctl("--if-exists", "del-port", ovs.bridge(), port);
      }
    }
    Map<String, Integer> next = new HashMap<>();
    for (Map.Entry<String, String> e : names.entrySet()) {
      String name = e.getKey();
      ovs.vsctl("--may-exist", "add-port", ovs.bridge(), name, "--", "set", "interface", name, "type=geneve",
          "options:remote_ip=" + e.getValue(), "options:key=flow", "options:local_ip=" + localIp, "bfd:enable=true");
      next.put(e.getValue(), Integer.parseInt(ovs.vsctl("get", "interface", name, "ofport").strip()));
    }
    peers = Set.copyOf(wanted);
    ofports = Map.copyOf(next);
    return ofports;
  }
}
