package tenet.compiler.logical;

/**
 * What a logical flow does. Chassis-independent: {@link Output} only says "to reg15", the
 * specializer decides whether that is a local ofport or a tunnel.
 */
public sealed interface Action {
  /** Continue with the next stage of this pipeline. */
  record Next() implements Action {
    @Override
    public String toString() {
      return "next";
    }
  }

  /** End of ingress: send to the logical output port in reg15 (or flood when it is 0xffff). */
  record Output() implements Action {
    @Override
    public String toString() {
      return "output";
    }
  }

  record Drop() implements Action {
    @Override
    public String toString() {
      return "drop";
    }
  }

  /** Load a value into a field or register. */
  record Set(String field, String value) implements Action {
    @Override
    public String toString() {
      return field + "=" + value;
    }
  }

  /** Answer an ARP request for {@code ip} with {@code mac}, back out of the port it came in. */
  record ArpReply(String mac, String ip) implements Action {
    @Override
    public String toString() {
      return "arp_reply(" + mac + "," + ip + ")";
    }
  }

  /** Answer an IPv6 neighbour solicitation for {@code ip} with {@code mac}. */
  record NdReply(String mac, String ip) implements Action {
    @Override
    public String toString() {
      return "nd_reply(" + mac + "," + ip + ")";
    }
  }

  /**
   * Send through connection tracking in the port's zone (the inport's in ingress, the outport's
   * in egress), then continue with the next stage with ct_state set.
   */
  record CtNext() implements Action {
    @Override
    public String toString() {
      return "ct_next";
    }
  }

  /** Commit the connection to the port's conntrack zone, so that its replies are "established". */
  record CtCommit() implements Action {
    @Override
    public String toString() {
      return "ct_commit";
    }
  }

  /** Drop, and tell the sender: TCP RST for TCP, ICMP unreachable otherwise. */
  record Reject() implements Action {
    @Override
    public String toString() {
      return "reject";
    }
  }

  /** Copy one field into another (e.g. the destination address into the next-hop register). */
  record Move(String from, String to) implements Action {
    @Override
    public String toString() {
      return "move(" + from + "->" + to + ")";
    }
  }

  /** Decrement the IP TTL / hop limit (a packet reaching zero was dropped before). */
  record DecTtl() implements Action {
    @Override
    public String toString() {
      return "dec_ttl";
    }
  }

  /** Answer an ICMP or ICMPv6 echo request addressed to the router itself. */
  record EchoReply() implements Action {
    @Override
    public String toString() {
      return "echo_reply";
    }
  }

  /** Source-NAT the connection to {@code ip} through conntrack (many logical addresses, one external). */
  record CtSnat(String ip) implements Action {
    @Override
    public String toString() {
      return "ct_snat(" + ip + ")";
    }
  }

  /** Undo the source NAT of a reply through conntrack. */
  record CtUnsnat() implements Action {
    @Override
    public String toString() {
      return "ct_unsnat";
    }
  }

  Action NEXT = new Next();
  Action DEC_TTL = new DecTtl();
  Action CT_NEXT = new CtNext();
  Action CT_COMMIT = new CtCommit();
  Action REJECT = new Reject();
  Action OUTPUT = new Output();
  Action DROP = new Drop();
}
