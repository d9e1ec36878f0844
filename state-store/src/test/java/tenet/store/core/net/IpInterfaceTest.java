package tenet.store.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpInterfaceTest {

  @ParameterizedTest(name = "{0} -> {1} on {3}")
  @CsvSource(delimiter = '|', textBlock = """
      10.0.0.1/24                          | 10.0.0.1/24                          | 10.0.0.1                      | 10.0.0.0/24
      10.0.0.254/24                        | 10.0.0.254/24                        | 10.0.0.254                    | 10.0.0.0/24
      10.0.0.2/30                          | 10.0.0.2/30                          | 10.0.0.2                      | 10.0.0.0/30
      10.0.0.0/31                          | 10.0.0.0/31                          | 10.0.0.0                      | 10.0.0.0/31
      10.0.0.1/31                          | 10.0.0.1/31                          | 10.0.0.1                      | 10.0.0.0/31
      10.0.0.0/32                          | 10.0.0.0/32                          | 10.0.0.0                      | 10.0.0.0/32
      255.255.255.255/32                   | 255.255.255.255/32                   | 255.255.255.255               | 255.255.255.255/32
      0.0.0.1/0                            | 0.0.0.1/0                            | 0.0.0.1                       | 0.0.0.0/0
      2001:DB8::1/64                       | 2001:db8::1/64                       | 2001:db8::1                   | 2001:db8::/64
      2001:db8::ffff:ffff:ffff:ffff/64     | 2001:db8::ffff:ffff:ffff:ffff/64     | 2001:db8::ffff:ffff:ffff:ffff | 2001:db8::/64
      2001:db8::/127                       | 2001:db8::/127                       | 2001:db8::                    | 2001:db8::/127
      2001:db8::1/127                      | 2001:db8::1/127                      | 2001:db8::1                   | 2001:db8::/127
      2001:db8::/128                       | 2001:db8::/128                       | 2001:db8::                    | 2001:db8::/128
      fe80::1:2/10                         | fe80::1:2/10                         | fe80::1:2                     | fe80::/10
      """)
  void parsesHostAddressAndSubnet(String text, String canonical, String address, String subnet) {
    IpInterface iface = IpInterface.parse(text);

    assertThat(iface).hasToString(canonical);
    assertThat(iface.address()).isEqualTo(IpAddress.parse(address));
    assertThat(iface.subnet()).isEqualTo(Cidr.parse(subnet));
    assertThat(iface.subnet().contains(iface.address())).isTrue();
    assertThat(iface.isV4()).isEqualTo(iface.address().isV4());
    assertThat(IpInterface.parse(canonical)).isEqualTo(iface);
  }

  @ParameterizedTest(name = "[{0}]")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      10.0.0.0/24        | 10.0.0.0 is the network address of 10.0.0.0/24, not a host address: the first host is 10.0.0.1/24
      10.0.0.0/30        | 10.0.0.0 is the network address of 10.0.0.0/30, not a host address: the first host is 10.0.0.1/30
      0.0.0.0/0          | 0.0.0.0 is the network address of 0.0.0.0/0, not a host address: the first host is 0.0.0.1/0
      10.0.0.255/24      | 10.0.0.255 is the broadcast address of 10.0.0.0/24, not a host address
      10.0.0.3/30        | 10.0.0.3 is the broadcast address of 10.0.0.0/30, not a host address
      255.255.255.255/0  | 255.255.255.255 is the broadcast address of 0.0.0.0/0, not a host address
      2001:db8::/64      | 2001:db8:: is the subnet-router anycast address of 2001:db8::/64, not a host address: the first host is 2001:db8::1/64
      2001:db8::/126     | 2001:db8:: is the subnet-router anycast address of 2001:db8::/126, not a host address: the first host is 2001:db8::1/126
      10.0.0.1           | missing prefix length: write it as 10.0.0.1/<length>
      10.0.0.1/33        | prefix length 33 is out of range 0..32 for IPv4
      2001:db8::1/129    | prefix length 129 is out of range 0..128 for IPv6
      10.0.0.1/          | missing prefix length after '/'
      10.0.0.1/255.255.255.0 | prefix length must be a number, not a netmask: write /24 instead of /255.255.255.0
      ""                 | must not be empty: expected an address and prefix length such as 10.0.0.1/24
      10.0.0.256/24      | not an IPv4 or IPv6 address: 10.0.0.256
      "10.0.0.1 /24"     | must not contain whitespace: '10.0.0.1 /24'
      """)
  void rejects(String text, String reason) {
    assertThatThrownBy(() -> IpInterface.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(reason);
  }

  @Test
  void constructorAppliesTheSameRules() {
    assertThatThrownBy(() -> new IpInterface(IpAddress.parse("192.168.1.0"), 24))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("192.168.1.0 is the network address of 192.168.1.0/24");
    assertThat(new IpInterface(IpAddress.parse("192.168.1.7"), 24).subnet()).hasToString("192.168.1.0/24");
  }
}
