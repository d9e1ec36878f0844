package tenet.compiler.specialize;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where one datapath's ports are plugged in, and the router patches on its side: all that
 * chassis views hold about this datapath. A switch has ports and the patches to the routers
 * attached to it; a router has only its patches.
 */
public record DatapathPlacement(int datapath, int tunnelOfport, List<BoundPort> ports, List<ChassisView.Patch> patches) {

  public DatapathPlacement {
    ports = List.copyOf(ports);
    patches = List.copyOf(patches);
  }

  /**
   * A port bound to {@code chassis}: plugged in at {@code ofport} (0: not yet), reached from
   * elsewhere at the chassis' {@code tunnelIp} (empty: the chassis is not registered).
   */
  public record BoundPort(ChassisView.PortRef port, String chassis, int ofport, String tunnelIp) {}

  /** The chassis some port of this datapath is bound to: each of them sees it its own way. */
  public Set<String> hosts() {
    Set<String> out = new TreeSet<>();
    ports.forEach(p -> out.add(p.chassis()));
    return out;
  }

  /**
   * What {@code chassis} sees of this datapath alone: its own plugged-in ports, the others' at
   * their tunnel IPs, the patches. Every chassis outside {@link #hosts()} sees the same.
   */
  public ChassisView viewFrom(String chassis) {
    Map<ChassisView.PortRef, Integer> local = new HashMap<>();
    Map<ChassisView.PortRef, String> remote = new HashMap<>();
    for (BoundPort p : ports) {
      if (!p.chassis().equals(chassis)) {
        if (!p.tunnelIp().isEmpty()) {
          remote.put(p.port(), p.tunnelIp());
        }
      } else if (p.ofport() != 0) {
        local.put(p.port(), p.ofport());
      }
    }
    return new ChassisView(chassis, tunnelOfport, local, remote, patches);
  }
}
