package tenet.compiler.ovs;

import java.nio.ByteBuffer;

/**
 * An IPv4 UDP or ICMP packet in an Ethernet frame, as much of it as the pipeline reads and
 * rewrites: what a test traces ({@link #flow}), sends into a VIF ({@link #odp()}, the syntax
 * netdev-dummy/receive takes) and finds written to another ({@link #parse}). For UDP {@code a} and {@code b}
 * are the ports, for ICMP the type and code. Equal when every one of those fields is.
 */
record Packet(String ethSrc, String ethDst, String ipSrc, String ipDst, int ttl, String protocol, int a, int b) {
  private static final int UDP = 17;
  private static final int ICMP = 1;

  static Packet udp(String ethSrc, String ethDst, String ipSrc, String ipDst, int ttl, int srcPort, int dstPort) {
    return new Packet(ethSrc, ethDst, ipSrc, ipDst, ttl, "udp", srcPort, dstPort);
  }

  static Packet icmp(String ethSrc, String ethDst, String ipSrc, String ipDst, int ttl, int type) {
    return new Packet(ethSrc, ethDst, ipSrc, ipDst, ttl, "icmp", type, 0);
  }

  /** The packet in the datapath flow syntax; netdev-dummy builds the bytes and checksums from it. */
  String odp() {
    String l4 = protocol.equals("udp") ? "udp(src=" + a + ",dst=" + b + ")" : "icmp(type=" + a + ",code=" + b + ")";
    return "eth(src=" + ethSrc + ",dst=" + ethDst + "),eth_type(0x0800),ipv4(src=" + ipSrc + ",dst=" + ipDst + ",proto="
        + (protocol.equals("udp") ? UDP : ICMP) + ",tos=0,ttl=" + ttl + ",frag=no)," + l4;
  }

  /** The packet arriving at {@code ofport}, in the flow syntax ofproto/trace takes. */
  String flow(int ofport) {
    String l4 = protocol.equals("udp") ? "udp_src=" + a + ",udp_dst=" + b : "icmp_type=" + a + ",icmp_code=" + b;
    return "in_port=" + ofport + ",dl_src=" + ethSrc + ",dl_dst=" + ethDst + "," + protocol + ",nw_src=" + ipSrc
        + ",nw_dst=" + ipDst + ",nw_ttl=" + ttl + "," + l4;
  }

  /** A frame as a port wrote it; anything but IPv4 UDP or ICMP keeps only its Ethernet header. */
  static Packet parse(byte[] frame) {
    ByteBuffer b = ByteBuffer.wrap(frame);
    String dst = mac(frame, 0);
    String src = mac(frame, 6);
    int type = b.getShort(12) & 0xffff;
    if (type != 0x0800) {
      return new Packet(src, dst, "", "", 0, String.format("eth_type(0x%04x)", type), 0, 0);
    }
    int ip = 14;
    int l4 = ip + (frame[ip] & 0x0f) * 4;
    int proto = frame[ip + 9] & 0xff;
    String p = proto == UDP ? "udp" : proto == ICMP ? "icmp" : "ip_proto(" + proto + ")";
    int x = proto == UDP ? b.getShort(l4) & 0xffff : proto == ICMP ? frame[l4] & 0xff : 0;
    int y = proto == UDP ? b.getShort(l4 + 2) & 0xffff : proto == ICMP ? frame[l4 + 1] & 0xff : 0;
    return new Packet(src, dst, ipv4(frame, ip + 12), ipv4(frame, ip + 16), frame[ip + 8] & 0xff, p, x, y);
  }

  private static String mac(byte[] f, int at) {
    return String.format("%02x:%02x:%02x:%02x:%02x:%02x", f[at], f[at + 1], f[at + 2], f[at + 3], f[at + 4], f[at + 5]);
  }

  private static String ipv4(byte[] f, int at) {
    return (f[at] & 0xff) + "." + (f[at + 1] & 0xff) + "." + (f[at + 2] & 0xff) + "." + (f[at + 3] & 0xff);
  }

  @Override
  public String toString() {
    return ethSrc + ">" + ethDst + " " + ipSrc + ">" + ipDst + " ttl=" + ttl + " " + protocol + "(" + a + "," + b + ")";
  }
}
