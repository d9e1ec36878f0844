package tenet.compiler.pipeline;

import tenet.compiler.logical.Match;

/** The IPv6 neighbour solicitations the switch and router responders tell apart. */
final class NdSolicitations {
  /** A solicitation from the unspecified address: a node probing whether its address is free (RFC 4862 5.4). */
  static final Match DUPLICATE_ADDRESS_DETECTION = Match.ANY.with("icmp6").and("icmp_type", "135").and("ipv6_src", "::");

  private NdSolicitations() {}

  /** A solicitation asking for {@code ip}'s link-layer address. */
  static Match forTarget(String ip) {
    return Match.ANY.with("icmp6").and("icmp_type", "135").and("nd_target", ip);
  }
}
