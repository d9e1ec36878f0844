package tenet.compiler.pipeline;

import static tenet.compiler.logical.Action.DROP;
import static tenet.compiler.logical.Action.NEXT;
import static tenet.compiler.logical.Action.OUTPUT;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tenet.compiler.logical.Action;
import tenet.compiler.logical.LogicalFlow;
import tenet.compiler.logical.Match;
import tenet.compiler.logical.Stage;

/**
 * The logical flows of one logical switch: port security in and out, ARP/ND answered for known
 * addresses, security group rules (see {@link AclStages}), L2 lookup, flooding of broadcast,
 * multicast and unknown destinations. Pure: config in, flows out.
 */
public final class SwitchPipeline {
  /** reg15 value meaning "every port of the switch". */
  public static final String FLOOD = "0xffff";
  private static final String MULTICAST_MAC = "01:00:00:00:00:00/01:00:00:00:00:00";

  private final SwitchConfig config;
  private final List<LogicalFlow> flows = new ArrayList<>();

  private SwitchPipeline(SwitchConfig config) {
    this.config = config;
  }

  public static List<LogicalFlow> compile(SwitchConfig config) {
    SwitchPipeline p = new SwitchPipeline(config);
    p.portSecurityIn();
    AclStages.compile(config, (stage, f) -> p.flows.add(
        new LogicalFlow(config.datapath(), stage, f.priority(), f.match(), f.actions())));
    p.arpNdResponder();
    p.l2Lookup();
    p.portSecurityOut();
    p.localToTheirPorts();
    LogicalFlow.sort(p.flows);
    return List.copyOf(p.flows);
  }

  private void add(Stage stage, int priority, Match match, Action... actions) {
    flows.add(new LogicalFlow(config.datapath(), stage, priority, match, List.of(actions)));
  }

  private static String key(SwitchConfig.Port port) {
    return Integer.toString(port.key());
  }

  /**
   * Port security of one direction for every port: the L2 check in {@code l2} (what passes it
   * gets {@code l2Pass}), then in {@code ip} one pass per address of the port; {@code extras}
   * adds the direction's own flows for each port with addresses, knowing which families it has.
   */
  private void portSecurity(Stage l2, Action l2Pass, Stage ip, String reg, String macField, String v4Field,
      String v6Field, Extras extras) {
    for (SwitchConfig.Port port : config.ports()) {
      Match self = Match.of(reg, key(port));
      add(l2, 50, port.portSecurity() ? self.and(macField, port.mac()) : self, l2Pass);
      if (!port.portSecurity() || port.ips().isEmpty()) {
        continue;
      }
      boolean v4 = false;
      boolean v6 = false;
      for (String address : port.ips()) {
        if (isV6(address)) {
          v6 = true;
          add(ip, 90, self.with("ipv6").and(v6Field, address), NEXT);
        } else {
          v4 = true;
          add(ip, 90, self.with("ip").and(v4Field, address), NEXT);
        }
      }
      extras.add(port, self, v4, v6);
    }
  }

  private interface Extras {
    void add(SwitchConfig.Port port, Match self, boolean v4, boolean v6);
  }

  private void portSecurityIn() {
    // A multicast source address is never legitimate, whatever the port.
    add(Stage.LS_IN_PORT_SEC_L2, 100, Match.of("dl_src", MULTICAST_MAC), DROP);
    portSecurity(Stage.LS_IN_PORT_SEC_L2, NEXT, Stage.LS_IN_PORT_SEC_IP, "reg14", "dl_src", "nw_src", "ipv6_src",
        (port, in, v4, v6) -> {
          if (v4) {
            for (String ip : port.ips()) {
              if (!isV6(ip)) {
                add(Stage.LS_IN_PORT_SEC_IP, 90, in.with("arp").and("arp_sha", port.mac()).and("arp_spa", ip), NEXT);
              }
            }
            // DHCP discovery before the port has its address.
            add(Stage.LS_IN_PORT_SEC_IP, 90, in.with("udp").and("nw_src", "0.0.0.0").and("nw_dst", "255.255.255.255")
                .and("tp_src", "68").and("tp_dst", "67"), NEXT);
            add(Stage.LS_IN_PORT_SEC_IP, 80, in.with("ip"), DROP);
            add(Stage.LS_IN_PORT_SEC_IP, 80, in.with("arp"), DROP);
          }
          if (v6) {
            // Link-local and unspecified sources: neighbour discovery and duplicate address detection.
            add(Stage.LS_IN_PORT_SEC_IP, 90, in.with("ipv6").and("ipv6_src", "fe80::/10"), NEXT);
            add(Stage.LS_IN_PORT_SEC_IP, 90, in.with("ipv6").and("ipv6_src", "::"), NEXT);
            add(Stage.LS_IN_PORT_SEC_IP, 80, in.with("ipv6"), DROP);
          }
        });
    add(Stage.LS_IN_PORT_SEC_L2, 0, Match.ANY, DROP);
    add(Stage.LS_IN_PORT_SEC_IP, 0, Match.ANY, NEXT);
  }

  /**
   * Requests for a known address are answered from its port's MAC, back to the asker. The owner
   * asking for its own address, and any duplicate address detection (a solicitation from ::),
   * reach the other ports instead: an answer would tell the asker its address is taken, while the
   * real owner, when there is one up, defends it itself. A solicitation whose hop limit is not
   * 255 may have been routed and must be ignored (RFC 4861 7.1.1): it is not answered either.
   */
  private void arpNdResponder() {
    boolean v6 = false;
    for (SwitchConfig.Port port : config.ports()) {
      for (String ip : port.ips()) {
        if (isV6(ip)) {
          v6 = true;
          Match ns = NdSolicitations.forTarget(ip);
          add(Stage.LS_IN_ARP_ND_RSP, 100, ns.and("reg14", key(port)), NEXT);
          add(Stage.LS_IN_ARP_ND_RSP, 50, ns.and("nw_ttl", "255"), new Action.NdReply(port.mac(), ip, port.router()));
        } else {
          Match request = Match.ANY.with("arp").and("arp_op", "1").and("arp_tpa", ip);
          add(Stage.LS_IN_ARP_ND_RSP, 100, request.and("reg14", key(port)), NEXT);
          add(Stage.LS_IN_ARP_ND_RSP, 50, request, new Action.ArpReply(port.mac(), ip));
        }
      }
    }
    if (v6) {
      add(Stage.LS_IN_ARP_ND_RSP, 100, NdSolicitations.DUPLICATE_ADDRESS_DETECTION, NEXT);
    }
    add(Stage.LS_IN_ARP_ND_RSP, 0, Match.ANY, NEXT);
  }

  private void l2Lookup() {
    add(Stage.LS_IN_L2_LKUP, 70, Match.of("dl_dst", MULTICAST_MAC), new Action.Set("reg15", FLOOD), OUTPUT);
    for (SwitchConfig.Port port : config.ports()) {
      add(Stage.LS_IN_L2_LKUP, 50, Match.of("dl_dst", port.mac()), new Action.Set("reg15", key(port)), OUTPUT);
    }
    add(Stage.LS_IN_L2_LKUP, 0, Match.ANY, new Action.Set("reg15", FLOOD), OUTPUT);
  }

  private void portSecurityOut() {
    // The last egress stage: what passes it is delivered.
    add(Stage.LS_OUT_PORT_SEC_L2, 100, Match.of("dl_dst", MULTICAST_MAC), OUTPUT);
    portSecurity(Stage.LS_OUT_PORT_SEC_L2, OUTPUT, Stage.LS_OUT_PORT_SEC_IP, "reg15", "dl_dst", "nw_dst", "ipv6_dst",
        (port, out, v4, v6) -> {
          if (v4) {
            add(Stage.LS_OUT_PORT_SEC_IP, 90, out.with("ip").and("nw_dst", "255.255.255.255"), NEXT);
            add(Stage.LS_OUT_PORT_SEC_IP, 90, out.with("ip").and("nw_dst", "224.0.0.0/4"), NEXT);
            add(Stage.LS_OUT_PORT_SEC_IP, 80, out.with("ip"), DROP);
          }
          if (v6) {
            add(Stage.LS_OUT_PORT_SEC_IP, 90, out.with("ipv6").and("ipv6_dst", "fe80::/10"), NEXT);
            add(Stage.LS_OUT_PORT_SEC_IP, 90, out.with("ipv6").and("ipv6_dst", "ff00::/8"), NEXT);
            add(Stage.LS_OUT_PORT_SEC_IP, 80, out.with("ipv6"), DROP);
          }
        });
    add(Stage.LS_OUT_PORT_SEC_IP, 0, Match.ANY, NEXT);
    add(Stage.LS_OUT_PORT_SEC_L2, 0, Match.ANY, DROP);
  }

  /**
   * A switch's ingress runs on the chassis where the packet's inport is plugged in, its egress
   * where its outport is (what comes through a tunnel starts at the egress, and only a local
   * outport leads there): a flow that matches a VM's port as inport in ingress, or as outport in
   * egress, can match on that port's chassis alone, and only that chassis gets it. At 40,000 ports two thirds of a chassis' rules were the
   * port security, ACLs and ARP exceptions of ports on other chassis. A router's port is
   * crossed on every chassis with the switch: its flows go to all of them.
   */
  private void localToTheirPorts() {
    Set<String> vms = new HashSet<>();
    for (SwitchConfig.Port port : config.ports()) {
      if (!port.router()) {
        vms.add(key(port));
      }
    }
    flows.replaceAll(flow -> {
      String self = flow.stage().ingress() ? "reg14" : "reg15";
      for (Match.Condition c : flow.match().conditions()) {
        if (c.field().equals(self) && vms.contains(c.value())) {
          return flow.localTo(Integer.parseInt(c.value()));
        }
      }
      return flow;
    });
  }

  private static boolean isV6(String ip) {
    return ip.indexOf(':') >= 0;
  }
}
