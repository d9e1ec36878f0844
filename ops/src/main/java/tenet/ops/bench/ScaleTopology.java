package tenet.ops.bench;

import static tenet.api.Resources.createOp;

import it.unimi.dsi.fastutil.ints.IntOpenHashSet;
import it.unimi.dsi.fastutil.ints.IntSet;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import it.unimi.dsi.fastutil.longs.LongList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import tenet.agent.v1.HostedPort;
import tenet.api.v1.Resource;
import tenet.api.v1.TxnRequest;
import tenet.api.v1.TxnResponse;

/**
 * The network of {@code tenet bench scale} and where its ports are plugged in: the topology of
 * {@code bench compile} ({@link CompileTopology}: N/40 tenants of a router and 4 switches of 10
 * ports, port i on chassis i mod C at that chassis' next ofport), declared without bindings (the
 * agents report their ports and the controllers write the bindings), the ports added one at a
 * time later, and one port per tenant for the failover. It learns the keys the store gives
 * switches and ports from the transactions' answers, and says which {@link FlowMarks} each
 * chassis' flows must hold.
 */
final class ScaleTopology {
  /** Ports added later get host numbers from here up in their switch's /24 (as bench compile's). */
  private static final int FIRST_ADDED_HOST = 100;
  private static final int LAST_HOST = 254;
  /** The failover's port in each tenant's first switch. */
  private static final int FAILOVER_HOST = 99;

  /** A port added after the load: which switch, where it is plugged in, its keys once created. */
  record Added(int tenant, int sw, String name, String mac, int host, int chassis, int ofport) {
    HostedPort hosted() {
      return HostedPort.newBuilder().setTenant(CompileTopology.tenantName(tenant)).setLogicalPort(name)
          .setOfport(ofport).build();
    }

    TxnRequest create() {
      return TxnRequest.newBuilder().addOps(createOp(Resource.newBuilder()
          .setLogicalSwitchPort(CompileTopology.port(tenant, sw, name, mac, host)).build())).build();
    }
  }

  private final int ports;
  private final int chassis;
  private final int tenants;
  private final CompileTopology compile;
  /** "tenant/switch" and "tenant/port" to the key the store gave it. */
  private final Map<String, Integer> switchKeys = new HashMap<>();
  private final Map<String, Integer> portKeys = new HashMap<>();
  private final int[] nextOfport;
  private final int[] addedPerSwitch;
  private final Map<Integer, List<Added>> addedByTenant = new HashMap<>();
  private final Map<Integer, List<Added>> addedByChassis = new HashMap<>();
  /**
   * Per tenant, the remote mark of each of its 40 loaded ports (in CompileTopology's order), made
   * once the answer with their keys is in: the marks every chassis waits for are then put
   * together without a string, inside converge_s.
   */
  private final long[][] loadedMarks;
  private int added;

  ScaleTopology(int ports, int chassis) {
    this.ports = ports;
    this.chassis = chassis;
    this.tenants = ports / CompileTopology.PORTS_PER_TENANT;
    this.compile = new CompileTopology(ports, chassis);
    this.nextOfport = new int[chassis];
    for (int c = 0; c < chassis; c++) {
      nextOfport[c] = bulkOn(c);
    }
    this.addedPerSwitch = new int[tenants * CompileTopology.SWITCHES];
    this.loadedMarks = new long[tenants][];
  }

  int tenants() {
    return tenants;
  }

  int chassis() {
    return chassis;
  }

  /** Tenants {@code from} to {@code to} (exclusive): routers, switches, ports; no bindings. */
  TxnRequest declared(int from, int to) {
    return compile.declared(from, to);
  }

  /** Takes the keys of the switches and ports a transaction created. */
  void learn(TxnResponse response) {
    IntSet loaded = new IntOpenHashSet();
    for (Resource r : response.getResultsList()) {
      switch (r.getKindCase()) {
        case LOGICAL_SWITCH -> switchKeys.put(key(r.getLogicalSwitch().getMetadata()), r.getLogicalSwitch().getTunnelKey());
        case LOGICAL_SWITCH_PORT -> {
          portKeys.put(key(r.getLogicalSwitchPort().getMetadata()), r.getLogicalSwitchPort().getPortKey());
          String tenant = r.getLogicalSwitchPort().getMetadata().getTenant();
          if (tenant.startsWith("t")) {
            loaded.add(Integer.parseInt(tenant.substring(1)));
          }
        }
        default -> { }
      }
    }
    for (int t : loaded) {
      if (t >= 0 && t < tenants && loadedMarks[t] == null) {
        long[] marks = new long[CompileTopology.PORTS_PER_TENANT];
        for (int i = 0; i < marks.length; i++) {
          int s = i / CompileTopology.PORTS_PER_SWITCH;
          marks[i] = remoteMark(t, s, CompileTopology.portName(s, i % CompileTopology.PORTS_PER_SWITCH));
        }
        loadedMarks[t] = marks;
      }
    }
  }

  private static String key(tenet.api.v1.Metadata m) {
    return m.getTenant() + "/" + m.getName();
  }

  /** Bulk ports on chassis c: c, c + C, c + 2C, ... below N. */
  private int bulkOn(int c) {
    return c >= ports ? 0 : (ports - 1 - c) / chassis + 1;
  }

  /** Every port plugged in on chassis {@code c} now, as its agent reports them. */
  List<HostedPort> hosted(int c) {
    List<HostedPort> out = new ArrayList<>();
    for (int g = c; g < ports; g += chassis) {
      int t = g / CompileTopology.PORTS_PER_TENANT;
      int s = g % CompileTopology.PORTS_PER_TENANT / CompileTopology.PORTS_PER_SWITCH;
      int p = g % CompileTopology.PORTS_PER_SWITCH;
      out.add(HostedPort.newBuilder().setTenant(CompileTopology.tenantName(t))
          .setLogicalPort(CompileTopology.portName(s, p)).setOfport(g / chassis + 1).build());
    }
    for (Added a : addedByChassis.getOrDefault(c, List.of())) {
      out.add(a.hosted());
    }
    return out;
  }

  /** A port of a tenant: its switch, key and chassis. */
  private record PortAt(int tenant, int sw, String name, int chassis) {}

  private List<PortAt> portsOf(int t) {
    List<PortAt> out = new ArrayList<>();
    for (int i = 0; i < CompileTopology.PORTS_PER_TENANT; i++) {
      int s = i / CompileTopology.PORTS_PER_SWITCH;
      out.add(new PortAt(t, s, CompileTopology.portName(s, i % CompileTopology.PORTS_PER_SWITCH),
          (t * CompileTopology.PORTS_PER_TENANT + i) % chassis));
    }
    for (Added a : addedByTenant.getOrDefault(t, List.of())) {
      out.add(new PortAt(t, a.sw(), a.name(), a.chassis()));
    }
    return out;
  }

  /** The tenants with a port on chassis {@code c}. */
  private IntSet tenantsOn(int c) {
    IntSet out = new IntOpenHashSet();
    for (int g = c; g < ports; g += chassis) {
      out.add(g / CompileTopology.PORTS_PER_TENANT);
    }
    for (Added a : addedByChassis.getOrDefault(c, List.of())) {
      out.add(a.tenant());
    }
    return out;
  }

  /**
   * What chassis {@code c}'s set holds once the network is in place there: each of its ports
   * classified at its ofport and, with {@code remote}, every other port of its tenants tunnelled
   * to where it is bound.
   */
  LongList marks(int c, boolean remote) {
    LongList out = new LongArrayList();
    for (HostedPort p : hosted(c)) {
      out.add(FlowMarks.localPort(p.getOfport()));
    }
    if (remote) {
      for (int t : tenantsOn(c)) {
        if (loadedMarks[t] == null) {
          throw new IllegalStateException("no keys learnt for tenant " + CompileTopology.tenantName(t));
        }
        for (int i = 0; i < CompileTopology.PORTS_PER_TENANT; i++) {
          if ((t * CompileTopology.PORTS_PER_TENANT + i) % chassis != c) {
            out.add(loadedMarks[t][i]);
          }
        }
        for (Added a : addedByTenant.getOrDefault(t, List.of())) {
          if (a.chassis() != c) {
            out.add(remoteMark(a.tenant(), a.sw(), a.name()));
          }
        }
      }
    }
    return out;
  }

  private long remoteMark(int t, int s, String name) {
    String tenant = CompileTopology.tenantName(t);
    Integer sw = switchKeys.get(tenant + "/" + CompileTopology.switchName(s));
    Integer port = portKeys.get(tenant + "/" + name);
    if (sw == null || port == null) {
      throw new IllegalStateException("no key learnt for " + tenant + "/" + name + " on its switch");
    }
    return FlowMarks.remotePort(sw, port);
  }

  /** One more VM port on a random switch, plugged in on the next chassis in turn (as bench compile's). */
  Added nextPort(SplittableRandom random) {
    int sw;
    do {
      sw = random.nextInt(addedPerSwitch.length);
    } while (FIRST_ADDED_HOST + addedPerSwitch[sw] > LAST_HOST);
    int n = added++;
    int on = (ports + n) % chassis;
    return new Added(sw / CompileTopology.SWITCHES, sw % CompileTopology.SWITCHES, "x" + n,
        CompileTopology.mac(0xF00000L + n), FIRST_ADDED_HOST + addedPerSwitch[sw]++, on, ++nextOfport[on]);
  }

  /** How many ports {@link #nextPort} can add at most. */
  int addable() {
    return addedPerSwitch.length * (LAST_HOST - FIRST_ADDED_HOST + 1);
  }

  /** {@code a} was created (its answer gave its key) and is about to be plugged in. */
  void created(Added a, TxnResponse response) {
    learn(response);
    addedByTenant.computeIfAbsent(a.tenant(), t -> new ArrayList<>()).add(a);
    addedByChassis.computeIfAbsent(a.chassis(), c -> new ArrayList<>()).add(a);
  }

  /** The chassis whose flows the added port changes: every one hosting a port of its tenant, and its own. */
  IntSet affected(Added a) {
    IntSet out = new IntOpenHashSet();
    for (PortAt p : portsOf(a.tenant())) {
      out.add(p.chassis());
    }
    out.add(a.chassis());
    return out;
  }

  /**
   * What shows on chassis {@code c} that {@code a} is there: on its own chassis its
   * classification, elsewhere its tunnel to its chassis.
   */
  long mark(Added a, int c) {
    return c == a.chassis() ? FlowMarks.localPort(a.ofport()) : remoteMark(a.tenant(), a.sw(), a.name());
  }

  /**
   * One transaction: a port more, not plugged in anywhere, in the first switch of each tenant
   * whose new port some chassis waits for ({@link #failoverMark}): C/40 ports, the smallest change
   * that reaches every chassis. (It was one port in every tenant, 1,000 at 40,000 ports: that
   * measured a compile of 1,000 changes, 4 s on every controller at 40,000, more than a failover.)
   */
  TxnRequest failoverPorts() {
    TxnRequest.Builder txn = TxnRequest.newBuilder();
    for (int t = 0; t <= failoverTenant(chassis - 1); t++) {
      txn.addOps(createOp(Resource.newBuilder().setLogicalSwitchPort(
          CompileTopology.port(t, 0, "f" + t, failoverMac(t), FAILOVER_HOST)).build()));
    }
    return txn.build();
  }

  /**
   * What shows on chassis {@code c} that the failover transaction reached it: the L2 lookup of
   * the new port of the tenant of its first port (every chassis hosts one: C <= N).
   */
  long failoverMark(int c) {
    return FlowMarks.mac(failoverMac(failoverTenant(c)));
  }

  /** The tenant of chassis {@code c}'s first port (ports go round the chassis in order). */
  private static int failoverTenant(int c) {
    return c / CompileTopology.PORTS_PER_TENANT;
  }

  private static String failoverMac(int t) {
    return CompileTopology.mac(0xE00000L + t);
  }
}
