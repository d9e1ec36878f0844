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

  /**
   * Answer an IPv6 neighbour solicitation for {@code ip} with a neighbour advertisement from
   * {@code mac}, back out of the port it came in; {@code router} when a router's address is asked
   * for (the advertisement's Router flag, which hosts need to use it as a default router).
   */
  record NdReply(String mac, String ip, boolean router) implements Action {
    @Override
    public String toString() {
      return "nd_reply(" + mac + "," + ip + (router ? ",router" : "") + ")";
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

  /**
   * Drop, and tell the sender: TCP RST for TCP, ICMP unreachable otherwise. Those answers embed
   * the offending packet, which OpenFlow cannot build: the packet goes to the controller
   * connection, which nothing answers yet, so today REJECT drops silently.
   */
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

  /**
   * Answer an ICMP or ICMPv6 echo request to the router's own address {@code ip}, from
   * {@code mac} (the MAC of the port it came in), back out of that port.
   */
  record EchoReply(String mac, String ip) implements Action {
    @Override
    public String toString() {
      return "echo_reply(" + mac + "," + ip + ")";
    }
  }

  /**
   * Source-NAT a new connection to {@code ip} in conntrack zone {@code zone} (commit), then
   * continue with the next stage, which sees the translated packet. Ends the flow's actions: what
   * followed it would see the packet untranslated.
   */
  record CtSnat(int zone, String ip) implements Action {
    @Override
    public String toString() {
      return "ct_snat(" + ip + ",zone=" + zone + ")";
    }
  }

  /** Destination-NAT a new connection to {@code ip} in {@code zone} (commit), then the next stage; last. */
  record CtDnat(int zone, String ip) implements Action {
    @Override
    public String toString() {
      return "ct_dnat(" + ip + ",zone=" + zone + ")";
    }
  }

  /**
   * Apply whatever NAT {@code zone} holds for the packet's connection (un-SNAT a reply, un-DNAT
   * a reply, or translate a later packet of a NATed connection), then the next stage; ends the
   * actions. A packet of no known connection passes untranslated, marked new.
   */
  record CtNat(int zone) implements Action {
    @Override
    public String toString() {
      return "ct_nat(zone=" + zone + ")";
    }
  }

  /**
   * Whether other actions may follow this one. Those that hand the packet on (to the next stage,
   * through conntrack, out) or end it may not: after a {@code ct(...,table=...)} the rest would
   * run on the packet as it was before conntrack, a second time.
   */
  default boolean midway() {
    return this instanceof Set || this instanceof Move || this instanceof DecTtl || this instanceof CtCommit;
  }

  Action NEXT = new Next();
  Action DEC_TTL = new DecTtl();
  Action CT_NEXT = new CtNext();
  Action CT_COMMIT = new CtCommit();
  Action REJECT = new Reject();
  Action OUTPUT = new Output();
  Action DROP = new Drop();
}
