package tenet.store.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tenet.store.core.net.IpAddress.Family;

class IpAddressTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      0.0.0.0                                 | 0.0.0.0                                 | IPV4
      10.0.0.1                                | 10.0.0.1                                | IPV4
      192.168.100.200                         | 192.168.100.200                         | IPV4
      255.255.255.255                         | 255.255.255.255                         | IPV4
      ::                                      | ::                                      | IPV6
      0:0:0:0:0:0:0:0                         | ::                                      | IPV6
      ::1                                     | ::1                                     | IPV6
      1::                                     | 1::                                     | IPV6
      fe80::1                                 | fe80::1                                 | IPV6
      2001:DB8::1                             | 2001:db8::1                             | IPV6
      2001:0db8:0000:0000:0000:0000:0000:0001 | 2001:db8::1                             | IPV6
      2001:db8:0:0:1:0:0:1                    | 2001:db8::1:0:0:1                       | IPV6
      1:0:0:2:0:0:0:3                         | 1:0:0:2::3                              | IPV6
      2001:db8:0:1:1:1:1:1                    | 2001:db8:0:1:1:1:1:1                    | IPV6
      1:2:3:4:5:6:7::                         | 1:2:3:4:5:6:7:0                         | IPV6
      ::1:2:3:4:5:6:7                         | 0:1:2:3:4:5:6:7                         | IPV6
      ::1.2.3.4                               | ::102:304                               | IPV6
      64:ff9b::192.0.2.33                     | 64:ff9b::c000:221                       | IPV6
      FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF | ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | IPV6
      """)
  void parsesToCanonicalForm(String text, String canonical, Family family) {
    IpAddress address = IpAddress.parse(text);

    assertThat(address).hasToString(canonical);
    assertThat(address.family()).isEqualTo(family);
    assertThat(address.isV4()).isEqualTo(family == Family.IPV4);
    assertThat(address.bitLength()).isEqualTo(family == Family.IPV4 ? 32 : 128);
    assertThat(IpAddress.parse(canonical)).isEqualTo(address);
  }

  @ParameterizedTest(name = "[{0}]")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      ""                     | must not be empty: expected an IPv4 or IPv6 address
      10.0.0                 | not an IPv4 or IPv6 address: 10.0.0
      10.0.0.256             | not an IPv4 or IPv6 address: 10.0.0.256
      1.2.3.4.5              | not an IPv4 or IPv6 address: 1.2.3.4.5
      -1.0.0.0               | not an IPv4 or IPv6 address: -1.0.0.0
      0x0a.0.0.1             | not an IPv4 or IPv6 address: 0x0a.0.0.1
      10.0.0.1/24            | not an IPv4 or IPv6 address: 10.0.0.1/24
      example.com            | not an IPv4 or IPv6 address: example.com
      localhost              | not an IPv4 or IPv6 address: localhost
      [::1]                  | not an IPv4 or IPv6 address: [::1]
      1::2::3                | not an IPv4 or IPv6 address: 1::2::3
      12345::                | not an IPv4 or IPv6 address: 12345::
      1:2:3:4:5:6:7:8:9      | not an IPv4 or IPv6 address: 1:2:3:4:5:6:7:8:9
      1::2:3:4:5:6:7:8       | not an IPv4 or IPv6 address: 1::2:3:4:5:6:7:8
      :1::                   | not an IPv4 or IPv6 address: :1::
      1.2.3.4:               | not an IPv4 or IPv6 address: 1.2.3.4:
      \u0661.2.3.4           | not an IPv4 or IPv6 address: \u0661.2.3.4
      ::\uff11               | not an IPv4 or IPv6 address: ::\uff11
      010.0.0.1              | leading zeros are not allowed, they read as octal to some tools: 010.0.0.1
      10.0.0.01              | leading zeros are not allowed, they read as octal to some tools: 10.0.0.01
      fe80::1%eth0           | zone ids are not allowed, an address must mean the same on every host: fe80::1%eth0
      fe80::1%1              | zone ids are not allowed, an address must mean the same on every host: fe80::1%1
      ::ffff:10.0.0.1        | IPv4-mapped IPv6 addresses are not allowed: write 10.0.0.1 instead
      ::FFFF:a00:1           | IPv4-mapped IPv6 addresses are not allowed: write 10.0.0.1 instead
      " 10.0.0.1"            | must not contain whitespace: ' 10.0.0.1'
      "10.0.0.1 "            | must not contain whitespace: '10.0.0.1 '
      ":: 1"                 | must not contain whitespace: ':: 1'
      """)
  void rejects(String text, String reason) {
    assertThatThrownBy(() -> IpAddress.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(reason);
  }

  @Test
  void rejectsControlWhitespace() {
    assertThatThrownBy(() -> IpAddress.parse("10.0.0.1\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("must not contain whitespace: '10.0.0.1\n'");
    assertThatThrownBy(() -> IpAddress.parse("\t::1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("must not contain whitespace: '\t::1'");
  }

  @Test
  void longInputIsShortenedInTheMessage() {
    String text = "1".repeat(500);

    assertThatThrownBy(() -> IpAddress.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not an IPv4 or IPv6 address: " + "1".repeat(77) + "...");
  }

  @Test
  void constructorKeepsValuesInRange() {
    assertThatThrownBy(() -> new IpAddress(Family.IPV4, BigInteger.ONE.shiftLeft(32)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("value 4294967296 does not fit in 32 bits for IPv4");
    assertThatThrownBy(() -> new IpAddress(Family.IPV6, BigInteger.ONE.negate()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("value -1 does not fit in 128 bits for IPv6");
    assertThat(new IpAddress(Family.IPV6, BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE)))
        .hasToString("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
  }

  @Test
  void constructorRejectsIpv4MappedIpv6() {
    BigInteger mapped = new BigInteger("ffff0a000001", 16);

    assertThatThrownBy(() -> new IpAddress(Family.IPV6, mapped))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("IPv4-mapped IPv6 addresses are not allowed: write 10.0.0.1 instead");
    // Neighbours of the mapped range are ordinary addresses.
    assertThat(new IpAddress(Family.IPV6, new BigInteger("fffe0a000001", 16))).hasToString("::fffe:a00:1");
    assertThat(new IpAddress(Family.IPV6, new BigInteger("1ffff0a000001", 16))).hasToString("::1:ffff:a00:1");
  }

  @Test
  void bytesAreBigEndianAndCopied() {
    IpAddress v4 = IpAddress.parse("10.1.2.254");
    byte[] bytes = v4.bytes();

    assertThat(bytes).containsExactly(10, 1, 2, (byte) 254);
    bytes[0] = 99;
    assertThat(v4.bytes()[0]).isEqualTo((byte) 10);
    assertThat(IpAddress.parse("::").bytes()).hasSize(16).containsOnly(0);
    assertThat(IpAddress.parse("8000::1").bytes()).startsWith((byte) 0x80).endsWith((byte) 1);
  }

  @Test
  void fromBytesCopiesAndChecksTheLength() {
    byte[] bytes = {(byte) 192, 0, 2, 1};
    IpAddress address = IpAddress.fromBytes(bytes);
    bytes[0] = 0;

    assertThat(address).hasToString("192.0.2.1");
    assertThat(IpAddress.fromBytes(IpAddress.parse("2001:db8::1").bytes())).hasToString("2001:db8::1");
    assertThatThrownBy(() -> IpAddress.fromBytes(new byte[6]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an address has 4 or 16 bytes, got 6");
  }

  @Test
  void ordersIpv4BeforeIpv6ThenNumerically() {
    List<IpAddress> addresses = new ArrayList<>(List.of(
        IpAddress.parse("::"), IpAddress.parse("10.0.0.10"), IpAddress.parse("255.255.255.255"),
        IpAddress.parse("10.0.0.9"), IpAddress.parse("2001:db8::"), IpAddress.parse("0.0.0.0")));
    addresses.sort(null);

    assertThat(addresses).map(IpAddress::toString)
        .containsExactly("0.0.0.0", "10.0.0.9", "10.0.0.10", "255.255.255.255", "::", "2001:db8::");
  }

  @Test
  void equalityIsByValueAcrossSpellings() {
    assertThat(IpAddress.parse("2001:0DB8::0001")).isEqualTo(IpAddress.parse("2001:db8::1"))
        .hasSameHashCodeAs(IpAddress.parse("2001:db8::1"));
    // The same 32 bits in the two families are different addresses.
    assertThat(IpAddress.parse("0.0.0.1")).isNotEqualTo(IpAddress.parse("::1"));
  }
}
