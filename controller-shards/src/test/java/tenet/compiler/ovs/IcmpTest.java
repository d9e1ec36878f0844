package tenet.compiler.ovs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * {@link Icmp} against frames built apart from it (by hand, with their checksums worked out
 * independently): ResponderTest trusts it to tell a right checksum from a wrong one.
 */
class IcmpTest {
  private static final HexFormat HEX = HexFormat.of();
  /** web-1 (fd00::11) asking for fd00::12: to ff02::1:ff00:12, with its MAC as option; checksum 0x7d57. */
  private static final String SOLICITATION = "3333ff000012020000000011" + "86dd" + "6000000000203aff"
      + "fd000000000000000000000000000011" + "ff0200000000000000000001ff000012"
      + "87007d5700000000fd000000000000000000000000000012" + "0101020000000011";
  /** 10.0.0.11 pinging 10.0.0.1 (identifier 7, sequence 1, "tenet ping"); checksums 0x5498 and 0xc23b. */
  private static final String ECHO = "02000000ff01020000000011" + "0800" + "45000026123400004001" + "5498"
      + "0a00000b0a000001" + "0800c23b00070001" + "74656e65742070696e67";

  @Test
  void buildsTheFramesByteForByte() {
    assertThat(Icmp.solicitation("02:00:00:00:00:11", "33:33:ff:00:00:12", "fd00::11", "ff02::1:ff00:12", "fd00::12",
        "02:00:00:00:00:11").hex()).isEqualTo(SOLICITATION);
    assertThat(Icmp.echoRequest("02:00:00:00:00:11", "02:00:00:00:ff:01", "10.0.0.11", "10.0.0.1", 64, 7, 1).hex())
        .isEqualTo(ECHO);
    assertThat(Icmp.solicitedNode("fd00::12")).isEqualTo("ff02::1:ff00:12");
    assertThat(Icmp.multicastMac("ff02::1:ff00:12")).isEqualTo("33:33:ff:00:00:12");
  }

  @Test
  void parsesWhatItBuiltAndTellsAWrongChecksum() {
    for (String frame : new String[] {SOLICITATION, ECHO}) {
      byte[] f = HEX.parseHex(frame);
      assertThat(Icmp.parse(f).checksummed()).isTrue();
      assertThat(Icmp.parse(f).hex()).isEqualTo(frame);
      f[f.length - 1] ^= 1;
      assertThat(Icmp.parse(f).checksummed()).as("a bit flipped in %s", frame).isFalse();
    }
    byte[] ip = HEX.parseHex(ECHO);
    ip[22]--; // the TTL, without the header checksum following it
    assertThat(Icmp.parse(ip).checksummed()).isFalse();
  }

  @Test
  void anIpv6AddressChangeMustShowInTheChecksum() {
    // The pseudo-header counts: the same message to another address no longer verifies.
    byte[] f = HEX.parseHex(SOLICITATION);
    f[53] = 0x13;
    assertThat(Icmp.parse(f).checksummed()).isFalse();
  }
}
