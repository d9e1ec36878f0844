package tenet.store.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import tenet.store.core.net.IpAddress.Family;

/**
 * Properties of the address types, checked against oracles that share no code with them:
 * plain BigInteger ranges for prefixes, a direct RFC 5952 formatter for IPv6 text.
 */
class AddressPropertyTest {

  // ---- IpAddress

  @Property
  void ipAddressRoundTripsThroughText(@ForAll("ips") IpAddress address) {
    assertThat(IpAddress.parse(address.toString())).isEqualTo(address);
  }

  @Property
  void ipAddressRoundTripsThroughBytes(@ForAll("ips") IpAddress address) {
    assertThat(address.bytes()).hasSize(address.bitLength() / 8);
    assertThat(IpAddress.fromBytes(address.bytes())).isEqualTo(address);
  }

  @Property
  void ipv4TextIsTheDottedQuad(@ForAll("ipv4s") IpAddress address) {
    long v = address.value().longValue();
    String expected = (v >>> 24) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff) + "." + (v & 0xff);

    assertThat(address).hasToString(expected);
  }

  @Property
  void ipv6TextIsRfc5952(@ForAll("ipv6s") IpAddress address) {
    assertThat(address).hasToString(rfc5952(address.value()));
  }

  @Property
  void ipv6ParsingIgnoresCaseAndZeroPadding(@ForAll("ipv6s") IpAddress address) {
    String full = fullForm(address.value());

    assertThat(IpAddress.parse(full)).isEqualTo(address);
    assertThat(IpAddress.parse(full.toUpperCase(Locale.ROOT))).isEqualTo(address);
  }

  @Property
  void ipAddressOrderIsFamilyThenValue(@ForAll("ips") IpAddress a, @ForAll("ips") IpAddress b) {
    int expected = a.family() != b.family()
        ? a.family().compareTo(b.family())
        : a.value().compareTo(b.value());

    assertThat(Integer.signum(a.compareTo(b))).isEqualTo(Integer.signum(expected));
  }

  // ---- Cidr

  @Property
  void cidrRoundTripsThroughText(@ForAll("cidrs") Cidr cidr) {
    assertThat(Cidr.parse(cidr.toString())).isEqualTo(cidr);
  }

  @Property
  void cidrContainsItsOwnNetworkAddressAndItself(@ForAll("cidrs") Cidr cidr) {
    assertThat(cidr.contains(cidr.network())).isTrue();
    assertThat(cidr.contains(cidr)).isTrue();
    assertThat(cidr.overlaps(cidr)).isTrue();
  }

  @Property
  void cidrContainsAddressAgreesWithRange(@ForAll("cidrAndAddress") Tuple2<Cidr, IpAddress> pair) {
    Cidr cidr = pair.get1();
    IpAddress address = pair.get2();
    boolean expected = address.family() == cidr.family()
        && first(cidr).compareTo(address.value()) <= 0
        && address.value().compareTo(last(cidr)) <= 0;

    assertThat(cidr.contains(address)).isEqualTo(expected);
    coverBoth("contained", expected);
  }

  @Property
  void addressOfTheOtherFamilyIsNeverContained(@ForAll("cidrs") Cidr cidr, @ForAll("ips") IpAddress address) {
    if (cidr.family() != address.family()) {
      assertThat(cidr.contains(address)).isFalse();
    }
  }

  @Property
  void cidrRelationsAgreeWithRanges(@ForAll("interestingCidrs") Cidr a, @ForAll("interestingCidrs") Cidr b) {
    boolean sameFamily = a.family() == b.family();
    boolean overlaps = sameFamily
        && first(a).compareTo(last(b)) <= 0 && first(b).compareTo(last(a)) <= 0;
    boolean contains = sameFamily
        && first(a).compareTo(first(b)) <= 0 && last(b).compareTo(last(a)) <= 0;

    assertThat(a.overlaps(b)).isEqualTo(overlaps);
    assertThat(a.contains(b)).isEqualTo(contains);
    coverBoth("overlaps", overlaps);
    coverBoth("contains", contains);
  }

  @Property
  void overlapsIsSymmetric(@ForAll("interestingCidrs") Cidr a, @ForAll("interestingCidrs") Cidr b) {
    assertThat(a.overlaps(b)).isEqualTo(b.overlaps(a));
  }

  /** Exhaustive over the 1024 addresses of 10.0.0.0/22: no arithmetic in the oracle at all. */
  @Property(tries = 300)
  void cidrRelationsAgreeWithBruteForce(@ForAll("smallV4Cidrs") Cidr a, @ForAll("smallV4Cidrs") Cidr b) {
    boolean shared = false;
    boolean allOfBInA = true;
    for (IpAddress address : SMALL_SPACE) {
      boolean inA = inPrefixByText(a, address);
      boolean inB = inPrefixByText(b, address);
      assertThat(a.contains(address)).isEqualTo(inA);
      shared |= inA && inB;
      allOfBInA &= !inB || inA;
    }
    assertThat(a.overlaps(b)).isEqualTo(shared);
    assertThat(a.contains(b)).isEqualTo(allOfBInA);
    coverBoth("overlaps", shared);
  }

  // ---- IpInterface

  @Property
  void ipInterfaceIsValidExactlyForHostAddresses(
      @ForAll("ips") IpAddress address, @ForAll("lengthFraction") double fraction) {
    int length = (int) Math.round(fraction * address.bitLength());
    int hostBits = address.bitLength() - length;
    BigInteger host = address.value().and(BigInteger.ONE.shiftLeft(hostBits).subtract(BigInteger.ONE));
    BigInteger allOnes = BigInteger.ONE.shiftLeft(hostBits).subtract(BigInteger.ONE);
    boolean valid = hostBits < 2 || (host.signum() != 0 && (!address.isV4() || !host.equals(allOnes)));
    String text = address + "/" + length;

    coverBoth("valid", valid);
    if (valid) {
      IpInterface iface = IpInterface.parse(text);
      assertThat(iface).hasToString(text);
      assertThat(iface.subnet().contains(address)).isTrue();
      assertThat(iface.subnet().prefixLength()).isEqualTo(length);
    } else {
      assertThatThrownBy(() -> IpInterface.parse(text)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(" is the ");
    }
  }

  // ---- MacAddress

  @Property
  void macRoundTripsThroughTextInAnySpelling(@ForAll("macs") MacAddress mac) {
    String text = mac.toString();

    assertThat(text).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");
    assertThat(MacAddress.parse(text)).isEqualTo(mac);
    assertThat(MacAddress.parse(text.toUpperCase(Locale.ROOT).replace(':', '-'))).isEqualTo(mac);
    assertThat(Long.parseLong(text.replace(":", ""), 16)).isEqualTo(mac.value());
  }

  @Property
  void macUnicastRulesFollowTheFirstOctet(@ForAll("macs") MacAddress mac) {
    int firstOctet = Integer.parseInt(mac.toString().substring(0, 2), 16);
    boolean multicast = (firstOctet & 1) == 1;

    assertThat(mac.isMulticast()).isEqualTo(multicast);
    coverBoth("multicast", multicast);
    if (multicast || mac.value() == 0) {
      assertThatThrownBy(() -> MacAddress.parseUnicast(mac.toString()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("cannot be a port address");
    } else {
      assertThat(MacAddress.parseUnicast(mac.toString())).isEqualTo(mac);
    }
  }

  // ---- Robustness: any text is either accepted or refused with IllegalArgumentException

  @Property
  void arbitraryTextOnlyEverFailsWithIllegalArgument(@ForAll("addressLikeText") String text) {
    acceptedOrRefused(() -> IpAddress.parse(text), s -> IpAddress.parse(s.toString()));
    acceptedOrRefused(() -> Cidr.parse(text), s -> Cidr.parse(s.toString()));
    acceptedOrRefused(() -> IpInterface.parse(text), s -> IpInterface.parse(s.toString()));
    acceptedOrRefused(() -> MacAddress.parse(text), s -> MacAddress.parse(s.toString()));
  }

  private static <T> void acceptedOrRefused(Supplier<T> parse, UnaryOperator<T> reparse) {
    T parsed;
    try {
      parsed = parse.get();
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    assertThat(reparse.apply(parsed)).isEqualTo(parsed);
  }

  /** Fails the property if the generators stop producing both outcomes, which would make it vacuous. */
  static void coverBoth(String label, boolean outcome) {
    Statistics.label(label).collect(outcome);
    Statistics.label(label).coverage(coverage -> {
      coverage.check(true).percentage(p -> p >= 5);
      coverage.check(false).percentage(p -> p >= 5);
    });
  }

  // ---- Generators

  @Provide
  Arbitrary<IpAddress> ips() {
    return NetArbitraries.ip();
  }

  @Provide
  Arbitrary<IpAddress> ipv4s() {
    return NetArbitraries.ipv4();
  }

  @Provide
  Arbitrary<IpAddress> ipv6s() {
    return NetArbitraries.ipv6();
  }

  @Provide
  Arbitrary<Cidr> cidrs() {
    return NetArbitraries.cidr();
  }

  @Provide
  Arbitrary<Cidr> interestingCidrs() {
    return NetArbitraries.interestingCidr();
  }

  @Provide
  Arbitrary<Cidr> smallV4Cidrs() {
    return NetArbitraries.clusteredCidr(Family.IPV4).filter(c -> c.prefixLength() >= 22);
  }

  @Provide
  Arbitrary<Tuple2<Cidr, IpAddress>> cidrAndAddress() {
    return NetArbitraries.interestingCidr()
        .flatMap(cidr -> NetArbitraries.addressNear(cidr).map(address -> Tuple.of(cidr, address)));
  }

  /** Biased towards the ends, where the reserved host addresses live. */
  @Provide
  Arbitrary<Double> lengthFraction() {
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.just(0.0)),
        Tuple.of(3, Arbitraries.just(1.0)),
        Tuple.of(3, Arbitraries.doubles().between(0.9, 1.0)),
        Tuple.of(3, Arbitraries.doubles().between(0.0, 1.0)));
  }

  @Provide
  Arbitrary<MacAddress> macs() {
    return NetArbitraries.mac();
  }

  @Provide
  Arbitrary<String> addressLikeText() {
    Arbitrary<String> noise = Arbitraries.strings().withChars("0123456789abcdefABCDEF:.-/% xg").ofMaxLength(45);
    Arbitrary<String> mutated = Combinators.combine(
            Arbitraries.oneOf(NetArbitraries.ip().map(Object::toString),
                NetArbitraries.cidr().map(Object::toString),
                NetArbitraries.mac().map(Object::toString)),
            Arbitraries.integers().between(0, 60),
            Arbitraries.of('0', 'f', ':', '.', '/', '-', '1', 'Z'))
        .as(AddressPropertyTest::mutate);
    return Arbitraries.oneOf(noise, mutated);
  }

  // ---- Oracles

  private static final List<IpAddress> SMALL_SPACE = smallSpace();

  private static List<IpAddress> smallSpace() {
    List<IpAddress> addresses = new ArrayList<>();
    for (int i = 0; i < 1024; i++) {
      addresses.add(IpAddress.parse("10.0." + (i / 256) + "." + (i % 256)));
    }
    return addresses;
  }

  /** Membership by comparing the leading bits as binary strings. */
  private static boolean inPrefixByText(Cidr cidr, IpAddress address) {
    return bits(address).substring(0, cidr.prefixLength())
        .equals(bits(cidr.network()).substring(0, cidr.prefixLength()));
  }

  private static String bits(IpAddress address) {
    String binary = address.value().toString(2);
    return "0".repeat(address.bitLength() - binary.length()) + binary;
  }

  private static BigInteger first(Cidr cidr) {
    return cidr.network().value();
  }

  private static BigInteger last(Cidr cidr) {
    return first(cidr).add(BigInteger.ONE.shiftLeft(cidr.family().bitLength() - cidr.prefixLength()))
        .subtract(BigInteger.ONE);
  }

  private static List<Integer> hextets(BigInteger value) {
    List<Integer> hextets = new ArrayList<>();
    for (int i = 7; i >= 0; i--) {
      hextets.add(value.shiftRight(16 * i).intValue() & 0xffff);
    }
    return hextets;
  }

  private static String fullForm(BigInteger value) {
    StringJoiner joiner = new StringJoiner(":");
    hextets(value).forEach(h -> joiner.add(String.format("%04x", h)));
    return joiner.toString();
  }

  /** RFC 5952 section 4: compress the first longest run of two or more zero hextets. */
  private static String rfc5952(BigInteger value) {
    List<Integer> hextets = hextets(value);
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; i++) {
      int j = i;
      while (j < 8 && hextets.get(j) == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(hextets.get(i)));
    }
    return out.toString();
  }

  private static String mutate(String text, int position, char replacement) {
    int at = Math.min(position, text.length());
    if (position % 3 == 0 && at < text.length()) {
      return text.substring(0, at) + text.substring(at + 1);
    }
    return text.substring(0, at) + replacement + text.substring(Math.min(at + (position % 2), text.length()));
  }
}
