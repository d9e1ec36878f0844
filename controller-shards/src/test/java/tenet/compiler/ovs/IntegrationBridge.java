package tenet.compiler.ovs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tenet.agent.ovs.PrivateSwitch;
import tenet.compiler.specialize.ChassisView;
import tenet.compiler.specialize.OpenFlowRule;

/**
 * One chassis' br-int in an {@link PrivateSwitch}, plumbed the way docs/pipeline.md asks of the
 * agent: a VIF at each local port's ofport (named {@code vif<ofport>}), a flow-based Geneve port
 * at the tunnel ofport with the option mapped to tun_metadata0, and the chassis' rules loaded.
 *
 * <p>The userspace datapath encapsulates itself ("native tunnelling"): it needs a route to each
 * remote chassis and the next hop's MAC. So the underlay is a second bridge, br-phy, holding this
 * chassis' tunnel IP on its internal port, with one uplink ({@code ul0}, netdev-dummy) where
 * encapsulated packets leave and arrive; remote chassis are put in the neighbour table by hand,
 * at the MAC their br-phy has, so that two chassis in two sandboxes can be wired together by
 * {@link #relayTo}.
 *
 * <p>The VIFs are netdev-dummy ports: besides tracing, a test can {@link #send} a packet into
 * one for real and read what the datapath wrote to another ({@link #received}). That is what
 * shows conntrack at work across packets (a reply finding its connection, NAT translated back),
 * which ofproto/trace only takes a test's word for.
 */
final class IntegrationBridge implements AutoCloseable {
  static final String BRIDGE = "br-int";
  static final String TUNNEL_PORT = "tun0";
  static final String UPLINK = "ul0";
  static final String VXLAN_PORT = "vxlan0";
  private static final Pattern DPIF_PORT = Pattern.compile("(?m)^\\s+(\\S+) (\\d+)/(\\d+):");

  private final PrivateSwitch ovs;
  private boolean ownsSandbox;
  private final Map<Integer, String> datapathPorts = new HashMap<>();
  /** Per VIF, how many of the frames it wrote {@link #received} returned already. */
  private final Map<String, Integer> framesRead = new HashMap<>();

  private IntegrationBridge(PrivateSwitch ovs) {
    this.ovs = ovs;
  }

  /**
   * A chassis of its own: a private ovs-vswitchd with {@code view}'s bridges and {@code rules};
   * {@link #close} stops it (and so does a failure half way).
   */
  static IntegrationBridge start(ChassisView view, String tunnelCidr, List<OpenFlowRule> rules) throws IOException {
    PrivateSwitch ovs = PrivateSwitch.start();
    try {
      IntegrationBridge br = create(ovs, view, tunnelCidr, rules);
      br.ownsSandbox = true;
      return br;
    } catch (IOException | RuntimeException | Error e) {
      ovs.close();
      throw e;
    }
  }

  /** Stops the chassis' ovs-vswitchd when {@link #start} made it. */
  @Override
  public void close() throws IOException {
    if (ownsSandbox) {
      ownsSandbox = false;
      ovs.close();
    }
  }

  /** Closes each one that is there. */
  static void closeAll(IntegrationBridge... bridges) throws IOException {
    for (IntegrationBridge b : bridges) {
      if (b != null) {
        b.close();
      }
    }
  }

  /**
   * Builds the bridges for {@code view} with this chassis' tunnel address {@code tunnelCidr}
   * (e.g. "192.0.2.1/24", every remote chassis inside it) and loads {@code rules}.
   */
  static IntegrationBridge create(PrivateSwitch ovs, ChassisView view, String tunnelCidr, List<OpenFlowRule> rules)
      throws IOException {
    IntegrationBridge br = new IntegrationBridge(ovs);
    TreeSet<String> remoteChassis = new TreeSet<>(view.remotePorts().values());
    view.gateways().stream().map(ChassisView.Gateway::tunnelIp).filter(ip -> !ip.isEmpty()).forEach(remoteChassis::add);
    br.underlay(tunnelCidr, remoteChassis);
    List<String> vsctl = new ArrayList<>(List.of("--", "add-br", BRIDGE, "--", "set", "bridge", BRIDGE,
        "datapath_type=netdev", "fail_mode=secure", "protocols=OpenFlow15"));
    for (int ofport : new TreeSet<>(view.localPorts().values())) {
      vsctl.addAll(List.of("--", "add-port", BRIDGE, "vif" + ofport, "--", "set", "interface", "vif" + ofport,
          "type=dummy", "options:tx_pcap=" + br.pcap("vif" + ofport), "ofport_request=" + ofport));
    }
    vsctl.addAll(List.of("--", "add-port", BRIDGE, TUNNEL_PORT, "--", "set", "interface", TUNNEL_PORT, "type=geneve",
        "options:remote_ip=flow", "options:key=flow", "ofport_request=" + view.tunnelOfport()));
    if (view.vxlanOfport() != 0) {
      vsctl.addAll(List.of("--", "add-port", BRIDGE, VXLAN_PORT, "--", "set", "interface", VXLAN_PORT, "type=vxlan",
          "options:remote_ip=flow", "options:key=flow", "ofport_request=" + view.vxlanOfport()));
    }
    ovs.vsctl(vsctl.toArray(String[]::new));
    load(ovs, BRIDGE, view.chassis(), rules);
    br.readDatapathPorts();
    return br;
  }

  /**
   * Maps the Geneve option and loads {@code rules} into {@code bridge} in one bundle: all or,
   * when OVS refuses one, none (and the exception names the line of {@code name}.of it refused).
   */
  static void load(PrivateSwitch ovs, String bridge, String name, List<OpenFlowRule> rules) throws IOException {
    ovs.ofctl("add-tlv-map", bridge, tenet.api.TunnelPorts.GENEVE_TLV_MAP);
    StringBuilder text = new StringBuilder();
    rules.forEach(r -> text.append(r.toOfctl()).append('\n'));
    Path file = ovs.dir().resolve(name + ".of");
    Files.writeString(file, text);
    ovs.ofctl("--bundle", "add-flows", bridge, file.toString());
  }

  private void underlay(String tunnelCidr, TreeSet<String> remoteChassis) throws IOException {
    ovs.vsctl("--", "add-br", "br-phy", "--", "set", "bridge", "br-phy", "datapath_type=netdev", "fail_mode=secure",
        "other_config:hwaddr=" + mac(tunnelCidr.split("/")[0]),
        "--", "add-port", "br-phy", UPLINK, "--", "set", "interface", UPLINK, "type=dummy",
        "options:tx_pcap=" + pcap(UPLINK), "ofport_request=1");
    // Out to the underlay; and what arrives from it to the tunnel IP's port, where the datapath
    // decapsulates what is addressed to this chassis (see relayTo).
    ovs.ofctl("add-flow", "br-phy", "in_port=LOCAL,actions=output:1");
    ovs.ofctl("add-flow", "br-phy", "in_port=1,actions=LOCAL");
    ovs.inNamespace("ip", "addr", "add", tunnelCidr, "dev", "br-phy");
    ovs.inNamespace("ip", "link", "set", "br-phy", "up");
    for (String ip : remoteChassis) {
      ovs.appctl("tnl/arp/set", "br-phy", ip, mac(ip));
    }
    // ovs-vswitchd learns the connected route from the kernel, asynchronously.
    long deadline = System.nanoTime() + 5_000_000_000L;
    String subnet = network(tunnelCidr);
    while (!ovs.appctl("ovs/route/show").contains(subnet + " dev br-phy")) {
      if (System.nanoTime() > deadline) {
        throw new IOException("ovs-vswitchd has no route to " + subnet + ":\n" + ovs.appctl("ovs/route/show"));
      }
      sleep();
    }
  }

  private void readDatapathPorts() throws IOException {
    Matcher m = DPIF_PORT.matcher(ovs.appctl("dpif/show"));
    while (m.find()) {
      datapathPorts.put(Integer.parseInt(m.group(3)), m.group(1));
    }
  }

  /**
   * Traces {@code flow} (ovs-ofctl flow syntax) from table 0; {@code ctStates} are the conntrack
   * answers for the recirculations in turn (e.g. "trk,new", then "trk,est").
   */
  Trace trace(String flow, String... ctStates) throws IOException {
    List<String> args = new ArrayList<>(List.of("ofproto/trace", BRIDGE, flow));
    for (String state : ctStates) {
      args.addAll(List.of("--ct-next", state));
    }
    return Trace.parse(ovs.appctl(args.toArray(String[]::new)), datapathPorts);
  }

  /**
   * Sends {@code packet} into the datapath as if the VM behind {@code vif} had: it goes through
   * the flows, conntrack and recirculation for real.
   */
  void send(String vif, Packet packet) throws IOException {
    send(vif, packet.odp());
  }

  /**
   * As above, for a packet {@link Packet} does not model: in the datapath flow syntax (ARP), or
   * the frame in hex.
   */
  void send(String vif, String odp) throws IOException {
    ovs.appctl("netdev-dummy/receive", vif, odp);
  }

  /**
   * The frames {@code vif} wrote since the last call, once there are at least {@code count} (or
   * after 5 s, with what there is).
   */
  List<Packet> received(String vif, int count) throws IOException {
    return written(vif, count).stream().map(Packet::parse).toList();
  }

  /** As {@link #received}, the frames as they are (for what {@link Packet} does not model). */
  List<byte[]> frames(String vif, int count) throws IOException {
    return written(vif, count);
  }

  /** The frames {@code port} wrote since the last call, as {@link #received} waits for them. */
  private List<byte[]> written(String port, int count) throws IOException {
    int from = framesRead.getOrDefault(port, 0);
    long deadline = System.nanoTime() + 5_000_000_000L;
    List<byte[]> frames = frames(Path.of(pcap(port)));
    while (frames.size() - from < count && System.nanoTime() < deadline) {
      sleep();
      frames = frames(Path.of(pcap(port)));
    }
    framesRead.put(port, frames.size());
    return frames.subList(from, frames.size());
  }

  /**
   * Carries what this chassis sent into the underlay since the last call (at least {@code count}
   * frames, as {@link #received} waits) to {@code other}'s underlay port, as a wire between the
   * two would: {@code other} decapsulates what is addressed to its tunnel IP and runs it through
   * its pipeline and its own conntrack. Returns how many frames it carried.
   */
  int relayTo(IntegrationBridge other, int count) throws IOException {
    // Only what the tunnels sent: the kernel has br-phy's address, and sends its own IPv6 router
    // solicitations and such there, now and then.
    List<byte[]> frames = new ArrayList<>();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (frames.size() < count && System.nanoTime() < deadline) {
      written(UPLINK, 0).stream().filter(IntegrationBridge::encapsulated).forEach(frames::add);
      if (frames.size() < count) {
        sleep();
      }
    }
    for (byte[] frame : frames) {
      StringBuilder hex = new StringBuilder();
      for (byte b : frame) {
        hex.append(String.format("%02x", b));
      }
      other.ovs.appctl("netdev-dummy/receive", UPLINK, hex.toString());
    }
    return frames.size();
  }

  /** An IPv4 UDP frame to Geneve's or VXLAN's port. */
  private static boolean encapsulated(byte[] f) {
    if (f.length < 38 || f[12] != 0x08 || f[13] != 0x00 || f[23] != 17) {
      return false;
    }
    int l4 = 14 + (f[14] & 0x0f) * 4;
    int dst = (f[l4 + 2] & 0xff) << 8 | (f[l4 + 3] & 0xff);
    return dst == 6081 || dst == 4789;
  }

  /** The connections conntrack holds in {@code zone}, one line each, as dpctl/dump-conntrack shows them. */
  List<String> conntrack(int zone) throws IOException {
    return ovs.appctl("dpctl/dump-conntrack", "zone=" + zone).lines().filter(l -> !l.isBlank()).toList();
  }

  /**
   * A clean slate for a test's packets: no connection established, and {@link #received}
   * returns only what arrives from now on.
   */
  void reset() throws IOException {
    ovs.appctl("dpctl/flush-conntrack");
    for (String port : datapathPorts.values()) {
      if (port.startsWith("vif") || port.equals(UPLINK)) {
        framesRead.put(port, frames(Path.of(pcap(port))).size());
      }
    }
  }

  private String pcap(String port) {
    return ovs.dir().resolve(port + ".pcap").toString();
  }

  /** The complete records of a pcap file (a record being written is left for the next read). */
  private static List<byte[]> frames(Path pcap) throws IOException {
    List<byte[]> out = new ArrayList<>();
    if (!Files.exists(pcap)) {
      return out;
    }
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(pcap));
    if (b.remaining() < 24) {
      return out;
    }
    // Written in the host's byte order: the magic number tells which.
    b.order(b.getInt(0) == 0xa1b2c3d4 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    b.position(24);
    while (b.remaining() >= 16) {
      b.position(b.position() + 8); // timestamp
      int length = b.getInt();
      b.getInt(); // original length
      if (b.remaining() < length) {
        break;
      }
      byte[] frame = new byte[length];
      b.get(frame);
      out.add(frame);
    }
    return out;
  }

  /** The underlay MAC a chassis' tunnel IP answers with: 02:00 then the four address bytes. */
  static String mac(String ipv4) {
    StringBuilder out = new StringBuilder("02:00");
    for (String b : ipv4.split("\\.")) {
      out.append(String.format(":%02x", Integer.parseInt(b)));
    }
    return out.toString();
  }

  private static String network(String cidr) {
    String[] parts = cidr.split("/");
    int len = Integer.parseInt(parts[1]);
    long ip = 0;
    for (String b : parts[0].split("\\.")) {
      ip = ip << 8 | Integer.parseInt(b);
    }
    long net = len == 0 ? 0 : ip & (0xffffffffL << (32 - len)) & 0xffffffffL;
    return String.format("%d.%d.%d.%d/%d", net >>> 24, net >>> 16 & 255, net >>> 8 & 255, net & 255, len);
  }

  private static void sleep() throws IOException {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
