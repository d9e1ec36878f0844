package tenet.compiler.pipeline;

import static tenet.compiler.logical.Action.CT_COMMIT;
import static tenet.compiler.logical.Action.CT_NEXT;
import static tenet.compiler.logical.Action.DROP;
import static tenet.compiler.logical.Action.NEXT;
import static tenet.compiler.logical.Action.REJECT;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import tenet.compiler.logical.Action;
import tenet.compiler.logical.Match;
import tenet.compiler.logical.Stage;

/**
 * The ACL stages of a switch, for ports that security groups select. A selected port passes only
 * what its rules allow, in each direction; rules are tried by priority, higher first. Every IP
 * packet of a selected port but neighbour discovery goes through conntrack first (pre-ACL), so
 * the replies of a connection a rule allowed with ALLOW_RELATED pass on their own, and invalid
 * packets drop. On a port with any ALLOW_RELATED rule, ALLOW commits as well; elsewhere it is
 * stateless (replies need rules of their own).
 * ARP and neighbour discovery always pass: without them no rule could ever match.
 * Ports no group selects pass everything.
 */
final class AclStages {
  /** Above every rule: conntrack verdicts and address resolution. */
  static final int CONNTRACK_PRIORITY = 65000;
  /** Rules sit at RULE_BASE + their priority (0..32767). */
  static final int RULE_BASE = 1000;
  /** Below every rule: what a selected port's rules did not allow. */
  static final int DEFAULT_DENY = 1;
  /** Router solicitation and advertisement, neighbour solicitation and advertisement. */
  private static final List<String> NEIGHBOUR_DISCOVERY = List.of("133", "134", "135", "136");

  private final BiConsumer<Stage, Flow> sink;

  record Flow(int priority, Match match, List<Action> actions) {}

  private AclStages(BiConsumer<Stage, Flow> sink) {
    this.sink = sink;
  }

  static void compile(SwitchConfig config, BiConsumer<Stage, Flow> sink) {
    AclStages acl = new AclStages(sink);
    for (SwitchConfig.Port port : config.ports()) {
      if (port.aclEnforced()) {
        acl.direction(port, SwitchConfig.Direction.FROM_PORT, Stage.LS_IN_PRE_ACL, Stage.LS_IN_ACL, "reg14");
        acl.direction(port, SwitchConfig.Direction.TO_PORT, Stage.LS_OUT_PRE_ACL, Stage.LS_OUT_ACL, "reg15");
      }
    }
    for (Stage stage : List.of(Stage.LS_IN_PRE_ACL, Stage.LS_IN_ACL, Stage.LS_OUT_PRE_ACL, Stage.LS_OUT_ACL)) {
      acl.add(stage, 0, Match.ANY, NEXT);
    }
  }

  private void add(Stage stage, int priority, Match match, Action... actions) {
    sink.accept(stage, new Flow(priority, match, List.of(actions)));
  }

  private void direction(SwitchConfig.Port port, SwitchConfig.Direction direction, Stage pre, Stage stage, String reg) {
    Match self = Match.of(reg, Integer.toString(port.key()));
    // Neighbour discovery stays out of conntrack (as in OVN): OVS's userspace conntrack has no
    // connection for it and marks it invalid, which the ACL stage drops.
    for (String type : NEIGHBOUR_DISCOVERY) {
      add(pre, 110, self.with("icmp6").and("icmp_type", type), NEXT);
    }
    for (String family : List.of("ip", "ipv6")) {
      add(pre, 100, self.with(family), CT_NEXT);
    }
    add(stage, CONNTRACK_PRIORITY, self.and("ct_state", "+trk+inv"), DROP);
    add(stage, CONNTRACK_PRIORITY - 1, self.and("ct_state", "+trk+est-new"), NEXT);
    add(stage, CONNTRACK_PRIORITY - 1, self.and("ct_state", "+trk+rel-new"), NEXT);
    add(stage, CONNTRACK_PRIORITY - 1, self.with("arp"), NEXT);
    for (String type : NEIGHBOUR_DISCOVERY) {
      add(stage, CONNTRACK_PRIORITY - 1, self.with("icmp6").and("icmp_type", type), NEXT);
    }
    for (SwitchConfig.Acl rule : port.acls()) {
      if (rule.direction() == direction) {
        for (Match m : matches(self, rule, direction)) {
          add(stage, RULE_BASE + rule.priority(), m, verdict(rule.verdict(), port.stateful()));
        }
      }
    }
    add(stage, DEFAULT_DENY, self.with("ip"), DROP);
    add(stage, DEFAULT_DENY, self.with("ipv6"), DROP);
  }

  /** ALLOW on a port with stateful rules commits like ALLOW_RELATED (see {@link SwitchConfig.Port#stateful()}). */
  private static Action[] verdict(SwitchConfig.Verdict verdict, boolean stateful) {
    return switch (verdict) {
      case ALLOW -> stateful ? new Action[] {CT_COMMIT, NEXT} : new Action[] {NEXT};
      case ALLOW_RELATED -> new Action[] {CT_COMMIT, NEXT};
      case DROP -> new Action[] {DROP};
      case REJECT -> new Action[] {REJECT};
    };
  }

  /** One match per (address family, remote prefix, port block) the rule covers. */
  static List<Match> matches(Match self, SwitchConfig.Acl rule, SwitchConfig.Direction direction) {
    List<Match> out = new ArrayList<>();
    boolean toPort = direction == SwitchConfig.Direction.TO_PORT;
    for (String family : families(rule)) {
      boolean v6 = family.equals("ipv6");
      Match base = self.with(protocol(rule.protocol(), v6));
      List<String> remotes = rule.remotes().stream().filter(r -> r.contains(":") == v6).toList();
      if (!rule.remotes().isEmpty() && remotes.isEmpty()) {
        continue;
      }
      List<Match> withRemote = new ArrayList<>();
      if (remotes.isEmpty()) {
        withRemote.add(base);
      }
      for (String remote : remotes) {
        String field = v6 ? (toPort ? "ipv6_src" : "ipv6_dst") : (toPort ? "nw_src" : "nw_dst");
        withRemote.add(base.and(field, remote));
      }
      boolean ports = rule.portMin() != 0 || rule.portMax() != 0;
      for (Match m : withRemote) {
        if (!ports) {
          out.add(m);
          continue;
        }
        int max = rule.portMax() == 0 ? rule.portMin() : rule.portMax();
        for (String block : PortRanges.masks(rule.portMin(), max)) {
          out.add(m.and("tp_dst", block));
        }
      }
    }
    return out;
  }

  private static List<String> families(SwitchConfig.Acl rule) {
    return switch (rule.protocol()) {
      case ICMP -> List.of("ip");
      case ICMPV6 -> List.of("ipv6");
      default -> List.of("ip", "ipv6");
    };
  }

  private static String protocol(SwitchConfig.Protocol protocol, boolean v6) {
    return switch (protocol) {
      case ANY -> v6 ? "ipv6" : "ip";
      case TCP -> v6 ? "tcp6" : "tcp";
      case UDP -> v6 ? "udp6" : "udp";
      case ICMP -> "icmp";
      case ICMPV6 -> "icmp6";
    };
  }
}
