package tenet.store.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MacAddressTest {

  private static final String EXPECTED =
      "expected six pairs of hex digits separated by ':' or '-', like 02:00:00:00:00:01, got ";

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      02:00:00:00:00:01 | 02:00:00:00:00:01 | 0x020000000001 | false | false | false
      02:AB:CD:EF:00:01 | 02:ab:cd:ef:00:01 | 0x02abcdef0001 | false | false | false
      02-ab-cd-ef-00-01 | 02:ab:cd:ef:00:01 | 0x02abcdef0001 | false | false | false
      0A-0b-0C-0d-0E-0f | 0a:0b:0c:0d:0e:0f | 0x0a0b0c0d0e0f | false | false | false
      fe:ff:ff:ff:ff:ff | fe:ff:ff:ff:ff:ff | 0xfeffffffffff | false | false | false
      00:00:00:00:00:00 | 00:00:00:00:00:00 | 0x000000000000 | false | false | true
      01:00:5e:00:00:01 | 01:00:5e:00:00:01 | 0x01005e000001 | true  | false | false
      33:33:00:00:00:01 | 33:33:00:00:00:01 | 0x333300000001 | true  | false | false
      FF:FF:FF:FF:FF:FF | ff:ff:ff:ff:ff:ff | 0xffffffffffff | true  | true  | false
      """)
  void parsesToCanonicalForm(String text, String canonical, String hex, boolean multicast, boolean broadcast,
      boolean zero) {
    MacAddress mac = MacAddress.parse(text);

    assertThat(mac).hasToString(canonical);
    assertThat(mac.value()).isEqualTo(Long.decode(hex));
    assertThat(mac.isMulticast()).isEqualTo(multicast);
    assertThat(mac.isBroadcast()).isEqualTo(broadcast);
    assertThat(mac.isZero()).isEqualTo(zero);
    assertThat(MacAddress.parse(canonical)).isEqualTo(mac);
  }

  @ParameterizedTest(name = "[{0}]")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      ""                     | ''
      02:00:00:00:01         | '02:00:00:00:01'
      02:00:00:00:00:01:02   | '02:00:00:00:00:01:02'
      2:0:0:0:0:1            | '2:0:0:0:0:1'
      020000000001           | '020000000001'
      0200.0000.0001         | '0200.0000.0001'
      02.00.00.00.00.01      | '02.00.00.00.00.01'
      02:00:00:00:00:0g      | '02:00:00:00:00:0g'
      +2:00:00:00:00:01      | '+2:00:00:00:00:01'
      02:00:00:00:00:-1      | '02:00:00:00:00:-1'
      \uff10\uff12:00:00:00:00:01 | '\uff10\uff12:00:00:00:00:01'
      "02:00:00:00:00:1 "    | '02:00:00:00:00:1 '
      " 02:00:00:00:00:01"   | ' 02:00:00:00:00:01'
      02:00:00:00:00:01a     | '02:00:00:00:00:01a'
      02:00::00:00:00:01     | '02:00::00:00:00:01'
      """)
  void rejectsMalformed(String text, String shown) {
    assertThatThrownBy(() -> MacAddress.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(EXPECTED + shown);
  }

  @Test
  void rejectsMixedSeparators() {
    assertThatThrownBy(() -> MacAddress.parse("02:00-00:00:00:01"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("mixes ':' and '-' separators: 02:00-00:00:00:01");
    assertThatThrownBy(() -> MacAddress.parse("02-00-00-00-00:01"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("mixes ':' and '-' separators: 02-00-00-00-00:01");
  }

  @ParameterizedTest(name = "[{0}]")
  @CsvSource(delimiter = '|', textBlock = """
      ff:ff:ff:ff:ff:ff | broadcast MAC cannot be a port address
      FF-FF-FF-FF-FF-FF | broadcast MAC cannot be a port address
      01:00:5e:00:00:01 | multicast MAC cannot be a port address: the first octet of 01:00:5e:00:00:01 is odd
      33:33:00:00:00:01 | multicast MAC cannot be a port address: the first octet of 33:33:00:00:00:01 is odd
      03:00:00:00:00:00 | multicast MAC cannot be a port address: the first octet of 03:00:00:00:00:00 is odd
      00:00:00:00:00:00 | all-zero MAC cannot be a port address
      00-00-00-00-00-00 | all-zero MAC cannot be a port address
      02:00:00:00:01    | expected six pairs of hex digits separated by ':' or '-', like 02:00:00:00:00:01, got '02:00:00:00:01'
      """)
  void parseUnicastRejectsGroupAndZeroAddresses(String text, String reason) {
    assertThatThrownBy(() -> MacAddress.parseUnicast(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(reason);
  }

  @ParameterizedTest
  @CsvSource({"02:00:00:00:00:01", "00:00:00:00:00:01", "FE:FF:FF:FF:FF:FF", "52-54-00-12-34-56"})
  void parseUnicastAcceptsStationAddresses(String text) {
    assertThat(MacAddress.parseUnicast(text)).isEqualTo(MacAddress.parse(text));
  }

  @Test
  void constructorKeepsTheValueIn48Bits() {
    assertThatThrownBy(() -> new MacAddress(1L << 48))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("value 0x1000000000000 does not fit in 48 bits");
    assertThatThrownBy(() -> new MacAddress(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("value 0xffffffffffffffff does not fit in 48 bits");
    assertThat(MacAddress.ZERO).hasToString("00:00:00:00:00:00");
    assertThat(MacAddress.BROADCAST).hasToString("ff:ff:ff:ff:ff:ff");
  }

  @Test
  void bytesAreMostSignificantFirstAndFresh() {
    MacAddress mac = MacAddress.parse("02:ab:cd:ef:00:01");
    byte[] bytes = mac.bytes();

    assertThat(bytes).containsExactly(0x02, 0xab, 0xcd, 0xef, 0x00, 0x01);
    bytes[0] = 0;
    assertThat(mac.bytes()[0]).isEqualTo((byte) 2);
  }

  @Test
  void ordersNumerically() {
    assertThat(MacAddress.parse("02:00:00:00:00:02")).isGreaterThan(MacAddress.parse("02:00:00:00:00:01"))
        .isLessThan(MacAddress.parse("ff:00:00:00:00:00"));
  }
}
