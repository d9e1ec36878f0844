package tenet.agent.ovs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import tenet.api.TunnelPorts;
import tenet.api.v1.Encapsulation;

/**
 * Creates what the agent owns in OVS, idempotently: the integration bridge (secure fail mode:
 * without flows nothing passes) and the flow-based tunnel ports at the port numbers the
 * controller's rules name, and the Geneve option's TLV map.
 */
public final class BridgeSetup {
  public static final String GENEVE_PORT = "tenet-geneve";
  public static final String VXLAN_PORT = "tenet-vxlan";

  private BridgeSetup() {}

  public static void ensure(OvsCommands ovs, String datapathType, String tunnelIp, List<Encapsulation> encaps)
      throws IOException {
    String br = ovs.bridge();
    List<String> args = new ArrayList<>(List.of("--may-exist", "add-br", br, "--", "set", "bridge", br,
        "datapath_type=" + datapathType, "fail_mode=secure", "protocols=OpenFlow15",
        "other_config:disable-in-band=true"));
    if (encaps.contains(Encapsulation.GENEVE)) {
      tunnel(args, br, GENEVE_PORT, "geneve", TunnelPorts.GENEVE_OFPORT, tunnelIp);
    }
    if (encaps.contains(Encapsulation.VXLAN)) {
      tunnel(args, br, VXLAN_PORT, "vxlan", TunnelPorts.VXLAN_OFPORT, tunnelIp);
    }
    ovs.vsctl(args.toArray(String[]::new));
    if (!ovs.ofctl("dump-tlv-map", br).contains("0x102")) {
      ovs.ofctl("add-tlv-map", br, TunnelPorts.GENEVE_TLV_MAP);
    }
  }

  private static void tunnel(List<String> args, String br, String name, String type, int ofport, String localIp) {
    args.addAll(List.of("--", "--may-exist", "add-port", br, name, "--", "set", "interface", name, "type=" + type,
        "options:remote_ip=flow", "options:key=flow", "options:local_ip=" + localIp, "ofport_request=" + ofport));
  }
}
