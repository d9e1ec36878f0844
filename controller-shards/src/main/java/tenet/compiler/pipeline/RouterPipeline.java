package tenet.compiler.pipeline;

import static tenet.compiler.logical.Action.DEC_TTL;
import static tenet.compiler.logical.Action.DROP;
import static tenet.compiler.logical.Action.NEXT;
import static tenet.compiler.logical.Action.OUTPUT;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.IntFunction;
import tenet.compiler.logical.Action;
import tenet.compiler.logical.LogicalFlow;
import tenet.compiler.logical.Match;
import tenet.compiler.logical.Stage;
import tenet.store.core.net.Cidr;
import tenet.store.core.net.IpAddress;
import tenet.store.core.net.IpInterface;

/**
 * The logical flows of one distributed logical router: admission, ARP/ND and echo for its own
 * addresses, TTL, floating-IP DNAT, longest-prefix routing over connected networks and static
 * routes (IPv4 and IPv6), next-hop resolution from the known neighbours, the redirect of what
 * leaves by the gateway port to the gateway chassis, SNAT, delivery.
 * NAT is stateful, in the router's own conntrack zone ({@link ConntrackZones}), at the gateway
 * port only: the chassis views let packets through that port (in or out) on the gateway chassis
 * only, so a connection's NAT state lives in one conntrack. Every NAT action recirculates into
 * the next stage, so what follows sees the translated packet. Pure: config in, flows out.
 */
public final class RouterPipeline {
  private static final String MULTICAST_MAC = "01:00:00:00:00:00/01:00:00:00:00:00";

  private final RouterConfig config;
  private final List<LogicalFlow> flows = new ArrayList<>();

  private RouterPipeline(RouterConfig config) {
    this.config = config;
  }

  public static List<LogicalFlow> compile(RouterConfig config) {
    RouterPipeline p = new RouterPipeline(config);
    p.admission();
    p.unsnat();
    p.ipInput();
    p.dnat();
    p.routing();
    p.arpResolve();
    p.gatewayRedirect();
    p.undnat();
    p.snat();
    p.delivery();
    LogicalFlow.sort(p.flows);
    return List.copyOf(p.flows);
  }

  private void add(Stage stage, int priority, Match match, Action... actions) {
    flows.add(new LogicalFlow(config.datapath(), stage, priority, match, List.of(actions)));
  }

  private static String key(int k) {
    return Integer.toString(k);
  }

  private void admission() {
    add(Stage.LR_IN_ADMISSION, 100, Match.of("dl_src", MULTICAST_MAC), DROP);
    for (RouterConfig.Port port : config.ports()) {
      add(Stage.LR_IN_ADMISSION, 50, Match.of("reg14", key(port.key()), "dl_dst", port.mac()), NEXT);
      add(Stage.LR_IN_ADMISSION, 50, Match.of("reg14", key(port.key()), "dl_dst", MULTICAST_MAC), NEXT);
    }
    add(Stage.LR_IN_ADMISSION, 0, Match.ANY, DROP);
  }

  /**
   * What is addressed to an external address (an SNAT address or a floating IP) goes through the
   * router's zone before IP input looks at it: a reply of a connection SNATed to it gets its
   * logical destination back (it would otherwise be the router's own address, and dropped), a
   * later packet of a connection DNATed to a floating IP is translated like the first. A new
   * connection passes untranslated, for the DNAT stage.
   */
  private void unsnat() {
    Set<String> seen = new HashSet<>();
    for (RouterConfig.Nat nat : config.nats()) {
      boolean v6 = !IpAddress.parse(nat.externalIp()).isV4();
      Match toExternal = Match.of("reg14", key(nat.externalPort())).with(v6 ? "ipv6" : "ip")
          .and(v6 ? "ipv6_dst" : "nw_dst", nat.externalIp());
      if (seen.add(toExternal.toString())) { // several SNAT rules may share an address
        add(Stage.LR_IN_UNSNAT, 100, toExternal, nat(Action.CtNat::new));
      }
    }
    add(Stage.LR_IN_UNSNAT, 0, Match.ANY, NEXT);
  }

  /**
   * The router's own addresses: ARP, ND and echo for them are answered (ARP for floating IPs
   * too), anything else to them drops; so does what would leave with TTL 0. What is still
   * addressed to the router here is meant for it: un-SNAT translated the replies back.
   * ARP and ND are answered on the port that holds the address only; echo on every port, from
   * the MAC of the port the request came in (the reply goes back out of it). Duplicate address
   * detection is never answered (see SwitchPipeline's responder), nor a solicitation whose hop
   * limit says it was routed.
   */
  private void ipInput() {
    boolean v6 = false;
    for (RouterConfig.Port port : config.ports()) {
      for (String network : port.networks()) {
        IpInterface net = IpInterface.parse(network);
        String ip = net.address().toString();
        if (net.isV4()) {
          add(Stage.LR_IN_IP_INPUT, 90, Match.of("reg14", key(port.key())).with("arp").and("arp_op", "1")
              .and("arp_tpa", ip), new Action.ArpReply(port.mac(), ip));
          add(Stage.LR_IN_IP_INPUT, 60, Match.ANY.with("ip").and("nw_dst", ip), DROP);
        } else {
          v6 = true;
          add(Stage.LR_IN_IP_INPUT, 90, Match.of("reg14", key(port.key())).and(NdSolicitations.forTarget(ip))
              .and("nw_ttl", "255"), new Action.NdReply(port.mac(), ip, true));
          add(Stage.LR_IN_IP_INPUT, 60, Match.ANY.with("ipv6").and("ipv6_dst", ip), DROP);
        }
        for (RouterConfig.Port in : config.ports()) {
          Match echo = Match.of("reg14", key(in.key()));
          echo = net.isV4() ? echo.with("icmp").and("nw_dst", ip).and("icmp_type", "8")
              : echo.with("icmp6").and("ipv6_dst", ip).and("icmp_type", "128");
          add(Stage.LR_IN_IP_INPUT, 90, echo.and("icmp_code", "0"), new Action.EchoReply(in.mac(), ip));
        }
      }
    }
    if (v6) {
      add(Stage.LR_IN_IP_INPUT, 100, NdSolicitations.DUPLICATE_ADDRESS_DETECTION, DROP);
    }
    // A floating IP is answered for on its external port, as if the router held it.
    for (RouterConfig.Nat nat : config.nats()) {
      if (nat.floating() && IpAddress.parse(nat.externalIp()).isV4()) {
        String mac = config.ports().stream().filter(p -> p.key() == nat.externalPort())
            .findFirst().orElseThrow().mac();
        add(Stage.LR_IN_IP_INPUT, 90, Match.of("reg14", key(nat.externalPort())).with("arp").and("arp_op", "1")
            .and("arp_tpa", nat.externalIp()), new Action.ArpReply(mac, nat.externalIp()));
      }
    }
    // A packet that would leave with TTL 0 dies here (ICMP time exceeded is not sent yet).
    add(Stage.LR_IN_IP_INPUT, 30, Match.ANY.with("ip").and("nw_ttl", "0"), DROP);
    add(Stage.LR_IN_IP_INPUT, 30, Match.ANY.with("ip").and("nw_ttl", "1"), DROP);
    add(Stage.LR_IN_IP_INPUT, 30, Match.ANY.with("ipv6").and("nw_ttl", "0"), DROP);
    add(Stage.LR_IN_IP_INPUT, 30, Match.ANY.with("ipv6").and("nw_ttl", "1"), DROP);
    add(Stage.LR_IN_IP_INPUT, 0, Match.ANY, NEXT);
  }

  /** A new connection to a floating IP: only those still have it as destination after un-SNAT. */
  private void dnat() {
    for (RouterConfig.Nat nat : config.nats()) {
      if (nat.floating()) {
        boolean v6 = !IpAddress.parse(nat.externalIp()).isV4();
        Match toFloating = Match.of("reg14", key(nat.externalPort())).with(v6 ? "ipv6" : "ip")
            .and(v6 ? "ipv6_dst" : "nw_dst", nat.externalIp());
        add(Stage.LR_IN_DNAT, 100, toFloating, nat(zone -> new Action.CtDnat(zone, nat.logicalIp())));
      }
    }
    add(Stage.LR_IN_DNAT, 0, Match.ANY, NEXT);
  }

  /**
   * Longest prefix first: priority 2 × length + 2 for a connected network, + 1 for a static route
   * (a connected network wins at equal length); 0 is the drop of what no route covers.
   */
  private void routing() {
    for (RouterConfig.Port port : config.ports()) {
      for (String network : port.networks()) {
        Cidr subnet = IpInterface.parse(network).subnet();
        boolean v6 = !subnet.isV4();
        add(Stage.LR_IN_IP_ROUTING, 2 * subnet.prefixLength() + 2,
            Match.ANY.with(v6 ? "ipv6" : "ip").and(v6 ? "ipv6_dst" : "nw_dst", subnet.toString()),
            DEC_TTL, new Action.Move(v6 ? "ipv6_dst" : "nw_dst", v6 ? "xxreg0" : "reg0"),
            new Action.Set("reg15", key(port.key())), new Action.Set("dl_src", port.mac()), NEXT);
      }
    }
    for (RouterConfig.Route route : config.routes()) {
      Cidr prefix = Cidr.parse(route.prefix());
      boolean v6 = !prefix.isV4();
      add(Stage.LR_IN_IP_ROUTING, 2 * prefix.prefixLength() + 1,
          Match.ANY.with(v6 ? "ipv6" : "ip").and(v6 ? "ipv6_dst" : "nw_dst", prefix.toString()),
          DEC_TTL, new Action.Set(v6 ? "xxreg0" : "reg0", route.nexthop()),
          new Action.Set("reg15", key(route.outPort())), new Action.Set("dl_src", route.outMac()), NEXT);
    }
    add(Stage.LR_IN_IP_ROUTING, 0, Match.ANY, DROP);
  }

  private void arpResolve() {
    for (RouterConfig.Port port : config.ports()) {
      for (RouterConfig.Neighbour n : port.neighbours()) {
        boolean v6 = !IpAddress.parse(n.ip()).isV4();
        add(Stage.LR_IN_ARP_RESOLVE, 100, Match.of("reg15", key(port.key()), v6 ? "xxreg0" : "reg0", n.ip()),
            new Action.Set("dl_dst", n.mac()), NEXT);
      }
    }
    // An unknown next hop: no ARP request yet, the packet is dropped.
    add(Stage.LR_IN_ARP_RESOLVE, 0, Match.ANY, DROP);
  }

  /**
   * Out of the gateway port means out of its redirect port ({@link GatewayPorts}): only the
   * gateway chassis has it, so the router's egress through the gateway port (un-DNAT, SNAT, into
   * the uplink switch) runs there, in that chassis' conntrack, whichever chassis routed the
   * packet. The other ports are the router's on every chassis.
   */
  private void gatewayRedirect() {
    for (RouterConfig.Port port : config.ports()) {
      if (port.gateway()) {
        add(Stage.LR_IN_GW_REDIRECT, 50, Match.of("reg15", key(port.key())),
            new Action.Set("reg15", key(GatewayPorts.redirectKey(port.key()))), OUTPUT);
      }
    }
    add(Stage.LR_IN_GW_REDIRECT, 0, Match.ANY, OUTPUT);
  }

  /**
   * A floating IP's VM leaving by the external port: its reply to a connection DNATed to the
   * floating IP gets the floating IP back as source, a later packet of its own connection out
   * gets that connection's SNAT. A new connection passes untranslated, for the SNAT stage.
   */
  private void undnat() {
    for (RouterConfig.Nat nat : config.nats()) {
      if (nat.floating()) {
        boolean v6 = !IpAddress.parse(nat.externalIp()).isV4();
        add(Stage.LR_OUT_UNDNAT, 100, Match.of("reg15", key(nat.externalPort())).with(v6 ? "ipv6" : "ip")
            .and(v6 ? "ipv6_src" : "nw_src", nat.logicalIp()), nat(Action.CtNat::new));
      }
    }
    add(Stage.LR_OUT_UNDNAT, 0, Match.ANY, NEXT);
  }

  /**
   * A new connection out of the external port from a logical address: a floating IP's VM
   * leaves as its floating IP, the others as their rule's SNAT address (the longest logical
   * prefix wins). Never a reply ({@code ct_state=-rpl}, as OVN's {@code !ct.rpl}): un-DNAT
   * translated those already, they must not start a connection of their own.
   */
  private void snat() {
    for (RouterConfig.Nat nat : config.nats()) {
      boolean v6 = !IpAddress.parse(nat.externalIp()).isV4();
      Match fromLogical = Match.of("reg15", key(nat.externalPort())).with(v6 ? "ipv6" : "ip")
          .and(v6 ? "ipv6_src" : "nw_src", nat.logicalIp()).and("ct_state", "-rpl");
      int priority = nat.floating() ? 200 : 100 + Cidr.parse(nat.logicalIp()).prefixLength();
      add(Stage.LR_OUT_SNAT, priority, fromLogical, nat(zone -> new Action.CtSnat(zone, nat.externalIp())));
    }
    add(Stage.LR_OUT_SNAT, 0, Match.ANY, NEXT);
  }

  /**
   * A NAT action in this router's conntrack zone; a router without a zone of its own (tunnel key
   * above 32767) drops what it would translate rather than share a zone with another tenant.
   */
  private Action nat(IntFunction<Action> inZone) {
    OptionalInt zone = ConntrackZones.router(config.datapath().tunnelKey());
    return zone.isPresent() ? inZone.apply(zone.getAsInt()) : DROP;
  }

  private void delivery() {
    for (RouterConfig.Port port : config.ports()) {
      add(Stage.LR_OUT_DELIVERY, 100, Match.of("reg15", key(port.key())), OUTPUT);
    }
    add(Stage.LR_OUT_DELIVERY, 0, Match.ANY, DROP);
  }
}
