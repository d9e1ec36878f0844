package tenet.compiler.specialize;

import tenet.compiler.logical.Action;

/**
 * The answers a switch or router gives for itself, built in OpenFlow alone: the request is
 * rewritten into the reply in place and sent back out of the port it came in (reg15 = reg14, with
 * the loopback flag), as the ARP responder always did. Nothing here needs a controller
 * connection. OVS's userspace datapath sets ICMP and ND fields in its slow path, packet by
 * packet: fine at the rate of pings and neighbour discovery.
 */
final class Responders {
  // A neighbour advertisement's flags, the 32 bits after its checksum: Router, Solicited, Override.
  private static final String SOLICITED_OVERRIDE = "0x60000000";
  private static final String ROUTER_SOLICITED_OVERRIDE = "0xe0000000";
  private static final String SWAP_ETH = "move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[]";

  /**
   * Table {@link Specializer#ND_ADVERT}, on what is an advertisement by now: the solicitation's
   * Source Link-Layer Address option (type 1) becomes a Target Link-Layer Address option (type 2)
   * with the answering MAC, already in eth_src. It takes a rule of its own: OVS refuses to set
   * nd_tll in a rule that matches a solicitation, as the responder's does. And it is nd_tll, not
   * nd_sll: within one datapath commit OVS writes the option type (with nd_reserved) first, then
   * the address into whichever option the packet has by then (ResponderTest shows it).
   *
   * <p>A solicitation without that option (a unicast one may leave it out, RFC 4861 4.3) passes
   * the default rule: answered without the option, which 7.2.4 allows in answer to a unicast
   * solicitation. OpenFlow cannot grow the packet to add one.
   */
  static final String TLL_MATCH = "icmp6,icmp_type=136,nd_options_type=1";
  static final String TLL_ACTIONS = "set_field:2->nd_options_type,move:NXM_OF_ETH_SRC[]->NXM_NX_ND_TLL[],resubmit(,"
      + Specializer.OUTPUT_REMOTE + ")";

  private Responders() {}

  static String arp(Action.ArpReply r) {
    return String.join(",", SWAP_ETH, "set_field:" + r.mac() + "->eth_src",
        "set_field:2->arp_op", "move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[]", "set_field:" + r.mac() + "->arp_sha",
        "move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[]", "set_field:" + r.ip() + "->arp_spa",
        backOut(Specializer.OUTPUT_REMOTE));
  }

  /**
   * A solicitation becomes the advertisement of RFC 4861 7.2.4: unicast to its source, from the
   * target address, Solicited and Override (and Router for a router's address), hop limit 255;
   * its link-layer option is finished in table {@link Specializer#ND_ADVERT}. OVS recomputes the
   * ICMPv6 checksum when it writes nd_reserved and updates it for the rest.
   */
  static String neighbourAdvertisement(Action.NdReply r) {
    return String.join(",", SWAP_ETH, "set_field:" + r.mac() + "->eth_src",
        "move:NXM_NX_IPV6_SRC[]->NXM_NX_IPV6_DST[]", "set_field:" + r.ip() + "->ipv6_src",
        "set_field:255->nw_ttl", "set_field:136->icmpv6_type",
        "set_field:" + (r.router() ? ROUTER_SOLICITED_OVERRIDE : SOLICITED_OVERRIDE) + "->nd_reserved",
        backOut(Specializer.ND_ADVERT));
  }

  /**
   * The echo reply goes back to the previous hop (the request's source MAC), not through the
   * router's routing stages as OVN's does: this router has no ARP or ND of its own, its ARP
   * resolve stage knows only the switches' declared addresses and the static next hops, so a
   * routed reply would drop for any other sender (a port without declared addresses, a host
   * behind the uplink other than the next hop); the hop the request came from can take the reply
   * back. TTL 255 as OVN's. OVS updates the ICMP checksum for the new type (and ICMPv6's for the
   * addresses, which its pseudo-header holds).
   */
  static String echo(Action.EchoReply e) {
    boolean v6 = e.ip().indexOf(':') >= 0;
    return String.join(",", SWAP_ETH, "set_field:" + e.mac() + "->eth_src",
        v6 ? "move:NXM_NX_IPV6_SRC[]->NXM_NX_IPV6_DST[]" : "move:NXM_OF_IP_SRC[]->NXM_OF_IP_DST[]",
        "set_field:" + e.ip() + (v6 ? "->ipv6_src" : "->ip_src"), "set_field:255->nw_ttl",
        v6 ? "set_field:129->icmpv6_type" : "set_field:0->icmp_type", backOut(Specializer.OUTPUT_REMOTE));
  }

  /** Out of the port the packet came in (the loopback flag lets it), through {@code table}. */
  private static String backOut(int table) {
    return "move:NXM_NX_REG14[]->NXM_NX_REG15[],load:1->NXM_NX_REG10[1],resubmit(," + table + ")";
  }
}
