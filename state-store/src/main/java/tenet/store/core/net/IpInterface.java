package tenet.store.core.net;

import java.math.BigInteger;
import java.util.Objects;

/**
 * An address together with the length of its subnet, as configured on a router or VM port:
 * {@code 10.0.0.1/24} is host 10.0.0.1 on subnet 10.0.0.0/24.
 *
 * <p>The address must be usable by a host. In subnets with at least two host bits that excludes
 * the all-zero host (the IPv4 network address, the IPv6 subnet-router anycast address) and, for
 * IPv4, the all-ones host (broadcast). IPv4 /31 (RFC 3021), IPv6 /127 (RFC 6164) and single-host
 * /32 and /128 have no such reserved addresses, so every address in them is allowed.
 */
public record IpInterface(IpAddress address, int prefixLength) {

  public IpInterface {
    Objects.requireNonNull(address, "address");
    PrefixNotation.checkLength(prefixLength, address.family());
    checkHostAddress(address, prefixLength);
  }

  /** Parses "address/length"; host bits are the point here, so they may be set. */
  public static IpInterface parse(String text) {
    PrefixNotation parsed = PrefixNotation.parse(text, "10.0.0.1/24");
    return new IpInterface(parsed.address(), parsed.prefixLength());
  }

  /** The prefix this address is on, e.g. 10.0.0.0/24 for 10.0.0.1/24. */
  public Cidr subnet() {
    return Cidr.containing(address, prefixLength);
  }

  public boolean isV4() {
    return address.isV4();
  }

  @Override
  public String toString() {
    return address + "/" + prefixLength;
  }

  private static void checkHostAddress(IpAddress address, int prefixLength) {
    if (address.bitLength() - prefixLength < 2) {
      return;
    }
    Cidr subnet = Cidr.containing(address, prefixLength);
    BigInteger host = address.value().and(subnet.hostMask());
    if (host.signum() == 0) {
      String role = address.isV4() ? "network address" : "subnet-router anycast address";
      IpAddress firstHost = new IpAddress(address.family(), address.value().add(BigInteger.ONE));
      throw new IllegalArgumentException(address + " is the " + role + " of " + subnet
          + ", not a host address: the first host is " + firstHost + "/" + prefixLength);
    }
    if (address.isV4() && host.equals(subnet.hostMask())) {
      throw new IllegalArgumentException(
          address + " is the broadcast address of " + subnet + ", not a host address");
    }
  }
}
