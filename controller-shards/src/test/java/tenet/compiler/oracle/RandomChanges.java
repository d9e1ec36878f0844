package tenet.compiler.oracle;

import static tenet.api.Resources.createOp;
import static tenet.api.Resources.metadata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import tenet.api.v1.AclAction;
import tenet.api.v1.AclRule;
import tenet.api.v1.Chassis;
import tenet.api.v1.DeleteRequest;
import tenet.api.v1.Direction;
import tenet.api.v1.Encapsulation;
import tenet.api.v1.IpProtocol;
import tenet.api.v1.Kind;
import tenet.api.v1.LabelSelector;
import tenet.api.v1.LogicalRouter;
import tenet.api.v1.LogicalRouterPort;
import tenet.api.v1.LogicalSwitch;
import tenet.api.v1.LogicalSwitchPort;
import tenet.api.v1.Metadata;
import tenet.api.v1.NatRule;
import tenet.api.v1.NatType;
import tenet.api.v1.ObjectRef;
import tenet.api.v1.PortBinding;
import tenet.api.v1.Resource;
import tenet.api.v1.SecurityGroup;
import tenet.api.v1.StaticRoute;
import tenet.api.v1.Tenant;
import tenet.api.v1.TxnOp;
import tenet.api.v1.TxnRequest;
import tenet.api.v1.UpdateRequest;
import tenet.compiler.Topologies;
import tenet.store.core.StoreState;
import tenet.store.model.ResourceKey;

/**
 * Random transactions over a small world, so that they collide often: two tenants using the
 * same names and addresses, each with up to three switches (one dual-stack), two routers with
 * gateway ports, static routes, SNAT and floating IPs, security groups whose rules name remote
 * ports by labels or prefixes; ports bound, plugged in and moved between four chassis that
 * register, change tunnel address and encapsulations (Geneve, VXLAN or both) and leave; one
 * gateway chassis that never registers. A transaction holds one to four operations, each drawn
 * with an eye on the state (create what is absent, update or delete what is there; a delete takes
 * what refers to the object along), so that most commit; the store still refuses some, which
 * must change nothing.
 */
public final class RandomChanges {
  public static final List<String> TENANTS = List.of("t", "u");
  /** The chassis a run registers, moves and removes. */
  public static final List<String> CHASSIS = List.of("hv1", "hv2", "hv3", "hv4");
  /** Named as a gateway chassis, never registered. */
  public static final String NEVER_REGISTERED = "hv9";

  private static final String[] SWITCHES = {"s1", "s2", "s3"};
  private static final String[] ROUTERS = {"r1", "r2"};
  private static final String[] PORTS = {"p1", "p2", "p3", "p4", "p5", "p6"};
  private static final String[] APPS = {"web", "db", "ops"};
  private static final String[] SELECTORS = {"app=web", "app in (web,db)", "", "!legacy", "app!=ops"};
  private static final String[] GATEWAYS = {"", "", "", "hv1", "hv2", "hv3", "hv4", NEVER_REGISTERED};
  @SuppressWarnings("unchecked")
  private static final List<Encapsulation>[] TUNNELS = new List[] {
      List.of(Encapsulation.GENEVE), List.of(Encapsulation.GENEVE), List.of(Encapsulation.VXLAN),
      List.of(Encapsulation.GENEVE, Encapsulation.VXLAN)};

  private final StoreState state;
  private final SplittableRandom r;
  private final List<TxnOp> ops = new ArrayList<>();
  private final Set<ResourceKey> touched = new HashSet<>();

  private RandomChanges(StoreState state, SplittableRandom random) {
    this.state = state;
    this.r = random;
  }

  /** The state every run starts from: the tenants, nothing else. */
  public static StoreState start() {
    StoreState state = new StoreState();
    TxnRequest.Builder txn = TxnRequest.newBuilder();
    for (String t : TENANTS) {
      txn.addOps(createOp(Resource.newBuilder().setTenant(Tenant.newBuilder().setMetadata(metadata(t, t))).build()));
    }
    if (Topologies.commit(state, txn.build(), "tenants") == null) {
      throw new IllegalStateException("the store refused the tenants");
    }
    return state;
  }

  /**
   * One transaction drawn against {@code state}: one to four changes on distinct objects, a
   * delete taking what refers to the object along (so a transaction may hold more operations).
   */
  public static TxnRequest next(StoreState state, SplittableRandom random) {
    RandomChanges c = new RandomChanges(state, random);
    int groups = random.nextBoolean() ? 1 : random.nextInt(2, 5);
    for (int i = 0; i < groups; i++) {
      c.group();
    }
    return TxnRequest.newBuilder().addAllOps(c.ops).build();
  }

  /** One operation, or a delete with what refers to the deleted object. */
  private void group() {
    String t = pick(TENANTS.toArray(String[]::new));
    int ticket = r.nextInt(100);
    if (ticket < 6) {
      logicalSwitch(t);
    } else if (ticket < 22) {
      switchPort(t);
    } else if (ticket < 38) {
      binding(t);
    } else if (ticket < 42) {
      router(t);
    } else if (ticket < 54) {
      routerPort(t);
    } else if (ticket < 64) {
      route(t);
    } else if (ticket < 74) {
      nat(t);
    } else if (ticket < 84) {
      securityGroup(t);
    } else {
      chassis();
    }
  }

  private void logicalSwitch(String t) {
    int s = r.nextInt(SWITCHES.length);
    ResourceKey key = new ResourceKey(Kind.LOGICAL_SWITCH, t, SWITCHES[s]);
    if (exists(key) && r.nextInt(3) == 0) {
      delete(key);
      return;
    }
    createSwitch(t, s);
  }

  /** Creates the switch, or updates it: an update changes nothing the compiler reads. */
  private void createSwitch(String t, int s) {
    LogicalSwitch.Builder sw = LogicalSwitch.newBuilder().setMetadata(metadata(t, SWITCHES[s])).addSubnets(subnet(s));
    if (s == 1) {
      sw.addSubnets("fd00:2::/64");
    }
    put(new ResourceKey(Kind.LOGICAL_SWITCH, t, SWITCHES[s]),
        Resource.newBuilder().setLogicalSwitch(sw.setMtu(r.nextBoolean() ? 0 : 1400)).build());
  }

  private void switchPort(String t) {
    String name = pick(PORTS);
    ResourceKey key = new ResourceKey(Kind.LOGICAL_SWITCH_PORT, t, name);
    Optional<Resource> now = state.get(key);
    if (now.isPresent() && r.nextInt(3) == 0) {
      delete(key);
      return;
    }
    // A port stays on its switch: moving it is a delete and a create.
    int s = now.map(p -> indexOf(SWITCHES, p.getLogicalSwitchPort().getLogicalSwitch()))
        .orElseGet(() -> indexOf(SWITCHES, parent(Kind.LOGICAL_SWITCH, t, SWITCHES)));
    int host = 10 + r.nextInt(6);
    Metadata.Builder md = metadata(t, name).toBuilder();
    if (r.nextInt(5) > 0) {
      md.putLabels("app", pick(APPS));
    }
    if (r.nextInt(6) == 0) {
      md.putLabels("legacy", "yes");
    }
    LogicalSwitchPort.Builder port = LogicalSwitchPort.newBuilder().setMetadata(md).setLogicalSwitch(SWITCHES[s])
        .setMac(String.format("02:00:00:%02x:%02x:%02x", TENANTS.indexOf(t) + 1, s + 1, host))
        .addIps(host(s, host)).setPortSecurityDisabled(r.nextInt(8) == 0);
    if (s == 1 && r.nextBoolean()) {
      port.addIps("fd00:2::" + host);
    }
    put(key, Resource.newBuilder().setLogicalSwitchPort(port).build());
  }

  private void binding(String t) {
    // Mostly a port that exists: binding a missing one is refused.
    List<ResourceKey> ports = List.copyOf(state.objects(Kind.LOGICAL_SWITCH_PORT, t).keySet());
    String name = ports.isEmpty() || r.nextInt(10) == 0 ? pick(PORTS) : ports.get(r.nextInt(ports.size())).name();
    ResourceKey key = new ResourceKey(Kind.PORT_BINDING, t, name);
    if (exists(key) && r.nextInt(3) == 0) {
      delete(key);
      return;
    }
    List<ResourceKey> registered = List.copyOf(state.objects(Kind.CHASSIS, "").keySet());
    String chassis = registered.isEmpty() || r.nextInt(10) == 0 ? pick(CHASSIS.toArray(String[]::new))
        : registered.get(r.nextInt(registered.size())).name();
    // Not plugged in yet (0), or at one of a few ofports, which two ports of one chassis may share.
    int ofport = r.nextInt(5) == 0 ? 0 : 1 + r.nextInt(4);
    put(key, Resource.newBuilder().setPortBinding(PortBinding.newBuilder().setMetadata(metadata(t, name))
        .setLogicalPort(name).setChassis(chassis).setOfport(ofport)).build());
  }

  private void router(String t) {
    String name = pick(ROUTERS);
    ResourceKey key = new ResourceKey(Kind.LOGICAL_ROUTER, t, name);
    if (exists(key) && r.nextBoolean()) {
      delete(key);
      return;
    }
    put(key, Resource.newBuilder().setLogicalRouter(LogicalRouter.newBuilder().setMetadata(metadata(t, name))).build());
  }

  private void routerPort(String t) {
    int rt = indexOf(ROUTERS, parent(Kind.LOGICAL_ROUTER, t, ROUTERS));
    int s = indexOf(SWITCHES, parent(Kind.LOGICAL_SWITCH, t, SWITCHES));
    String name = ROUTERS[rt] + "-" + SWITCHES[s];
    ResourceKey key = new ResourceKey(Kind.LOGICAL_ROUTER_PORT, t, name);
    if (exists(key) && r.nextInt(5) < 2) {
      delete(key);
      return;
    }
    // Each router has its own address on a switch: r1 .1, r2 .2.
    LogicalRouterPort.Builder port = LogicalRouterPort.newBuilder().setMetadata(metadata(t, name))
        .setLogicalRouter(ROUTERS[rt]).setLogicalSwitch(SWITCHES[s])
        .setMac(String.format("02:00:00:ff:%02x:%02x", rt + 1, s + 1)).addNetworks(host(s, rt + 1) + "/24")
        .setGatewayChassis(otherGateway(t, ROUTERS[rt], name) && r.nextInt(6) > 0 ? "" : pick(GATEWAYS));
    if (s == 1 && r.nextBoolean()) {
      port.addNetworks("fd00:2::" + (rt + 1) + "/64");
    }
    put(key, Resource.newBuilder().setLogicalRouterPort(port).build());
  }

  private void route(String t) {
    String router = parent(Kind.LOGICAL_ROUTER, t, ROUTERS);
    int kind = r.nextInt(3);
    String name = new String[] {"default", "net9", "v6default"}[kind];
    ResourceKey key = new ResourceKey(Kind.STATIC_ROUTE, t, router + "-" + name);
    if (exists(key) && r.nextInt(4) == 0) {
      delete(key);
      return;
    }
    String prefix = new String[] {"0.0.0.0/0", "192.168.9.0/24", "::/0"}[kind];
    // On one of the router's networks mostly, as the store wants it.
    List<Integer> onLink = routerSwitches(t, router);
    int s = onLink.isEmpty() || r.nextInt(8) == 0 ? r.nextInt(SWITCHES.length) : onLink.get(r.nextInt(onLink.size()));
    String nexthop = kind == 2 ? "fd00:2::" + (10 + r.nextInt(6)) : host(s, 10 + r.nextInt(6));
    put(key, Resource.newBuilder().setStaticRoute(StaticRoute.newBuilder().setMetadata(metadata(t, key.name()))
        .setLogicalRouter(router).setPrefix(prefix).setNexthop(nexthop)).build());
  }

  private void nat(String t) {
    // Mostly a router with a gateway port: NAT needs one.
    List<String> gatewayed = List.of(ROUTERS).stream().filter(rt -> gatewaySwitch(t, rt).isPresent()).toList();
    String router = gatewayed.isEmpty() || r.nextInt(6) == 0 ? pick(ROUTERS) : gatewayed.get(r.nextInt(gatewayed.size()));
    String name = new String[] {"out", "fip1", "fip2"}[r.nextInt(3)];
    ResourceKey key = new ResourceKey(Kind.NAT_RULE, t, router + "-" + name);
    if (exists(key) && r.nextInt(5) < 2) {
      delete(key);
      return;
    }
    // External addresses on the gateway port's switch, where the store wants them (else s1's).
    int g = gatewaySwitch(t, router).orElse(0);
    NatRule.Builder nat = NatRule.newBuilder().setMetadata(metadata(t, key.name())).setLogicalRouter(router);
    if (name.equals("out")) {
      nat.setType(NatType.SNAT).setExternalIp(host(g, r.nextBoolean() ? 1 + indexOf(ROUTERS, router) : 100))
          .setLogicalIp(r.nextBoolean() ? "10.0.0.0/8" : subnet(r.nextInt(SWITCHES.length)));
    } else {
      nat.setType(NatType.DNAT_AND_SNAT).setExternalIp(host(g, 50 + r.nextInt(3)));
      // The floating IP of a port there is, named or not, or of an address nobody has.
      List<Resource> ports = List.copyOf(state.objects(Kind.LOGICAL_SWITCH_PORT, t).values());
      if (!ports.isEmpty() && r.nextInt(4) > 0) {
        LogicalSwitchPort p = ports.get(r.nextInt(ports.size())).getLogicalSwitchPort();
        String v4 = p.getIpsList().stream().filter(ip -> ip.indexOf(':') < 0).findFirst().orElse(host(0, 10));
        nat.setLogicalIp(v4);
        if (r.nextBoolean()) {
          nat.setLogicalPort(p.getMetadata().getName());
        }
      } else {
        nat.setLogicalIp(host(r.nextInt(SWITCHES.length), 10 + r.nextInt(4)));
      }
    }
    put(key, Resource.newBuilder().setNatRule(nat).build());
  }

  private void securityGroup(String t) {
    String name = r.nextBoolean() ? "sg1" : "sg2";
    ResourceKey key = new ResourceKey(Kind.SECURITY_GROUP, t, name);
    if (exists(key) && r.nextInt(4) == 0) {
      delete(key);
      return;
    }
    SecurityGroup.Builder group = SecurityGroup.newBuilder().setMetadata(metadata(t, name))
        .setPortSelector(LabelSelector.newBuilder().setExpression(pick(SELECTORS)));
    for (int i = r.nextInt(1, 4); i > 0; i--) {
      AclRule.Builder rule = AclRule.newBuilder().setDirection(r.nextBoolean() ? Direction.INGRESS : Direction.EGRESS)
          .setPriority(r.nextInt(20)).setAction(pick(new AclAction[] {
              AclAction.ALLOW, AclAction.ALLOW_RELATED, AclAction.ALLOW_RELATED, AclAction.DROP, AclAction.REJECT}));
      IpProtocol protocol = pick(new IpProtocol[] {IpProtocol.TCP, IpProtocol.TCP, IpProtocol.UDP, IpProtocol.ICMP,
          IpProtocol.IP_PROTOCOL_ANY});
      rule.setProtocol(protocol);
      if (protocol == IpProtocol.TCP || protocol == IpProtocol.UDP) {
        int min = pick(new Integer[] {0, 22, 80, 8000});
        rule.setPortMin(min).setPortMax(min == 0 || r.nextBoolean() ? min : min + r.nextInt(1, 100));
      }
      switch (r.nextInt(4)) {
        case 0 -> rule.setRemoteCidr(protocol == IpProtocol.ICMP || r.nextBoolean() ? subnet(r.nextInt(3)) : "fd00:2::/64");
        case 1, 2 -> rule.setRemoteSelector(LabelSelector.newBuilder().setExpression("app=" + pick(APPS)));
        default -> { }
      }
      group.addRules(rule);
    }
    put(key, Resource.newBuilder().setSecurityGroup(group).build());
  }

  private void chassis() {
    int c = r.nextInt(CHASSIS.size());
    String name = CHASSIS.get(c);
    ResourceKey key = new ResourceKey(Kind.CHASSIS, "", name);
    if (exists(key) && r.nextInt(4) == 0) {
      delete(key); // with its bindings
      return;
    }
    // Tunnel addresses move, but two chassis never share one (the store refuses it).
    put(key, Resource.newBuilder().setChassis(Chassis.newBuilder().setMetadata(Metadata.newBuilder().setName(name))
        .setHostname(name).setTunnelIp("192.0.2." + (10 * (c + 1) + r.nextInt(3)))
        .addAllEncapsulations(pick(TUNNELS))).build());
  }

  /** Creates what is absent, updates what is there. */
  private void put(ResourceKey key, Resource resource) {
    if (touched.add(key)) {
      ops.add(exists(key) ? TxnOp.newBuilder().setUpdate(UpdateRequest.newBuilder().setResource(resource)).build()
          : createOp(resource));
    }
  }

  /**
   * Deletes {@code key} and what refers to it, transitively (a switch with its ports and their
   * bindings...), and a gateway port's router's NAT rules, which need it; the store refuses
   * the rest (a route whose next hop leaves with a router port).
   */
  private void delete(ResourceKey key) {
    Set<ResourceKey> doomed = new HashSet<>();
    Deque<ResourceKey> todo = new ArrayDeque<>(List.of(key));
    while (!todo.isEmpty()) {
      ResourceKey k = todo.poll();
      if (!doomed.add(k)) {
        continue;
      }
      todo.addAll(state.referrers(k));
      state.get(k).filter(Resource::hasLogicalRouterPort).map(Resource::getLogicalRouterPort)
          .filter(p -> !p.getGatewayChassis().isEmpty())
          .ifPresent(p -> state.referrers(new ResourceKey(Kind.LOGICAL_ROUTER, k.tenant(), p.getLogicalRouter())).stream()
              .filter(n -> n.kind() == Kind.NAT_RULE).forEach(todo::add));
    }
    if (doomed.stream().anyMatch(touched::contains)) {
      return;
    }
    for (ResourceKey k : doomed) {
      touched.add(k);
      ops.add(TxnOp.newBuilder().setDelete(DeleteRequest.newBuilder().setRef(ObjectRef.newBuilder()
          .setKind(k.kind()).setTenant(k.tenant()).setName(k.name()))).build());
    }
  }

  /**
   * The name of a parent of {@code kind} for a new child: an existing one mostly, else one of
   * {@code names}, created in the same transaction half the time (else the store refuses).
   */
  private String parent(Kind kind, String t, String[] names) {
    List<ResourceKey> existing = List.copyOf(state.objects(kind, t).keySet());
    if (!existing.isEmpty() && r.nextInt(6) > 0) {
      return existing.get(r.nextInt(existing.size())).name();
    }
    String name = pick(names);
    if (!exists(new ResourceKey(kind, t, name)) && r.nextBoolean()) {
      if (kind == Kind.LOGICAL_SWITCH) {
        createSwitch(t, indexOf(SWITCHES, name));
      } else {
        put(new ResourceKey(kind, t, name),
            Resource.newBuilder().setLogicalRouter(LogicalRouter.newBuilder().setMetadata(metadata(t, name))).build());
      }
    }
    return name;
  }

  /** Whether the router has a gateway port besides {@code port}: a second one is refused. */
  private boolean otherGateway(String t, String router, String port) {
    return state.referrers(new ResourceKey(Kind.LOGICAL_ROUTER, t, router)).stream()
        .filter(k -> k.kind() == Kind.LOGICAL_ROUTER_PORT && !k.name().equals(port))
        .anyMatch(k -> !state.get(k).orElseThrow().getLogicalRouterPort().getGatewayChassis().isEmpty());
  }

  /** The indexes of the switches the router has a port on. */
  private List<Integer> routerSwitches(String t, String router) {
    return state.referrers(new ResourceKey(Kind.LOGICAL_ROUTER, t, router)).stream()
        .filter(k -> k.kind() == Kind.LOGICAL_ROUTER_PORT)
        .map(k -> indexOf(SWITCHES, state.get(k).orElseThrow().getLogicalRouterPort().getLogicalSwitch())).toList();
  }

  /** The index of the switch the router's gateway port is on, if it has one. */
  private Optional<Integer> gatewaySwitch(String t, String router) {
    return state.referrers(new ResourceKey(Kind.LOGICAL_ROUTER, t, router)).stream()
        .filter(k -> k.kind() == Kind.LOGICAL_ROUTER_PORT)
        .map(k -> state.get(k).orElseThrow().getLogicalRouterPort())
        .filter(p -> !p.getGatewayChassis().isEmpty())
        .map(p -> indexOf(SWITCHES, p.getLogicalSwitch())).findFirst();
  }

  private boolean exists(ResourceKey key) {
    return state.get(key).isPresent();
  }

  private static String subnet(int s) {
    return "10.0." + (s + 1) + ".0/24";
  }

  private static String host(int s, int host) {
    return "10.0." + (s + 1) + "." + host;
  }

  private static int indexOf(String[] values, String value) {
    return List.of(values).indexOf(value);
  }

  private <T> T pick(T[] values) {
    return values[r.nextInt(values.length)];
  }
}
