package tenet.store.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tenet.store.testing.Gen.weight;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import tenet.store.core.net.IpAddress.Family;
import tenet.store.testing.Gen;
import tenet.store.testing.Gen.Pair;
import tenet.store.testing.Property;

/**
 * Properties of the address types, checked against oracles that share no code with them:
 * plain BigInteger ranges for prefixes, a direct RFC 5952 formatter for IPv6 text.
 */
class AddressPropertyTest {

  // ---- IpAddress

  @Test
  void ipAddressRoundTripsThroughText() {
    Property.forAll(NetGenerators.ip()).check(address ->
        assertThat(IpAddress.parse(address.toString())).isEqualTo(address));
  }

  @Test
  void ipAddressRoundTripsThroughBytes() {
    Property.forAll(NetGenerators.ip()).check(address -> {
      assertThat(address.bytes()).hasSize(address.bitLength() / 8);
      assertThat(IpAddress.fromBytes(address.bytes())).isEqualTo(address);
    });
  }

  @Test
  void ipv4TextIsTheDottedQuad() {
    Property.forAll(NetGenerators.ipv4()).check(address -> {
      long v = address.value().longValue();
      String expected = (v >>> 24) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff) + "." + (v & 0xff);

      assertThat(address).hasToString(expected);
    });
  }

  @Test
  void ipv6TextIsRfc5952() {
    Property.forAll(NetGenerators.ipv6()).check(address ->
        assertThat(address).hasToString(rfc5952(address.value())));
  }

  @Test
  void ipv6ParsingIgnoresCaseAndZeroPadding() {
    Property.forAll(NetGenerators.ipv6()).check(address -> {
      String full = fullForm(address.value());

      assertThat(IpAddress.parse(full)).isEqualTo(address);
      assertThat(IpAddress.parse(full.toUpperCase(Locale.ROOT))).isEqualTo(address);
    });
  }

  /** Independent pairs, plus equal ones, which independent draws would hardly ever produce. */
  @Test
  void ipAddressOrderIsFamilyThenValue() {
    Gen<Pair<IpAddress, IpAddress>> pairs = Gen.frequency(
        weight(9, Gen.pair(NetGenerators.ip(), NetGenerators.ip())),
        weight(1, NetGenerators.ip().map(a -> new Pair<>(a, a))));
    Property.forAll(pairs).check(pair -> {
      IpAddress a = pair.first();
      IpAddress b = pair.second();
      int expected = a.family() != b.family()
          ? a.family().compareTo(b.family())
          : a.value().compareTo(b.value());

      assertThat(Integer.signum(a.compareTo(b))).isEqualTo(Integer.signum(expected));
    });
  }

  // ---- Cidr

  @Test
  void cidrRoundTripsThroughText() {
    Property.forAll(NetGenerators.cidr()).check(cidr ->
        assertThat(Cidr.parse(cidr.toString())).isEqualTo(cidr));
  }

  @Test
  void cidrContainsItsOwnNetworkAddressAndItself() {
    Property.forAll(NetGenerators.cidr()).check(cidr -> {
      assertThat(cidr.contains(cidr.network())).isTrue();
      assertThat(cidr.contains(cidr)).isTrue();
      assertThat(cidr.overlaps(cidr)).isTrue();
    });
  }

  @Test
  void cidrContainsAddressAgreesWithRange() {
    Gen<Pair<Cidr, IpAddress>> cidrAndAddress = NetGenerators.interestingCidr()
        .flatMap(cidr -> NetGenerators.addressNear(cidr).map(address -> new Pair<>(cidr, address)));
    Property.forAll(cidrAndAddress).check((pair, coverage) -> {
      Cidr cidr = pair.first();
      IpAddress address = pair.second();
      boolean expected = address.family() == cidr.family()
          && first(cidr).compareTo(address.value()) <= 0
          && address.value().compareTo(last(cidr)) <= 0;

      assertThat(cidr.contains(address)).isEqualTo(expected);
      coverage.both("contained", expected);
    });
  }

  @Test
  void addressOfTheOtherFamilyIsNeverContained() {
    Property.forAll(NetGenerators.cidr(), NetGenerators.ip()).check(pair -> {
      Cidr cidr = pair.first();
      IpAddress address = pair.second();
      if (cidr.family() != address.family()) {
        assertThat(cidr.contains(address)).isFalse();
      }
    });
  }

  @Test
  void cidrRelationsAgreeWithRanges() {
    Gen<Cidr> cidrs = NetGenerators.interestingCidr();
    Property.forAll(cidrs, cidrs).check((pair, coverage) -> {
      Cidr a = pair.first();
      Cidr b = pair.second();
      boolean sameFamily = a.family() == b.family();
      boolean overlaps = sameFamily
          && first(a).compareTo(last(b)) <= 0 && first(b).compareTo(last(a)) <= 0;
      boolean contains = sameFamily
          && first(a).compareTo(first(b)) <= 0 && last(b).compareTo(last(a)) <= 0;

      assertThat(a.overlaps(b)).isEqualTo(overlaps);
      assertThat(a.contains(b)).isEqualTo(contains);
      coverage.both("overlaps", overlaps);
      coverage.both("contains", contains);
    });
  }

  @Test
  void overlapsIsSymmetric() {
    Property.forAll(NetGenerators.interestingCidr(), NetGenerators.interestingCidr()).check(pair ->
        assertThat(pair.first().overlaps(pair.second())).isEqualTo(pair.second().overlaps(pair.first())));
  }

  /** Exhaustive over the 1024 addresses of 10.0.0.0/22: no arithmetic in the oracle at all. */
  @Test
  void cidrRelationsAgreeWithBruteForce() {
    Gen<Cidr> smallV4Cidrs = NetGenerators.clusteredCidr(Family.IPV4).filter(c -> c.prefixLength() >= 22);
    Property.forAll(smallV4Cidrs, smallV4Cidrs).tries(300).check((pair, coverage) -> {
      Cidr a = pair.first();
      Cidr b = pair.second();
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
      coverage.both("overlaps", shared);
    });
  }

  // ---- IpInterface

  /** A prefix length as a share of the address length, biased towards the ends: reserved hosts live there. */
  private static final Gen<Double> LENGTH_FRACTION = Gen.frequency(
      weight(1, Gen.of(0.0)),
      weight(3, Gen.of(1.0)),
      weight(3, Gen.doubles(0.9, 1.0)),
      weight(3, Gen.doubles(0.0, 1.0)));

  @Test
  void ipInterfaceIsValidExactlyForHostAddresses() {
    Property.forAll(NetGenerators.ip(), LENGTH_FRACTION).check((pair, coverage) -> {
      IpAddress address = pair.first();
      int length = (int) Math.round(pair.second() * address.bitLength());
      int hostBits = address.bitLength() - length;
      BigInteger host = address.value().and(BigInteger.ONE.shiftLeft(hostBits).subtract(BigInteger.ONE));
      BigInteger allOnes = BigInteger.ONE.shiftLeft(hostBits).subtract(BigInteger.ONE);
      boolean valid = hostBits < 2 || (host.signum() != 0 && (!address.isV4() || !host.equals(allOnes)));
      String text = address + "/" + length;

      coverage.both("valid", valid);
      if (valid) {
        IpInterface iface = IpInterface.parse(text);
        assertThat(iface).hasToString(text);
        assertThat(iface.subnet().contains(address)).isTrue();
        assertThat(iface.subnet().prefixLength()).isEqualTo(length);
      } else {
        assertThatThrownBy(() -> IpInterface.parse(text)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(" is the ");
      }
    });
  }

  // ---- MacAddress

  @Test
  void macRoundTripsThroughTextInAnySpelling() {
    Property.forAll(NetGenerators.mac()).check(mac -> {
      String text = mac.toString();

      assertThat(text).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");
      assertThat(MacAddress.parse(text)).isEqualTo(mac);
      assertThat(MacAddress.parse(text.toUpperCase(Locale.ROOT).replace(':', '-'))).isEqualTo(mac);
      assertThat(Long.parseLong(text.replace(":", ""), 16)).isEqualTo(mac.value());
    });
  }

  @Test
  void macUnicastRulesFollowTheFirstOctet() {
    Property.forAll(NetGenerators.mac()).check((mac, coverage) -> {
      int firstOctet = Integer.parseInt(mac.toString().substring(0, 2), 16);
      boolean multicast = (firstOctet & 1) == 1;

      assertThat(mac.isMulticast()).isEqualTo(multicast);
      coverage.both("multicast", multicast);
      if (multicast || mac.value() == 0) {
        assertThatThrownBy(() -> MacAddress.parseUnicast(mac.toString()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("cannot be a port address");
      } else {
        assertThat(MacAddress.parseUnicast(mac.toString())).isEqualTo(mac);
      }
    });
  }

  // ---- Robustness: any text is either accepted or refused with IllegalArgumentException

  /** Noise over the characters addresses are made of, or a valid address with one character changed. */
  private static final Gen<String> ADDRESS_LIKE_TEXT = Gen.oneOf(
      Gen.strings("0123456789abcdefABCDEF:.-/% xg", 45),
      Gen.oneOf(NetGenerators.ip().map(Object::toString), NetGenerators.cidr().map(Object::toString),
              NetGenerators.mac().map(Object::toString))
          .flatMap(text -> Gen.pair(Gen.ints(0, 60), Gen.of('0', 'f', ':', '.', '/', '-', '1', 'Z'))
              .map(edit -> mutate(text, edit.first(), edit.second()))));

  @Test
  void arbitraryTextOnlyEverFailsWithIllegalArgument() {
    Property.forAll(ADDRESS_LIKE_TEXT).check(text -> {
      acceptedOrRefused(() -> IpAddress.parse(text), s -> IpAddress.parse(s.toString()));
      acceptedOrRefused(() -> Cidr.parse(text), s -> Cidr.parse(s.toString()));
      acceptedOrRefused(() -> IpInterface.parse(text), s -> IpInterface.parse(s.toString()));
      acceptedOrRefused(() -> MacAddress.parse(text), s -> MacAddress.parse(s.toString()));
    });
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
