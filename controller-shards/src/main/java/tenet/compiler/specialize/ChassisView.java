package tenet.compiler.specialize;

import java.util.List;
import java.util.Map;
import java.util.Set;
import tenet.compiler.pipeline.ConntrackZones;

/**
 * What one hypervisor's flows depend on besides the logical flows: which logical ports are
 * plugged in here (and at which ofport), where the others are (which chassis' tunnel IP), and
 * how switches and routers are patched together. Remote chassis are reached by Geneve, except
 * the {@code vxlanPeers} (tunnel IPs of chassis that share only VXLAN with this one), reached
 * through the VXLAN port ({@code vxlanOfport}, 0: this chassis has none).
 */
public record ChassisView(
    String chassis,
    int tunnelOfport,
    int vxlanOfport,
    Map<PortRef, Integer> localPorts,
    Map<PortRef, String> remotePorts,
    List<Patch> patches,
    Set<String> vxlanPeers) {

  public ChassisView {
    localPorts.forEach((port, ofport) -> {
      if (!ConntrackZones.portZone(ofport)) {
        throw new IllegalArgumentException(port + " at ofport " + ofport + ": a VIF's ofport is its conntrack zone, "
            + "1.." + ConntrackZones.MAX_PORT_ZONE + " (the zones above are routers')");
      }
    });
    localPorts = Map.copyOf(localPorts);
    remotePorts = Map.copyOf(remotePorts);
    patches = List.copyOf(patches);
    vxlanPeers = Set.copyOf(vxlanPeers);
    if (!vxlanPeers.isEmpty() && vxlanOfport == 0) {
      throw new IllegalArgumentException("VXLAN peers " + vxlanPeers + " but no VXLAN port");
    }
  }

  /** A chassis that speaks Geneve only. */
  public ChassisView(String chassis, int tunnelOfport, Map<PortRef, Integer> localPorts, Map<PortRef, String> remotePorts,
      List<Patch> patches) {
    this(chassis, tunnelOfport, 0, localPorts, remotePorts, patches, Set.of());
  }

  /** A logical port: its datapath's tunnel key and its port key there. */
  public record PortRef(int datapath, int port) {}

  /**
   * A router attached to a switch: the switch sees the router as port {@code switchPort}, the
   * router sees the switch as port {@code routerPort}. Crossing it happens on this chassis.
   */
  public record Patch(int switchDatapath, int switchPort, int routerDatapath, int routerPort) {}
}
