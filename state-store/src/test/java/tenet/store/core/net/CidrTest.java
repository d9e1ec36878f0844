package tenet.store.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      10.0.0.0/24                                 | 10.0.0.0/24                                 | 10.0.0.0          | 24
      0.0.0.0/0                                   | 0.0.0.0/0                                   | 0.0.0.0           | 0
      128.0.0.0/1                                 | 128.0.0.0/1                                 | 128.0.0.0         | 1
      10.0.0.0/7                                  | 10.0.0.0/7                                  | 10.0.0.0          | 7
      10.0.0.1/32                                 | 10.0.0.1/32                                 | 10.0.0.1          | 32
      255.255.255.255/32                          | 255.255.255.255/32                          | 255.255.255.255   | 32
      10.0.0.254/31                               | 10.0.0.254/31                               | 10.0.0.254        | 31
      ::/0                                        | ::/0                                        | ::                | 0
      8000::/1                                    | 8000::/1                                    | 8000::            | 1
      2001:DB8::/32                               | 2001:db8::/32                               | 2001:db8::        | 32
      2001:0db8:0:0::/64                          | 2001:db8::/64                               | 2001:db8::        | 64
      ::1/128                                     | ::1/128                                     | ::1               | 128
      ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128 | ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128 | ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | 128
      2001:db8::fffe/127                          | 2001:db8::fffe/127                          | 2001:db8::fffe    | 127
      """)
  void parsesToCanonicalForm(String text, String canonical, String network, int prefixLength) {
    Cidr cidr = Cidr.parse(text);

    assertThat(cidr).hasToString(canonical);
    assertThat(cidr.network()).isEqualTo(IpAddress.parse(network));
    assertThat(cidr.prefixLength()).isEqualTo(prefixLength);
    assertThat(cidr.isV4()).isEqualTo(!canonical.contains(":"));
    assertThat(Cidr.parse(canonical)).isEqualTo(cidr);
  }

  @ParameterizedTest(name = "[{0}]")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      10.0.0.1/24            | host bits are set: did you mean 10.0.0.0/24?
      10.0.0.0/6             | host bits are set: did you mean 8.0.0.0/6?
      0.0.0.1/0              | host bits are set: did you mean 0.0.0.0/0?
      10.0.0.255/31          | host bits are set: did you mean 10.0.0.254/31?
      2001:db8::1/64         | host bits are set: did you mean 2001:db8::/64?
      ::1/0                  | host bits are set: did you mean ::/0?
      2001:db8::1/127        | host bits are set: did you mean 2001:db8::/127?
      10.0.0.0               | missing prefix length: write it as 10.0.0.0/<length>
      2001:DB8::             | missing prefix length: write it as 2001:db8::/<length>
      10.0.0                 | not an IPv4 or IPv6 address: 10.0.0
      10.0.0.0/              | missing prefix length after '/'
      /24                    | missing address before '/': /24
      ""                     | must not be empty: expected an address and prefix length such as 10.0.0.0/24
      10.0.0/24              | not an IPv4 or IPv6 address: 10.0.0
      10.0.0.0/33            | prefix length 33 is out of range 0..32 for IPv4
      10.0.0.0/100           | prefix length 100 is out of range 0..32 for IPv4
      10.0.0.0/99999999999   | prefix length 99999999999 is out of range 0..32 for IPv4
      ::/129                 | prefix length 129 is out of range 0..128 for IPv6
      10.0.0.0/-1            | prefix length is not a decimal number: '-1'
      10.0.0.0/+8            | prefix length is not a decimal number: '+8'
      10.0.0.0/8.0           | prefix length is not a decimal number: '8.0'
      10.0.0.0/24/8          | prefix length is not a decimal number: '24/8'
      10.0.0.0/x             | prefix length is not a decimal number: 'x'
      10.0.0.0/024           | prefix length must not have leading zeros: 024
      10.0.0.0/255.255.255.0 | prefix length must be a number, not a netmask: write /24 instead of /255.255.255.0
      10.0.0.0/255.0.255.0   | prefix length is not a decimal number: '255.0.255.0'
      "10.0.0.0/ 24"         | must not contain whitespace: '10.0.0.0/ 24'
      " 10.0.0.0/24"         | must not contain whitespace: ' 10.0.0.0/24'
      fe80::%eth0/64         | zone ids are not allowed, an address must mean the same on every host: fe80::%eth0
      ::ffff:10.0.0.0/104    | IPv4-mapped IPv6 addresses are not allowed: write 10.0.0.0 instead
      """)
  void rejects(String text, String reason) {
    assertThatThrownBy(() -> Cidr.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(reason);
  }

  @Test
  void constructorAppliesTheSameRules() {
    IpAddress tenDotOne = IpAddress.parse("10.0.0.1");

    assertThatThrownBy(() -> new Cidr(tenDotOne, 24))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("host bits are set: did you mean 10.0.0.0/24?");
    assertThatThrownBy(() -> new Cidr(tenDotOne, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("prefix length -1 is out of range 0..32 for IPv4");
    assertThat(new Cidr(tenDotOne, 32)).hasToString("10.0.0.1/32");
  }

  @Test
  void containingClearsHostBits() {
    assertThat(Cidr.containing(IpAddress.parse("10.1.2.3"), 16)).hasToString("10.1.0.0/16");
    assertThat(Cidr.containing(IpAddress.parse("10.1.2.3"), 0)).hasToString("0.0.0.0/0");
    assertThat(Cidr.containing(IpAddress.parse("10.1.2.3"), 32)).hasToString("10.1.2.3/32");
    assertThat(Cidr.containing(IpAddress.parse("2001:db8:1:2::3"), 48)).hasToString("2001:db8:1::/48");
    assertThatThrownBy(() -> Cidr.containing(IpAddress.parse("::1"), 129))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("prefix length 129 is out of range 0..128 for IPv6");
  }

  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @CsvSource(delimiter = '|', textBlock = """
      10.0.0.0/8     | 10.0.0.0                                | true
      10.0.0.0/8     | 10.255.255.255                          | true
      10.0.0.0/8     | 11.0.0.0                                | false
      10.0.0.0/8     | 9.255.255.255                           | false
      0.0.0.0/0      | 0.0.0.0                                 | true
      0.0.0.0/0      | 255.255.255.255                         | true
      0.0.0.0/0      | ::                                      | false
      10.0.0.5/32    | 10.0.0.5                                | true
      10.0.0.5/32    | 10.0.0.4                                | false
      10.0.0.5/32    | 10.0.0.6                                | false
      ::/0           | ::                                      | true
      ::/0           | ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | true
      ::/0           | 0.0.0.0                                 | false
      ::/0           | 10.0.0.1                                | false
      2001:db8::/32  | 2001:db8:ffff:ffff:ffff:ffff:ffff:ffff  | true
      2001:db8::/32  | 2001:db9::                              | false
      ::1/128        | ::1                                     | true
      ::1/128        | ::                                      | false
      ::/96          | ::1.2.3.4                               | true
      """)
  void containsAddress(String cidr, String address, boolean expected) {
    assertThat(Cidr.parse(cidr).contains(IpAddress.parse(address))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} / {1}: contains {2}, contained {3}, overlaps {4}")
  @CsvSource(delimiter = '|', textBlock = """
      10.0.0.0/8        | 10.1.0.0/16       | true  | false | true
      10.0.0.0/24       | 10.0.0.0/24       | true  | true  | true
      10.0.0.0/24       | 10.0.1.0/24       | false | false | false
      10.0.0.0/23       | 10.0.1.0/24       | true  | false | true
      10.0.0.0/31       | 10.0.0.2/31       | false | false | false
      0.0.0.0/0         | 255.255.255.255/32| true  | false | true
      0.0.0.0/0         | ::/0              | false | false | false
      10.0.0.0/8        | a00::/8           | false | false | false
      2001:db8::/32     | 2001:db8:1::/48   | true  | false | true
      2001:db8::/48     | 2001:db8:1::/48   | false | false | false
      2001:db8::/127    | 2001:db8::2/127   | false | false | false
      ::/0              | ::1/128           | true  | false | true
      """)
  void comparesPrefixes(String a, String b, boolean aContainsB, boolean bContainsA, boolean overlap) {
    Cidr first = Cidr.parse(a);
    Cidr second = Cidr.parse(b);

    assertThat(first.contains(second)).isEqualTo(aContainsB);
    assertThat(second.contains(first)).isEqualTo(bContainsA);
    assertThat(first.overlaps(second)).isEqualTo(overlap);
    assertThat(second.overlaps(first)).isEqualTo(overlap);
  }

  @Test
  void ordersByNetworkThenWiderFirst() {
    List<Cidr> cidrs = new ArrayList<>(List.of(
        Cidr.parse("10.0.0.0/24"), Cidr.parse("::/0"), Cidr.parse("10.0.0.0/8"),
        Cidr.parse("9.0.0.0/8"), Cidr.parse("0.0.0.0/0")));
    cidrs.sort(null);

    assertThat(cidrs).map(Cidr::toString)
        .containsExactly("0.0.0.0/0", "9.0.0.0/8", "10.0.0.0/8", "10.0.0.0/24", "::/0");
  }
}
