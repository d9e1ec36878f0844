package tenet.compiler.ovs;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import tenet.store.core.net.IpAddress;

/**
 * An ICMP (IPv4) or ICMPv6 message in an Ethernet frame, built byte by byte here rather than by
 * OVS (the test must not take OVS's word for the checksums it checks): {@link #frame} is what a
 * VM sends, {@link #parse} reads what a port wrote. {@code body} is everything after the
 * checksum, in hex (echo: identifier, sequence number, data; neighbour discovery: flags, target,
 * options). {@code checksummed}: the ICMP checksum verifies (ICMPv6's over its pseudo-header) and,
 * for IPv4, the header checksum too; true in everything built here, so comparing a parsed frame
 * with the one expected checks its checksums with every other field.
 */
record Icmp(String ethSrc, String ethDst, String ipSrc, String ipDst, int ttl, int type, int code, String body,
    boolean checksummed) {
  static final int ECHO_REQUEST = 8;
  static final int ECHO_REPLY = 0;
  static final int ECHO_REQUEST_V6 = 128;
  static final int ECHO_REPLY_V6 = 129;
  static final int NEIGHBOUR_SOLICITATION = 135;
  static final int NEIGHBOUR_ADVERTISEMENT = 136;
  /** Neighbour advertisement flags. */
  static final int ROUTER = 0x80000000;
  static final int SOLICITED = 0x40000000;
  static final int OVERRIDE = 0x20000000;
  private static final int SOURCE_LINK_LAYER = 1;
  private static final int TARGET_LINK_LAYER = 2;
  private static final HexFormat HEX = HexFormat.of();
  private static final String ECHO_DATA = HEX.formatHex("tenet ping".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

  static Icmp echoRequest(String ethSrc, String ethDst, String ipSrc, String ipDst, int ttl, int id, int seq) {
    return echo(ethSrc, ethDst, ipSrc, ipDst, ttl, v6(ipSrc) ? ECHO_REQUEST_V6 : ECHO_REQUEST, id, seq);
  }

  static Icmp echoReply(String ethSrc, String ethDst, String ipSrc, String ipDst, int ttl, int id, int seq) {
    return echo(ethSrc, ethDst, ipSrc, ipDst, ttl, v6(ipSrc) ? ECHO_REPLY_V6 : ECHO_REPLY, id, seq);
  }

  private static Icmp echo(String ethSrc, String ethDst, String ipSrc, String ipDst, int ttl, int type, int id,
      int seq) {
    return new Icmp(ethSrc, ethDst, ipSrc, ipDst, ttl, type, 0, String.format("%04x%04x", id, seq) + ECHO_DATA, true);
  }

  /**
   * A neighbour solicitation for {@code target} (hop limit 255, as RFC 4861 requires), with a
   * Source Link-Layer Address option carrying {@code sll}, or none when it is null.
   */
  static Icmp solicitation(String ethSrc, String ethDst, String ipSrc, String ipDst, String target, String sll) {
    return solicitation(ethSrc, ethDst, ipSrc, ipDst, 255, target, sll);
  }

  static Icmp solicitation(String ethSrc, String ethDst, String ipSrc, String ipDst, int hopLimit, String target,
      String sll) {
    return new Icmp(ethSrc, ethDst, ipSrc, ipDst, hopLimit, NEIGHBOUR_SOLICITATION, 0,
        "00000000" + HEX.formatHex(address(target)) + option(SOURCE_LINK_LAYER, sll), true);
  }

  /** A neighbour advertisement with {@code flags}, and a Target Link-Layer Address option with {@code tll} unless null. */
  static Icmp advertisement(String ethSrc, String ethDst, String ipSrc, String ipDst, int flags, String target,
      String tll) {
    return new Icmp(ethSrc, ethDst, ipSrc, ipDst, 255, NEIGHBOUR_ADVERTISEMENT, 0,
        String.format("%08x", flags) + HEX.formatHex(address(target)) + option(TARGET_LINK_LAYER, tll), true);
  }

  private static String option(int type, String mac) {
    return mac == null ? "" : String.format("%02x01", type) + mac.replace(":", "");
  }

  /** The solicited-node multicast address of {@code ip} (RFC 4291 2.7.1): where a solicitation for it goes. */
  static String solicitedNode(String ip) {
    byte[] a = address(ip);
    return IpAddress.parse(String.format("ff02::1:ff%02x:%02x%02x", a[13], a[14], a[15])).toString();
  }

  /** The Ethernet multicast of an IPv6 multicast address (RFC 2464 7). */
  static String multicastMac(String ipv6) {
    byte[] a = address(ipv6);
    return String.format("33:33:%02x:%02x:%02x:%02x", a[12], a[13], a[14], a[15]);
  }

  /** The frame, with every length and checksum computed. */
  byte[] frame() {
    byte[] icmp = HEX.parseHex(String.format("%02x%02x0000", type, code) + body);
    byte[] src = address(ipSrc);
    byte[] dst = address(ipDst);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(mac(ethDst));
    out.writeBytes(mac(ethSrc));
    if (src.length == 16) {
      putShort(icmp, 2, checksum(pseudoHeader(src, dst, icmp.length), icmp));
      out.writeBytes(HEX.parseHex("86dd60000000"));
      out.writeBytes(new byte[] {(byte) (icmp.length >> 8), (byte) icmp.length, 58, (byte) ttl});
      out.writeBytes(src);
      out.writeBytes(dst);
    } else {
      putShort(icmp, 2, checksum(icmp));
      byte[] ip = new byte[20];
      ip[0] = 0x45;
      putShort(ip, 2, 20 + icmp.length);
      putShort(ip, 4, 0x1234); // identification
      ip[8] = (byte) ttl;
      ip[9] = 1;
      System.arraycopy(src, 0, ip, 12, 4);
      System.arraycopy(dst, 0, ip, 16, 4);
      putShort(ip, 10, checksum(ip));
      out.writeBytes(HEX.parseHex("0800"));
      out.writeBytes(ip);
    }
    out.writeBytes(icmp);
    return out.toByteArray();
  }

  /** The frame in hex, as netdev-dummy/receive takes it. */
  String hex() {
    return HEX.formatHex(frame());
  }

  /** A frame as a port wrote it, which must be ICMP over IPv4 or ICMPv6 over IPv6 (no extension headers). */
  static Icmp parse(byte[] f) {
    ByteBuffer b = ByteBuffer.wrap(f);
    int ethType = b.getShort(12) & 0xffff;
    String ethDst = mac(f, 0);
    String ethSrc = mac(f, 6);
    byte[] src;
    byte[] dst;
    byte[] icmp;
    int ttl;
    boolean checksummed;
    if (ethType == 0x86dd) {
      if (f[20] != 58) {
        throw new IllegalArgumentException("not ICMPv6: " + HEX.formatHex(f));
      }
      int length = b.getShort(18) & 0xffff;
      ttl = f[21] & 0xff;
      src = Arrays.copyOfRange(f, 22, 38);
      dst = Arrays.copyOfRange(f, 38, 54);
      icmp = Arrays.copyOfRange(f, 54, 54 + length);
      checksummed = checksum(pseudoHeader(src, dst, icmp.length), icmp) == 0;
    } else if (ethType == 0x0800) {
      int headerLength = (f[14] & 0x0f) * 4;
      if (f[23] != 1) {
        throw new IllegalArgumentException("not ICMP: " + HEX.formatHex(f));
      }
      byte[] ip = Arrays.copyOfRange(f, 14, 14 + headerLength);
      ttl = f[22] & 0xff;
      src = Arrays.copyOfRange(f, 26, 30);
      dst = Arrays.copyOfRange(f, 30, 34);
      icmp = Arrays.copyOfRange(f, 14 + headerLength, 14 + (b.getShort(16) & 0xffff));
      checksummed = checksum(ip) == 0 && checksum(icmp) == 0;
    } else {
      throw new IllegalArgumentException(String.format("eth_type 0x%04x: %s", ethType, HEX.formatHex(f)));
    }
    return new Icmp(ethSrc, ethDst, IpAddress.fromBytes(src).toString(), IpAddress.fromBytes(dst).toString(), ttl,
        icmp[0] & 0xff, icmp[1] & 0xff, HEX.formatHex(icmp, 4, icmp.length), checksummed);
  }

  private static byte[] pseudoHeader(byte[] src, byte[] dst, int length) {
    ByteBuffer b = ByteBuffer.allocate(40);
    b.put(src).put(dst).putInt(length).put(new byte[] {0, 0, 0, 58});
    return b.array();
  }

  /** The Internet checksum (RFC 1071) of the parts in turn: 0 over a message whose checksum is right. */
  static int checksum(byte[]... parts) {
    long sum = 0;
    for (byte[] p : parts) {
      for (int i = 0; i < p.length; i += 2) {
        sum += (p[i] & 0xff) << 8 | (i + 1 < p.length ? p[i + 1] & 0xff : 0);
      }
    }
    while (sum >> 16 != 0) {
      sum = (sum & 0xffff) + (sum >> 16);
    }
    return (int) ~sum & 0xffff;
  }

  private static boolean v6(String ip) {
    return ip.indexOf(':') >= 0;
  }

  private static byte[] address(String ip) {
    return IpAddress.parse(ip).bytes();
  }

  private static byte[] mac(String mac) {
    return HEX.parseHex(mac.replace(":", ""));
  }

  private static String mac(byte[] f, int at) {
    return String.format("%02x:%02x:%02x:%02x:%02x:%02x", f[at], f[at + 1], f[at + 2], f[at + 3], f[at + 4], f[at + 5]);
  }

  private static void putShort(byte[] b, int at, int value) {
    b[at] = (byte) (value >> 8);
    b[at + 1] = (byte) value;
  }
}
