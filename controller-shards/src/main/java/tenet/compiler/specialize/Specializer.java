package tenet.compiler.specialize;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import tenet.compiler.logical.Action;
import tenet.compiler.logical.LogicalFlow;
import tenet.compiler.logical.Match;
import tenet.compiler.logical.Stage;
import tenet.compiler.pipeline.GatewayPorts;
import tenet.store.core.net.IpAddress;

/**
 * Logical flows × one chassis' view → that chassis' OpenFlow rules, following the table layout of
 * docs/pipeline.md. Pure: the same inputs give the same rules, in the same order.
 */
public final class Specializer {
  public static final int CLASSIFY = 0;
  /** Finishes a neighbour advertisement the pipeline built (its link-layer option), then OUTPUT_REMOTE. */
  public static final int ND_ADVERT = 32;
  public static final int OUTPUT_REMOTE = 37;
  public static final int OUTPUT_LOCAL = 38;
  public static final int DELIVER = 64;
  private static final String FLOOD = "0xffff";
  private static final int VXLAN_FLOOD = 0xfff;
  // Geneve option 0x0102/0x80 mapped to tun_metadata0 by the agent: inport in bits 16..30, outport in 0..15.
  private static final String TUN_INPORT = "NXM_NX_TUN_METADATA0[16..30]";
  private static final String TUN_OUTPORT = "NXM_NX_TUN_METADATA0[0..15]";
  private static final Pattern REGISTER = Pattern.compile("x{0,2}reg\\d+");

  private final ChassisView view;
  private final List<OpenFlowRule> rules = new ArrayList<>();

  private Specializer(ChassisView view) {
    this.view = view;
  }

  /** A chassis' rules: the logical flows' it needs (those about its own VM ports, and all others), then its own. */
  public static List<OpenFlowRule> specialize(Collection<LogicalFlow> logical, ChassisView view) {
    List<OpenFlowRule> out = new ArrayList<>();
    for (OpenFlowRule rule : datapathRules(logical)) {
      if (rule.localPort() == 0 || view.localPorts().containsKey(new ChassisView.PortRef(rule.datapath(), rule.localPort()))) {
        out.add(rule);
      }
    }
    out.addAll(chassisRules(view));
    out.sort(null);
    return List.copyOf(out);
  }

  /**
   * The rules of logical flows, the same on every chassis that needs them: computed once per
   * datapath, shared by all its chassis; a rule about one VM's port ({@link OpenFlowRule#localPort})
   * is for that port's chassis only.
   */
  public static List<OpenFlowRule> datapathRules(Collection<LogicalFlow> logical) {
    Specializer s = new Specializer(null);
    for (LogicalFlow flow : logical) {
      s.logical(flow);
    }
    s.rules.sort(null);
    return List.copyOf(s.rules);
  }

  /** The rules only this chassis has: where packets enter, leave through tunnels, and are delivered. */
  public static List<OpenFlowRule> chassisRules(ChassisView view) {
    Specializer s = new Specializer(view);
    s.classify();
    s.neighbourAdvertisements();
    s.outputs();
    s.deliver();
    s.rules.sort(null);
    return List.copyOf(s.rules);
  }

  /** A rule about {@code datapath} (0: about none), its cookie given here once (OpenFlowRule.of). */
  private void add(int datapath, int table, int priority, String match, String actions) {
    rules.add(OpenFlowRule.of(datapath, table, priority, match, actions));
  }

  private void logical(LogicalFlow flow) {
    int dp = flow.datapath().tunnelKey();
    StringBuilder match = new StringBuilder("metadata=").append(dp);
    for (Match.Condition c : flow.match().conditions()) {
      match.append(',').append(c.field());
      if (!c.value().isEmpty()) {
        match.append('=').append(value(c.field(), c.value()));
      }
    }
    List<String> actions = new ArrayList<>();
    for (Action a : flow.actions()) {
      actions.add(translate(a, flow.stage()));
    }
    rules.add(OpenFlowRule.of(dp, flow.stage().table(), flow.priority(), match.toString(), String.join(",", actions))
        .localTo(flow.localPort()));
  }

  private static String translate(Action action, Stage stage) {
    return switch (action) {
      case Action.Next n -> "resubmit(," + next(stage) + ")";
      case Action.Output o -> stage.ingress() ? "resubmit(," + OUTPUT_REMOTE + ")" : "resubmit(," + DELIVER + ")";
      case Action.Drop d -> "drop";
      case Action.Set s -> "set_field:" + value(s.field(), s.value()) + "->" + s.field();
      case Action.Move m -> "move:" + nxm(m.from()) + "->" + nxm(m.to());
      case Action.DecTtl d -> "dec_ttl";
      case Action.CtNext c -> "ct(table=" + next(stage) + ",zone=NXM_NX_REG13[0..15])";
      case Action.CtCommit c -> "ct(commit,zone=NXM_NX_REG13[0..15])";
      // NAT recirculates into the next stage: the flow tables see the translated addresses only
      // in a packet that came back from conntrack.
      case Action.CtSnat c -> natNext(stage, "commit,", c.zone(), "nat(src=" + address(c.ip()) + ")");
      case Action.CtDnat c -> natNext(stage, "commit,", c.zone(), "nat(dst=" + address(c.ip()) + ")");
      case Action.CtNat c -> natNext(stage, "", c.zone(), "nat");
      // TCP RST and ICMP unreachable embed the offending packet, which OpenFlow cannot build:
      // the packet goes to the controller connection (nothing answers it yet).
      case Action.Reject r -> "controller(reason=no_match)";
      case Action.ArpReply r -> Responders.arp(r);
      case Action.NdReply r -> Responders.neighbourAdvertisement(r);
      case Action.EchoReply e -> Responders.echo(e);
    };
  }

  /** The table of the stage after {@code stage}, which must have one. */
  private static int next(Stage stage) {
    if (stage.last()) {
      throw new IllegalArgumentException("next in " + stage.label() + ", the last stage of its pipeline");
    }
    return stage.table() + 1;
  }

  private static String natNext(Stage stage, String commit, int zone, String nat) {
    return "ct(" + commit + "table=" + next(stage) + ",zone=" + zone + "," + nat + ")";
  }

  /** An address in a ct nat() range: IPv6 in brackets, as ovs-ofctl writes it. */
  private static String address(String ip) {
    return ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip;
  }

  /**
   * A value as ovs-ofctl reads it for {@code field}: registers take numbers only, so an address
   * kept in one (the next hop in reg0 / xxreg0) becomes its hexadecimal value.
   */
  private static String value(String field, String value) {
    if (REGISTER.matcher(field).matches() && (value.indexOf('.') >= 0 || value.indexOf(':') >= 0)) {
      return "0x" + IpAddress.parse(value).value().toString(16);
    }
    return value;
  }

  private static String nxm(String field) {
    return switch (field) {
      case "nw_dst" -> "NXM_OF_IP_DST[]";
      case "nw_src" -> "NXM_OF_IP_SRC[]";
      case "ipv6_dst" -> "NXM_NX_IPV6_DST[]";
      case "ipv6_src" -> "NXM_NX_IPV6_SRC[]";
      case "reg0" -> "NXM_NX_REG0[]";
      case "xxreg0" -> "NXM_NX_XXREG0[]";
      default -> throw new IllegalArgumentException("no NXM name for " + field);
    };
  }

  /** Table 0: where a packet enters this chassis. */
  private void classify() {
    for (Map.Entry<ChassisView.PortRef, Integer> e : sorted(view.localPorts()).entrySet()) {
      ChassisView.PortRef p = e.getKey();
      int ofport = e.getValue();
      add(p.datapath(), CLASSIFY, 100, "in_port=" + ofport,
          "set_field:" + p.datapath() + "->metadata,set_field:" + p.port() + "->reg14,set_field:" + ofport
              + "->reg13,resubmit(," + Stage.INGRESS_TABLE + ")");
    }
    for (int dp : tunnelDatapaths()) {
      add(dp, CLASSIFY, 100, "in_port=" + view.tunnelOfport() + ",tun_id=" + dp,
          "set_field:" + dp + "->metadata,move:" + TUN_INPORT + "->NXM_NX_REG14[0..14],move:" + TUN_OUTPORT
              + "->NXM_NX_REG15[0..15],load:1->NXM_NX_REG10[0],resubmit(," + OUTPUT_LOCAL + ")");
    }
    if (view.vxlanOfport() != 0) {
      // VXLAN has no room for options: the VNI carries the datapath (high 12 bits) and the
      // output port (low 12, 0xfff = flood); the input port is unknown (0) at this end.
      for (int dp : tunnelDatapaths()) {
        String arrive = "in_port=" + view.vxlanOfport() + ",tun_id=";
        add(dp, CLASSIFY, 110, arrive + hex((long) dp << 12 | VXLAN_FLOOD),
            "set_field:" + dp + "->metadata,set_field:" + FLOOD + "->reg15,load:1->NXM_NX_REG10[0],resubmit(,"
                + OUTPUT_LOCAL + ")");
        add(dp, CLASSIFY, 100, arrive + hex((long) dp << 12) + "/0xfff000",
            "set_field:" + dp + "->metadata,move:NXM_NX_TUN_ID[0..11]->NXM_NX_REG15[0..11],load:1->NXM_NX_REG10[0],"
                + "resubmit(," + OUTPUT_LOCAL + ")");
      }
    }
    add(0, CLASSIFY, 0, "", "drop");
  }

  /** Table 32: finishes the neighbour advertisements {@link Responders} build. */
  private void neighbourAdvertisements() {
    add(0, ND_ADVERT, 100, Responders.TLL_MATCH, Responders.TLL_ACTIONS);
    add(0, ND_ADVERT, 0, "", "resubmit(," + OUTPUT_REMOTE + ")");
  }

  /** Tables 37 and 38: to another chassis through the tunnel, or to the local egress pipeline. */
  private void outputs() {
    for (Map.Entry<ChassisView.PortRef, String> e : sorted(view.remotePorts()).entrySet()) {
      ChassisView.PortRef p = e.getKey();
      add(p.datapath(), OUTPUT_REMOTE, 100,
          "metadata=" + p.datapath() + ",reg15=" + p.port(), encapsulate(p.datapath(), e.getValue()));
    }
    // Flood: one copy to every other chassis with ports on the switch (not when it came from a
    // tunnel: the source chassis already sent those), then the local copies.
    Map<Integer, TreeSet<String>> chassisPerDatapath = new TreeMap<>();
    view.remotePorts().forEach((p, ip) -> chassisPerDatapath.computeIfAbsent(p.datapath(), d -> new TreeSet<>()).add(ip));
    for (ChassisView.Gateway g : view.gateways()) {
      if (g.away() && !g.tunnelIp().isEmpty()) {
        gatewayElsewhere(g);
        // The router's copy of a flood on the uplink switch is taken on the gateway chassis.
        chassisPerDatapath.computeIfAbsent(g.patch().switchDatapath(), d -> new TreeSet<>()).add(g.tunnelIp());
      }
    }
    for (Map.Entry<Integer, TreeSet<String>> e : chassisPerDatapath.entrySet()) {
      List<String> copies = new ArrayList<>();
      for (String ip : e.getValue()) {
        copies.add(encapsulate(e.getKey(), ip));
      }
      copies.add("resubmit(," + OUTPUT_LOCAL + ")");
      add(e.getKey(), OUTPUT_REMOTE, 110,
          "metadata=" + e.getKey() + ",reg15=" + FLOOD + ",reg10=0/1", String.join(",", copies));
    }
    add(0, OUTPUT_REMOTE, 0, "", "resubmit(," + OUTPUT_LOCAL + ")");

    Map<Integer, List<String>> floodLocal = new TreeMap<>();
    Map<Integer, List<String>> floodPatches = new TreeMap<>();
    for (Map.Entry<ChassisView.PortRef, Integer> e : sorted(view.localPorts()).entrySet()) {
      ChassisView.PortRef p = e.getKey();
      String egress = "set_field:" + e.getValue() + "->reg13,resubmit(," + Stage.EGRESS_TABLE + ")";
      add(p.datapath(), OUTPUT_LOCAL, 100, "metadata=" + p.datapath() + ",reg15=" + p.port(), egress);
      floodLocal.computeIfAbsent(p.datapath(), d -> new ArrayList<>())
          .add("set_field:" + p.port() + "->reg15," + egress);
    }
    for (ChassisView.Gateway g : view.gateways()) {
      if (g.here()) {
        // The redirect port is this chassis': back to the gateway port, into the router's egress.
        ChassisView.Patch p = g.patch();
        add(p.routerDatapath(), OUTPUT_LOCAL, 100,
            "metadata=" + p.routerDatapath() + ",reg15=" + GatewayPorts.redirectKey(p.routerPort()),
            "set_field:" + p.routerPort() + "->reg15,resubmit(," + Stage.EGRESS_TABLE + ")");
      }
    }
    Map<Integer, List<String>> floodGateways = new TreeMap<>();
    for (ChassisView.Patch patch : crossedHere()) {
      // The router is present on every chassis: the switch's copy for it never leaves this one
      // (a gateway port's, on its gateway chassis only).
      String toRouter = "resubmit(," + Stage.EGRESS_TABLE + ")";
      add(patch.switchDatapath(), OUTPUT_LOCAL, 100,
          "metadata=" + patch.switchDatapath() + ",reg15=" + patch.switchPort(), toRouter);
      add(patch.routerDatapath(), OUTPUT_LOCAL, 100,
          "metadata=" + patch.routerDatapath() + ",reg15=" + patch.routerPort(), toRouter);
      String copy = "set_field:" + patch.switchPort() + "->reg15," + toRouter;
      floodPatches.computeIfAbsent(patch.switchDatapath(), d -> new ArrayList<>()).add(copy);
      if (isGateway(patch)) {
        floodGateways.computeIfAbsent(patch.switchDatapath(), d -> new ArrayList<>()).add(copy);
      }
    }
    // A flood that came through a tunnel reaches the local ports only: the source chassis already
    // took the router's copy. Not a gateway port's: no other chassis takes that one.
    TreeSet<Integer> flooded = new TreeSet<>(floodLocal.keySet());
    flooded.addAll(floodPatches.keySet());
    for (int dp : flooded) {
      List<String> ports = floodLocal.getOrDefault(dp, List.of());
      List<String> all = new ArrayList<>(ports);
      all.addAll(floodPatches.getOrDefault(dp, List.of()));
      List<String> fromTunnel = new ArrayList<>(ports);
      fromTunnel.addAll(floodGateways.getOrDefault(dp, List.of()));
      add(dp, OUTPUT_LOCAL, 110, "metadata=" + dp + ",reg15=" + FLOOD, String.join(",", all));
      add(dp, OUTPUT_LOCAL, 120, "metadata=" + dp + ",reg15=" + FLOOD + ",reg10=1/1",
          fromTunnel.isEmpty() ? "drop" : String.join(",", fromTunnel));
    }
    add(0, OUTPUT_LOCAL, 0, "", "drop");
  }

  /**
   * A gateway port crossed on another chassis: what the router routes out of it (to its redirect
   * port) and what the uplink switch sends to the router go through the tunnel to the gateway
   * chassis, which crosses it. Nothing crosses it here (see {@link #crossedHere}).
   */
  private void gatewayElsewhere(ChassisView.Gateway g) {
    ChassisView.Patch p = g.patch();
    add(p.routerDatapath(), OUTPUT_REMOTE, 100,
        "metadata=" + p.routerDatapath() + ",reg15=" + GatewayPorts.redirectKey(p.routerPort()),
        encapsulate(p.routerDatapath(), g.tunnelIp()));
    add(p.switchDatapath(), OUTPUT_REMOTE, 100,
        "metadata=" + p.switchDatapath() + ",reg15=" + p.switchPort(), encapsulate(p.switchDatapath(), g.tunnelIp()));
  }

  /**
   * The patches crossed on this chassis: all but the gateway ports whose gateway is elsewhere.
   * In router order, whatever the view's: a flood's copies to the routers are one rule's
   * actions, and the same view must give the same rule.
   */
  private List<ChassisView.Patch> crossedHere() {
    return view.patches().stream()
        .filter(p -> view.gateways().stream().noneMatch(g -> g.away() && g.patch().equals(p)))
        .sorted(java.util.Comparator.comparingInt(ChassisView.Patch::routerDatapath)
            .thenComparingInt(ChassisView.Patch::routerPort))
        .toList();
  }

  private boolean isGateway(ChassisView.Patch patch) {
    return view.gateways().stream().anyMatch(g -> g.patch().equals(patch));
  }

  /**
   * To the chassis at {@code tunnelIp}: into its tunnel, carrying the datapath and the logical
   * ports. The in_port is forgotten first: a packet that came through the tunnel and crossed a
   * router here (on a gateway chassis: from another chassis' uplink port, or redirected to the
   * gateway) may leave by the tunnel again, and OpenFlow never outputs to the in_port.
   */
  private String encapsulate(int datapath, String tunnelIp) {
    if (view.vxlanPeers().contains(tunnelIp)) {
      return "set_field:" + hex((long) datapath << 12) + "->tun_id,set_field:" + tunnelIp
          + "->tun_dst,move:NXM_NX_REG15[0..11]->NXM_NX_TUN_ID[0..11],set_field:0->in_port,output:" + view.vxlanOfport();
    }
    return "set_field:" + datapath + "->tun_id,set_field:" + tunnelIp + "->tun_dst,move:NXM_NX_REG14[0..14]->"
        + TUN_INPORT + ",move:NXM_NX_REG15[0..15]->" + TUN_OUTPORT + ",set_field:0->in_port,output:"
        + view.tunnelOfport();
  }

  private static String hex(long value) {
    return "0x" + Long.toHexString(value);
  }

  /** Table 64: out of a local port, or across a router patch into the next datapath's ingress. */
  private void deliver() {
    for (Map.Entry<ChassisView.PortRef, Integer> e : sorted(view.localPorts()).entrySet()) {
      ChassisView.PortRef p = e.getKey();
      String m = "metadata=" + p.datapath() + ",reg15=" + p.port();
      // Never back out of the port it came in, unless on purpose (an ARP reply: reg10 bit 1).
      add(p.datapath(), DELIVER, 110, m + ",reg14=" + p.port() + ",reg10=0/2", "drop");
      // OpenFlow never sends a packet back out of its in_port; what is left here going back is
      // meant to (an ARP reply, a router U-turn), so forget the in_port first.
      add(p.datapath(), DELIVER, 100, m, "set_field:0->in_port,output:" + e.getValue());
    }
    for (ChassisView.Patch patch : crossedHere()) {
      add(patch.switchDatapath(), DELIVER, 100,
          "metadata=" + patch.switchDatapath() + ",reg15=" + patch.switchPort(),
          cross(patch.routerDatapath(), patch.routerPort()));
      add(patch.routerDatapath(), DELIVER, 100,
          "metadata=" + patch.routerDatapath() + ",reg15=" + patch.routerPort(),
          cross(patch.switchDatapath(), patch.switchPort()));
    }
    add(0, DELIVER, 0, "", "drop");
  }

  /**
   * Into the next datapath's ingress, in a clone: the router rewrites the packet and the
   * registers, and a flood's next copy must still see them as they were. The next datapath
   * starts without the previous one's conntrack state.
   */
  private static String cross(int datapath, int inport) {
    return "clone(ct_clear,set_field:" + datapath + "->metadata,set_field:" + inport + "->reg14,set_field:0->reg15,"
        + "set_field:0->reg10,resubmit(," + Stage.INGRESS_TABLE + "))";
  }

  private TreeSet<Integer> tunnelDatapaths() {
    TreeSet<Integer> out = new TreeSet<>();
    view.localPorts().keySet().forEach(p -> out.add(p.datapath()));
    view.patches().forEach(p -> {
      out.add(p.switchDatapath());
      out.add(p.routerDatapath());
    });
    return out;
  }

  private static <V> TreeMap<ChassisView.PortRef, V> sorted(Map<ChassisView.PortRef, V> map) {
    TreeMap<ChassisView.PortRef, V> out = new TreeMap<>(
        java.util.Comparator.comparingInt(ChassisView.PortRef::datapath).thenComparingInt(ChassisView.PortRef::port));
    out.putAll(map);
    return out;
  }
}
