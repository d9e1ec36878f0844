package tenet.compiler.pipeline;

import java.util.List;
import tenet.compiler.logical.Datapath;

/**
 * Everything the switch pipeline depends on, and nothing else: when this value is unchanged,
 * so are the switch's logical flows.
 */
public record SwitchConfig(Datapath datapath, List<Port> ports) {
  public SwitchConfig {
    ports = List.copyOf(ports);
  }

  /**
   * A port of the switch: a VM's port, or a router attached to the switch (whose key is the
   * router port's switch_port_key, and which is trusted: no port security).
   */
  public record Port(String name, int key, String mac, List<String> ips, boolean portSecurity, boolean router) {
    public Port {
      ips = List.copyOf(ips);
    }
  }
}
