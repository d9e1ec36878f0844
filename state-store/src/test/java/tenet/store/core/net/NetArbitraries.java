package tenet.store.core.net;

import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import tenet.store.core.net.IpAddress.Family;

/** Generators shared by the property tests, biased towards the cases that break parsers. */
final class NetArbitraries {

  static final BigInteger MAPPED_MARKER = BigInteger.valueOf(0xffff);

  private NetArbitraries() {}

  static Arbitrary<IpAddress> ipv4() {
    // jqwik skews integral ranges towards small numbers: uniform reaches every octet.
    return Arbitraries.longs().between(0, 0xffff_ffffL).withDistribution(RandomDistribution.uniform())
        .map(v -> new IpAddress(Family.IPV4, BigInteger.valueOf(v)));
  }

  /**
   * Mostly built hextet by hextet with many zeros, so zero runs of every length and position show
   * up and exercise RFC 5952 compression; sometimes uniformly random over all 128 bits.
   */
  static Arbitrary<IpAddress> ipv6() {
    Arbitrary<Integer> hextet = Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.just(0)),
        Tuple.of(1, Arbitraries.of(1, 0xffff)),
        Tuple.of(2, Arbitraries.integers().between(0, 0xffff)));
    Arbitrary<BigInteger> structured = hextet.list().ofSize(8).map(NetArbitraries::fromHextets);
    Arbitrary<BigInteger> uniform = Arbitraries.bigIntegers()
        .between(BigInteger.ZERO, BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE))
        .withDistribution(RandomDistribution.uniform());
    return Arbitraries.frequencyOf(
            Tuple.of(3, structured), Tuple.of(1, uniform))
        .filter(v -> !isMapped(v))
        .map(v -> new IpAddress(Family.IPV6, v));
  }

  static Arbitrary<IpAddress> ip() {
    return Arbitraries.oneOf(ipv4(), ipv6());
  }

  /** Any prefix of any length. */
  static Arbitrary<Cidr> cidr() {
    return ip().flatMap(address -> Arbitraries.integers().between(0, address.bitLength())
        .map(length -> Cidr.containing(address, length)));
  }

  /**
   * Prefixes that live in the same small space (10.0.0.0/22 or 2001:db8::/118), so pairs of them
   * overlap, nest and miss each other often; random prefixes almost never do.
   */
  static Arbitrary<Cidr> clusteredCidr(Family family) {
    IpAddress base = IpAddress.parse(family == Family.IPV4 ? "10.0.0.0" : "2001:db8::");
    int bits = family.bitLength();
    return Combinators.combine(
            Arbitraries.integers().between(0, 1023),
            Arbitraries.integers().between(bits - 10, bits))
        .as((offset, length) -> Cidr.containing(
            new IpAddress(family, base.value().add(BigInteger.valueOf(offset))), length));
  }

  /** Mixed: clustered pairs in both families, plus the occasional arbitrary prefix. */
  static Arbitrary<Cidr> interestingCidr() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, clusteredCidr(Family.IPV4)),
        Tuple.of(3, clusteredCidr(Family.IPV6)),
        Tuple.of(1, cidr()));
  }

  /** An address of the prefix's family that is inside it about half the time. */
  static Arbitrary<IpAddress> addressNear(Cidr cidr) {
    BigInteger size = BigInteger.ONE.shiftLeft(cidr.family().bitLength() - cidr.prefixLength());
    BigInteger max = BigInteger.ONE.shiftLeft(cidr.family().bitLength()).subtract(BigInteger.ONE);
    return Arbitraries.bigIntegers().between(size.negate(), size.shiftLeft(1))
        .map(delta -> cidr.network().value().add(delta).max(BigInteger.ZERO).min(max))
        .filter(v -> cidr.isV4() || !isMapped(v))
        .map(v -> new IpAddress(cidr.family(), v));
  }

  static Arbitrary<MacAddress> mac() {
    return Arbitraries.longs().between(0, 0xffff_ffff_ffffL).withDistribution(RandomDistribution.uniform())
        .map(MacAddress::new);
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
