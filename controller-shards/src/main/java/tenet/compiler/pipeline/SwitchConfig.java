package tenet.compiler.pipeline;

import java.util.List;
import tenet.compiler.logical.Datapath;

/**
 * Everything the switch pipeline depends on, and nothing else: when this value is unchanged,
 * so are the switch's logical flows.
 */
public record SwitchConfig(Datapath datapath, List<Port> ports) implements DatapathConfig {
  public SwitchConfig {
    ports = List.copyOf(ports);
  }

  /**
   * A port of the switch: a VM's port, or a router attached to the switch (whose key is the
   * router port's switch_port_key, and which is trusted: no port security).
   */
  public record Port(String name, int key, String mac, List<String> ips, boolean portSecurity, boolean router,
      List<Acl> acls) {
    public Port {
      ips = List.copyOf(ips);
      acls = List.copyOf(acls);
    }

    /** Selected by at least one security group: only what its rules allow passes. */
    public boolean aclEnforced() {
      return !acls.isEmpty();
    }

    /**
     * Has an ALLOW_RELATED rule, in either direction: then its ALLOW rules commit too (as OVN's
     * allow turns allow-related once a stateful ACL applies), or the replies of what they let
     * through would meet the default drop while the port's other replies pass.
     */
    public boolean stateful() {
      return acls.stream().anyMatch(a -> a.verdict() == Verdict.ALLOW_RELATED);
    }
  }

  /**
   * One security group rule as it applies to one port. {@code remotes} are the peer prefixes
   * (the rule's remote CIDR, or the addresses of the ports its remote selector picks); empty
   * means any peer.
   */
  public record Acl(String origin, Direction direction, int priority, Verdict verdict, Protocol protocol,
      List<String> remotes, int portMin, int portMax) {
    public Acl {
      remotes = List.copyOf(remotes);
    }
  }

  /** FROM_PORT: traffic the port sends (a group's EGRESS rule); TO_PORT: traffic it receives. */
  public enum Direction { FROM_PORT, TO_PORT }

  public enum Verdict { ALLOW, ALLOW_RELATED, DROP, REJECT }

  public enum Protocol { ANY, TCP, UDP, ICMP, ICMPV6 }
}
