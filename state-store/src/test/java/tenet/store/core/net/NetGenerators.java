package tenet.store.core.net;

import static tenet.store.testing.Gen.weight;

import java.math.BigInteger;
import java.util.List;
import tenet.store.core.net.IpAddress.Family;
import tenet.store.testing.Gen;

/**
 * Generators shared by the property tests, biased towards the cases that break parsers. Ranges
 * are drawn uniformly; the ends of a range (zero, all ones) are mixed in on purpose, as they
 * would never come up by chance.
 */
final class NetGenerators {

  static final BigInteger MAPPED_MARKER = BigInteger.valueOf(0xffff);
  private static final BigInteger MAX_V6 = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

  private NetGenerators() {}

  /** Uniform over [0, max], so every octet is reached, and one draw in twenty an end of the range. */
  static Gen<Long> uniformWithEnds(long max) {
    return Gen.frequency(weight(19, Gen.longs(0, max)), weight(1, Gen.of(0L, 1L, max - 1, max)));
  }

  static Gen<IpAddress> ipv4() {
    return uniformWithEnds(0xffff_ffffL).map(v -> new IpAddress(Family.IPV4, BigInteger.valueOf(v)));
  }

  /**
   * Mostly built hextet by hextet with many zeros, so zero runs of every length and position show
   * up and exercise RFC 5952 compression; sometimes uniformly random over all 128 bits.
   */
  static Gen<IpAddress> ipv6() {
    Gen<Integer> hextet = Gen.frequency(
        weight(4, Gen.of(0)),
        weight(1, Gen.of(1, 0xffff)),
        weight(2, Gen.ints(0, 0xffff)));
    Gen<BigInteger> structured = hextet.list(8, 8).map(NetGenerators::fromHextets);
    Gen<BigInteger> uniform = Gen.frequency(
        weight(19, Gen.bits(128)),
        weight(1, Gen.of(BigInteger.ZERO, BigInteger.ONE, MAX_V6)));
    return Gen.frequency(weight(3, structured), weight(1, uniform))
        .filter(v -> !isMapped(v))
        .map(v -> new IpAddress(Family.IPV6, v));
  }

  static Gen<IpAddress> ip() {
    return Gen.oneOf(ipv4(), ipv6());
  }

  /** Any prefix of any length. */
  static Gen<Cidr> cidr() {
    return ip().flatMap(address -> Gen.ints(0, address.bitLength())
        .map(length -> Cidr.containing(address, length)));
  }

  /**
   * Prefixes that live in the same small space (10.0.0.0/22 or 2001:db8::/118), so pairs of them
   * overlap, nest and miss each other often; random prefixes almost never do. Half the time they
   * start within the first 16 addresses, so that nesting is common rather than borderline.
   */
  static Gen<Cidr> clusteredCidr(Family family) {
    IpAddress base = IpAddress.parse(family == Family.IPV4 ? "10.0.0.0" : "2001:db8::");
    int bits = family.bitLength();
    Gen<Integer> offsets = Gen.frequency(weight(1, Gen.ints(0, 1023)), weight(1, Gen.ints(0, 15)));
    Gen<Integer> lengths = Gen.ints(bits - 10, bits);
    return Gen.pair(offsets, lengths).map(p -> Cidr.containing(
        new IpAddress(family, base.value().add(BigInteger.valueOf(p.first()))), p.second()));
  }

  /** Mixed: clustered pairs in both families, plus the occasional arbitrary prefix. */
  static Gen<Cidr> interestingCidr() {
    return Gen.frequency(
        weight(3, clusteredCidr(Family.IPV4)),
        weight(3, clusteredCidr(Family.IPV6)),
        weight(1, cidr()));
  }

  /**
   * An address of the prefix's family that is inside it about half the time: anywhere from one
   * prefix-size below to two above, anywhere inside, or right at an edge (first, last, one beyond).
   */
  static Gen<IpAddress> addressNear(Cidr cidr) {
    BigInteger size = BigInteger.ONE.shiftLeft(cidr.family().bitLength() - cidr.prefixLength());
    BigInteger max = BigInteger.ONE.shiftLeft(cidr.family().bitLength()).subtract(BigInteger.ONE);
    BigInteger lastOffset = size.subtract(BigInteger.ONE);
    Gen<BigInteger> delta = Gen.frequency(
        weight(2, Gen.bigIntegers(size.negate(), size.shiftLeft(1))),
        weight(1, Gen.bigIntegers(BigInteger.ZERO, lastOffset)),
        weight(1, Gen.of(size.negate(), BigInteger.ONE.negate(), BigInteger.ZERO, lastOffset, size,
            size.shiftLeft(1))));
    return delta
        .map(d -> cidr.network().value().add(d).max(BigInteger.ZERO).min(max))
        .filter(v -> cidr.isV4() || !isMapped(v))
        .map(v -> new IpAddress(cidr.family(), v));
  }

  static Gen<MacAddress> mac() {
    return uniformWithEnds(0xffff_ffff_ffffL).map(MacAddress::new);
  }

  static boolean isMapped(BigInteger v6) {
    return v6.shiftRight(32).equals(MAPPED_MARKER);
  }

  static BigInteger fromHextets(List<Integer> hextets) {
    BigInteger value = BigInteger.ZERO;
    for (int hextet : hextets) {
      value = value.shiftLeft(16).or(BigInteger.valueOf(hextet));
    }
    return value;
  }
}
