package tenet.ops.bench;

import static tenet.api.Resources.createOp;
import static tenet.api.Resources.metadata;

import java.util.Locale;
import java.util.SplittableRandom;
import tenet.api.v1.Chassis;
import tenet.api.v1.DeleteRequest;
import tenet.api.v1.Encapsulation;
import tenet.api.v1.Kind;
import tenet.api.v1.LogicalRouter;
import tenet.api.v1.LogicalRouterPort;
import tenet.api.v1.LogicalSwitch;
import tenet.api.v1.LogicalSwitchPort;
import tenet.api.v1.Metadata;
import tenet.api.v1.ObjectRef;
import tenet.api.v1.PortBinding;
import tenet.api.v1.Resource;
import tenet.api.v1.Tenant;
import tenet.api.v1.TxnOp;
import tenet.api.v1.TxnRequest;

/**
 * The desired state of {@code tenet bench compile}: T tenants, each one router and four switches
 * of ten VM ports, every port bound to one of C chassis in turn. Names, addresses and MACs are
 * those ops/lib/bench-compile-ovn.py gives OVN, so both systems compile the same network.
 */
final class CompileTopology {
  static final int SWITCHES = 4;
  static final int PORTS_PER_SWITCH = 10;
  static final int PORTS_PER_TENANT = SWITCHES * PORTS_PER_SWITCH;
  /** Ports added later get host numbers from here up in their switch's /24. */
  private static final int FIRST_ADDED_HOST = 100;
  private static final int LAST_HOST = 254;

  private final int tenants;
  private final int chassis;
  private final int[] nextOfport;
  private final int[] addedPerSwitch;
  private int added;
  private int lastSwitch = -1;

  CompileTopology(int ports, int chassis) {
    this.tenants = ports / PORTS_PER_TENANT;
    this.chassis = chassis;
    this.nextOfport = new int[chassis];
    this.addedPerSwitch = new int[tenants * SWITCHES];
  }

  int tenants() {
    return tenants;
  }

  /** Every chassis, registered with its tunnel address. */
  TxnRequest chassis(int from, int to) {
    TxnRequest.Builder txn = TxnRequest.newBuilder();
    for (int c = from; c < to; c++) {
      txn.addOps(createOp(Resource.newBuilder().setChassis(Chassis.newBuilder()
          .setMetadata(Metadata.newBuilder().setName(chassisName(c))).setHostname(chassisName(c))
          .setTunnelIp(tunnelIp(c)).addEncapsulations(Encapsulation.GENEVE)).build()));
    }
    return txn.build();
  }

  /** Tenants {@code from} to {@code to} (exclusive), whole: router, switches, ports and bindings. */
  TxnRequest tenants(int from, int to) {
    return tenants(from, to, true);
  }

  /**
   * Tenants {@code from} to {@code to} (exclusive) as a cloud portal declares them: router,
   * switches and ports, no bindings (the agents report where the ports are plugged in).
   */
  TxnRequest declared(int from, int to) {
    return tenants(from, to, false);
  }

  private TxnRequest tenants(int from, int to, boolean bound) {
    TxnRequest.Builder txn = TxnRequest.newBuilder();
    for (int t = from; t < to; t++) {
      String tenant = tenantName(t);
      txn.addOps(createOp(Resource.newBuilder().setTenant(Tenant.newBuilder().setMetadata(metadata(tenant, tenant))).build()));
      txn.addOps(createOp(Resource.newBuilder().setLogicalRouter(LogicalRouter.newBuilder().setMetadata(metadata(tenant, "r"))).build()));
      for (int s = 0; s < SWITCHES; s++) {
        txn.addOps(createOp(Resource.newBuilder().setLogicalSwitch(LogicalSwitch.newBuilder()
            .setMetadata(metadata(tenant, switchName(s))).addSubnets(subnet(t, s) + ".0/24")).build()));
        txn.addOps(createOp(Resource.newBuilder().setLogicalRouterPort(LogicalRouterPort.newBuilder()
            .setMetadata(metadata(tenant, "r-" + switchName(s))).setLogicalRouter("r").setLogicalSwitch(switchName(s))
            .setMac(mac((1L << 32) | (t * SWITCHES + s))).addNetworks(subnet(t, s) + ".1/24")).build()));
        for (int p = 0; p < PORTS_PER_SWITCH; p++) {
          int global = t * PORTS_PER_TENANT + s * PORTS_PER_SWITCH + p;
          String name = portName(s, p);
          if (bound) {
            addPort(txn, t, s, name, portMac(t, s, p), 10 + p, global % chassis);
          } else {
            txn.addOps(createOp(Resource.newBuilder().setLogicalSwitchPort(port(t, s, name, portMac(t, s, p), 10 + p)).build()));
          }
        }
      }
    }
    return txn.build();
  }

  /** One more VM port on a random switch, bound to the next chassis in turn: what a VM boot asks. */
  TxnRequest onePortMore(SplittableRandom random) {
    int sw;
    do {
      sw = random.nextInt(addedPerSwitch.length);
    } while (FIRST_ADDED_HOST + addedPerSwitch[sw] > LAST_HOST);
    int t = sw / SWITCHES;
    int s = sw % SWITCHES;
    int host = FIRST_ADDED_HOST + addedPerSwitch[sw]++;
    int n = added++;
    lastSwitch = sw;
    TxnRequest.Builder txn = TxnRequest.newBuilder();
    addPort(txn, t, s, "x" + n, mac(0xF00000L + n), host, (tenants * PORTS_PER_TENANT + n) % chassis);
    return txn.build();
  }

  /** Removes the port {@link #onePortMore} added last (its binding too), as if it had never been. */
  TxnRequest withoutLastPort() {
    int n = --added;
    addedPerSwitch[lastSwitch]--;
    nextOfport[(tenants * PORTS_PER_TENANT + n) % chassis]--;
    String tenant = tenantName(lastSwitch / SWITCHES);
    lastSwitch = -1;
    TxnRequest.Builder txn = TxnRequest.newBuilder();
    for (Kind kind : new Kind[] {Kind.PORT_BINDING, Kind.LOGICAL_SWITCH_PORT}) {
      txn.addOps(TxnOp.newBuilder().setDelete(DeleteRequest.newBuilder().setRef(
          ObjectRef.newBuilder().setKind(kind).setTenant(tenant).setName("x" + n))));
    }
    return txn.build();
  }

  private void addPort(TxnRequest.Builder txn, int t, int s, String name, String mac, int host, int onChassis) {
    String tenant = tenantName(t);
    txn.addOps(createOp(Resource.newBuilder().setLogicalSwitchPort(port(t, s, name, mac, host)).build()));
    txn.addOps(createOp(Resource.newBuilder().setPortBinding(PortBinding.newBuilder()
        .setMetadata(metadata(tenant, name)).setLogicalPort(name).setChassis(chassisName(onChassis))
        .setOfport(++nextOfport[onChassis])).build()));
  }

  /** A VM port of switch {@code s} of tenant {@code t}, its IPv4 address at {@code host} in the switch's /24. */
  static LogicalSwitchPort port(int t, int s, String name, String mac, int host) {
    return LogicalSwitchPort.newBuilder().setMetadata(metadata(tenantName(t), name)).setLogicalSwitch(switchName(s))
        .setMac(mac).addIps(subnet(t, s) + "." + host).build();
  }

  /** Port {@code p} of switch {@code s}, as loaded. */
  static String portName(int s, int p) {
    return "vm" + s + "-" + p;
  }

  static String portMac(int t, int s, int p) {
    return mac((long) (t * SWITCHES + s) * 1000 + p);
  }

  static String tenantName(int t) {
    return "t" + t;
  }

  static String switchName(int s) {
    return "s" + s;
  }

  static String chassisName(int c) {
    return "hv" + c;
  }

  /** Underlay addresses in 100.64.0.0/10, never .0 nor .255. */
  static String tunnelIp(int c) {
    return "100." + (64 + c / (254 * 254)) + "." + (c / 254 % 254 + 1) + "." + (c % 254 + 1);
  }

  /** The first three octets of switch {@code s} of tenant {@code t}: 64 tenants per 10.x. */
  static String subnet(int t, int s) {
    return "10." + (t / 64) + "." + ((t % 64) * SWITCHES + s);
  }

  /** A locally administered unicast MAC from the low 40 bits of {@code n}. */
  static String mac(long n) {
    return String.format(Locale.ROOT, "0a:%02x:%02x:%02x:%02x:%02x",
        (n >> 32) & 255, (n >> 24) & 255, (n >> 16) & 255, (n >> 8) & 255, n & 255);
  }


}
