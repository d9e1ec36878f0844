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
 * through the VXLAN port ({@code vxlanOfport}, 0: this chassis has none). A router's gateway
 * port ({@code gateways}) is the one patch that is not crossed on every chassis, only on its
 * gateway chassis.
 */
public record ChassisView(
    String chassis,
    int tunnelOfport,
    int vxlanOfport,
    Map<PortRef, Integer> localPorts,
    Map<PortRef, String> remotePorts,
    List<Patch> patches,
    Set<String> vxlanPeers,
    List<Gateway> gateways) {

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
    gateways = List.copyOf(gateways);
    Set<Integer> routers = new java.util.HashSet<>();
    for (Gateway g : gateways) {
      if (!patches.contains(g.patch())) {
        throw new IllegalArgumentException(g + " is not one of the patches " + patches);
      }
      if (!routers.add(g.patch().routerDatapath())) {
        throw new IllegalArgumentException("router " + g.patch().routerDatapath() + " has more than one gateway port");
      }
      // The redirect port's key needs Geneve's 16-bit output port (GatewayPorts).
      if (vxlanPeers.contains(g.tunnelIp())) {
        throw new IllegalArgumentException(g + ": the redirect port is reached by Geneve only, not VXLAN");
      }
    }
  }

  /** A chassis that speaks Geneve only, without gateway ports. */
  public ChassisView(String chassis, int tunnelOfport, Map<PortRef, Integer> localPorts, Map<PortRef, String> remotePorts,
      List<Patch> patches) {
    this(chassis, tunnelOfport, 0, localPorts, remotePorts, patches, Set.of(), List.of());
  }

  /** A logical port: its datapath's tunnel key and its port key there. */
  public record PortRef(int datapath, int port) {}

  /**
   * A router attached to a switch: the switch sees the router as port {@code switchPort}, the
   * router sees the switch as port {@code routerPort}. Crossing it happens on this chassis.
   */
  public record Patch(int switchDatapath, int switchPort, int routerDatapath, int routerPort) {}

  /**
   * A router's gateway port ({@code patch}) and where it is: on this chassis ({@code here}),
   * or on the chassis at {@code tunnelIp}, to which what crosses it is tunnelled. {@code
   * tunnelIp} is empty when here, and when the gateway chassis is not registered or shares no
   * Geneve tunnel with this one: then nothing crosses the gateway port from here.
   */
  public record Gateway(Patch patch, boolean here, String tunnelIp) {
    public Gateway {
      if (here && !tunnelIp.isEmpty()) {
        throw new IllegalArgumentException("a gateway here is reached by no tunnel, not " + tunnelIp);
      }
    }

    /** Crossed on another chassis, reachable or not. */
    public boolean away() {
      return !here;
    }
  }
}
