package tenet.store.core.net;

import java.math.BigInteger;
import java.util.Objects;
import tenet.store.core.net.IpAddress.Family;

/**
 * A network prefix such as {@code 10.0.0.0/24} or {@code 2001:db8::/32}: the network address and
 * how many leading bits of it are fixed.
 *
 * <p>Host bits must be clear. {@code 10.0.0.1/24} is rejected rather than silently truncated,
 * because it usually means the user pasted an interface address where a subnet was wanted, and
 * the stored value should be what they meant, not what they typed.
 */
public record Cidr(IpAddress network, int prefixLength) implements Comparable<Cidr> {

  public Cidr {
    Objects.requireNonNull(network, "network");
    PrefixNotation.checkLength(prefixLength, network.family());
    if (network.value().and(PrefixNotation.hostMask(network.family(), prefixLength)).signum() != 0) {
      throw new IllegalArgumentException(
          "host bits are set: did you mean " + containing(network, prefixLength) + "?");
    }
  }

  /** Parses "address/length"; the length is required, even for a single host. */
  public static Cidr parse(String text) {
    PrefixNotation parsed = PrefixNotation.parse(text, "10.0.0.0/24");
    return new Cidr(parsed.address(), parsed.prefixLength());
  }

  /** The prefix of the given length that contains {@code address}: its host bits cleared. */
  public static Cidr containing(IpAddress address, int prefixLength) {
    PrefixNotation.checkLength(prefixLength, address.family());
    BigInteger hostMask = PrefixNotation.hostMask(address.family(), prefixLength);
    return new Cidr(new IpAddress(address.family(), address.value().andNot(hostMask)), prefixLength);
  }

  public Family family() {
    return network.family();
  }

  public boolean isV4() {
    return network.isV4();
  }

  /** False for an address of the other family: an IPv4 prefix never contains an IPv6 address. */
  public boolean contains(IpAddress address) {
    return address.family() == family()
        && address.value().andNot(hostMask()).equals(network.value());
  }

  /** True when every address of {@code other} is in this prefix, including when they are equal. */
  public boolean contains(Cidr other) {
    return other.prefixLength >= prefixLength && contains(other.network);
  }

  /**
   * True when the two prefixes share at least one address. Prefixes nest or are disjoint, never
   * partially overlap, so this is containment one way or the other. False across families.
   */
  public boolean overlaps(Cidr other) {
    return contains(other) || other.contains(this);
  }

  /** Network address first, then the wider prefix first: the order of a routing table dump. */
  @Override
  public int compareTo(Cidr other) {
    int byNetwork = network.compareTo(other.network);
    return byNetwork != 0 ? byNetwork : Integer.compare(prefixLength, other.prefixLength);
  }

  @Override
  public String toString() {
    return network + "/" + prefixLength;
  }

  BigInteger hostMask() {
    return PrefixNotation.hostMask(family(), prefixLength);
  }
}
