package tenet.compiler.input;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import tenet.api.v1.Encapsulation;
import tenet.compiler.pipeline.ConntrackZones;
import tenet.compiler.specialize.ChassisView;

/**
 * Where one datapath's ports are plugged in, the router patches on its side and where the
 * gateway ports among them are crossed: all that chassis views hold about this datapath. A
 * switch has ports and the patches to the routers attached to it; a router has only its patches.
 */
public record DatapathPlacement(int datapath, List<BoundPort> ports, List<ChassisView.Patch> patches,
    List<GatewayPort> gateways) {

  public DatapathPlacement {
    ports = List.copyOf(ports);
    patches = List.copyOf(patches);
    gateways = List.copyOf(gateways);
  }

  /**
   * A port bound to {@code chassis}: plugged in at {@code ofport} (0: not yet), reached from
   * elsewhere at the chassis' {@code tunnelIp} by one of its {@code encapsulations} (none: the
   * chassis is not registered).
   */
  public record BoundPort(ChassisView.PortRef port, String chassis, int ofport, String tunnelIp,
      Set<Encapsulation> encapsulations) {
    public BoundPort {
      encapsulations = Set.copyOf(encapsulations);
    }
  }

  /**
   * A gateway port ({@code patch}) and its gateway chassis, with that chassis' tunnel IP and
   * encapsulations (none: not registered).
   */
  public record GatewayPort(ChassisView.Patch patch, String chassis, String tunnelIp, Set<Encapsulation> encapsulations) {
    public GatewayPort {
      encapsulations = Set.copyOf(encapsulations);
    }
  }

  /**
   * The chassis some port of this datapath is bound to, and the gateway chassis of its gateway
   * ports, with their encapsulations: each sees the datapath its own way.
   */
  public Map<String, Set<Encapsulation>> hosts() {
    Map<String, Set<Encapsulation>> out = new TreeMap<>();
    ports.forEach(p -> out.put(p.chassis(), p.encapsulations()));
    gateways.forEach(g -> out.put(g.chassis(), g.encapsulations()));
    return out;
  }

  /**
   * What {@code chassis}, which speaks {@code here}, sees of this datapath alone: its own
   * plugged-in ports, the others' at their tunnel IPs by the encapsulation both ends share, the
   * patches. Every chassis outside {@link #hosts()} that speaks the same sees the same.
   */
  public ChassisView viewFrom(String chassis, Set<Encapsulation> here) {
    Map<ChassisView.PortRef, Integer> local = new HashMap<>();
    Map<ChassisView.PortRef, String> remote = new HashMap<>();
    Set<String> vxlanPeers = new TreeSet<>();
    for (BoundPort p : ports) {
      if (!p.chassis().equals(chassis)) {
        switch (ChassisViews.encapsulation(here, p.encapsulations(), p.port())) {
          case GENEVE -> remote.put(p.port(), p.tunnelIp());
          case VXLAN -> {
            remote.put(p.port(), p.tunnelIp());
            vxlanPeers.add(p.tunnelIp());
          }
          default -> { } // no common tunnel: unreachable from there
        }
      } else if (ConntrackZones.portZone(p.ofport())) {
        local.put(p.port(), p.ofport()); // else not plugged in yet, or at an ofport ChassisViews refuses too
      }
    }
    List<ChassisView.Gateway> crossings = new ArrayList<>();
    for (GatewayPort g : gateways) {
      // As ChassisViews places a gateway: the redirect port's key needs Geneve on both ends.
      boolean reachable = here.contains(Encapsulation.GENEVE) && g.encapsulations().contains(Encapsulation.GENEVE);
      crossings.add(g.chassis().equals(chassis) ? new ChassisView.Gateway(g.patch(), true, "")
          : new ChassisView.Gateway(g.patch(), false, reachable ? g.tunnelIp() : ""));
    }
    return new ChassisView(chassis, ChassisViews.GENEVE_OFPORT,
        here.contains(Encapsulation.VXLAN) ? ChassisViews.VXLAN_OFPORT : 0, local, remote, patches, vxlanPeers, crossings);
  }
}
