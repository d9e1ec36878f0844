package tenet.store.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tenet.api.v1.Kind;
import tenet.api.v1.LogicalRouterPort;
import tenet.api.v1.LogicalSwitchPort;
import tenet.api.v1.NatType;
import tenet.api.v1.Resource;
import tenet.api.v1.SriovFunction;
import tenet.store.core.net.Cidr;
import tenet.store.core.net.IpAddress;
import tenet.store.core.net.IpInterface;
import tenet.store.core.net.MacAddress;
import tenet.store.model.References;
import tenet.store.model.ResourceKey;
import tenet.api.Resources;

/**
 * Checks of one object against the others once a whole transaction is laid out: references
 * exist, addresses sit inside their subnets and do not collide, a router's networks do not
 * overlap. Runs on every object a transaction touches and on the neighbours that depend on them,
 * so the order of operations inside a transaction does not matter. Field syntax was already
 * checked by {@link FieldRules}, so parsing here cannot fail.
 */
final class ConsistencyRules {
  private ConsistencyRules() {}

  /** The first broken reference, or the violations of address rules; empty when consistent. */
  static Optional<StoreError> check(Resource r, Draft d) {
    ResourceKey self = ResourceKey.of(r);
    for (References.Reference ref : References.of(r)) {
      if (d.get(ref.target()).isEmpty()) {
        return Optional.of(new StoreError.NotFound(ref.target(),
            self + " refers to " + ref.target() + " (" + ref.field() + "), which does not exist"));
      }
    }
    Violations v = new Violations();
    String p = Resources.fieldName(Resources.kind(r)) + ".";
    switch (r.getKindCase()) {
      case LOGICAL_SWITCH_PORT -> switchPort(self, r.getLogicalSwitchPort(), d, p, v);
      case LOGICAL_ROUTER_PORT -> routerPort(self, r.getLogicalRouterPort(), d, p, v);
      case CHASSIS -> {
        // Chassis views tell remote chassis apart by tunnel address.
        IpAddress mine = d.ip(r.getChassis().getTunnelIp());
        for (Resource other : d.objects(Kind.CHASSIS, "")) {
          if (!ResourceKey.of(other).equals(self) && d.ip(other.getChassis().getTunnelIp()).equals(mine)) {
            v.add(p + "tunnel_ip", mine + " is already the tunnel address of " + ResourceKey.of(other));
          }
        }
      }
      case STATIC_ROUTE -> {
        var route = r.getStaticRoute();
        IpAddress nexthop = d.ip(route.getNexthop());
        ResourceKey router = key(Kind.LOGICAL_ROUTER, self.tenant(), route.getLogicalRouter());
        boolean onLink = d.referrers(router, Kind.LOGICAL_ROUTER_PORT).stream()
            .flatMap(lrp -> lrp.getLogicalRouterPort().getNetworksList().stream())
            .map(IpInterface::parse)
            .anyMatch(n -> n.subnet().contains(nexthop));
        if (!onLink) {
          v.add(p + "nexthop", nexthop + " is not inside any network of " + router);
        }
      }
      case NAT_RULE -> {
        var nat = r.getNatRule();
        gatewayHolds(self, nat.getLogicalRouter(), nat.getExternalIp(), d, p, v);
        if (nat.getType() == NatType.DNAT_AND_SNAT) {
          ResourceKey router = key(Kind.LOGICAL_ROUTER, self.tenant(), nat.getLogicalRouter());
          for (Resource other : d.referrers(router, Kind.NAT_RULE)) {
            var o = other.getNatRule();
            if (!ResourceKey.of(other).equals(self) && o.getType() == NatType.DNAT_AND_SNAT
                && d.ip(o.getExternalIp()).equals(d.ip(nat.getExternalIp()))) {
              v.add(p + "external_ip", nat.getExternalIp() + " is already the floating IP of " + ResourceKey.of(other));
            }
          }
          if (!nat.getLogicalPort().isEmpty()) {
            var port = d.get(key(Kind.LOGICAL_SWITCH_PORT, self.tenant(), nat.getLogicalPort())).orElseThrow();
            IpAddress logical = d.ip(nat.getLogicalIp());
            boolean owns = port.getLogicalSwitchPort().getIpsList().stream().map(d::ip).anyMatch(logical::equals);
            if (!owns) {
              v.add(p + "logical_ip", logical + " is not an address of logical_port " + nat.getLogicalPort());
            }
          }
        }
      }
      default -> { }
    }
    return v.isEmpty() ? Optional.empty() : Optional.of(new StoreError.InvalidArgument(v.list()));
  }

  private static void switchPort(ResourceKey self, LogicalSwitchPort port, Draft d, String p, Violations v) {
    if (port.hasSriov()) {
      virtualFunction(self, port.getSriov(), d, p + "sriov.", v);
    }
    ResourceKey sw = key(Kind.LOGICAL_SWITCH, self.tenant(), port.getLogicalSwitch());
    List<Cidr> subnets = subnets(d, sw);
    MacAddress mac = d.mac(port.getMac());
    for (int i = 0; i < port.getIpsCount(); i++) {
      IpAddress ip = d.ip(port.getIps(i));
      if (subnets.stream().noneMatch(s -> s.contains(ip))) {
        v.add(p + "ips[" + i + "]", ip + " is outside the subnets " + subnets + " of " + sw);
      }
    }
    for (Resource other : d.referrers(sw, Kind.LOGICAL_SWITCH_PORT)) {
      if (ResourceKey.of(other).equals(self)) {
        continue;
      }
      var o = other.getLogicalSwitchPort();
      if (d.mac(o.getMac()).equals(mac)) {
        v.add(p + "mac", mac + " is already used by " + ResourceKey.of(other) + " on the same switch");
      }
      for (int i = 0; i < port.getIpsCount(); i++) {
        IpAddress ip = d.ip(port.getIps(i));
        if (o.getIpsList().stream().map(d::ip).anyMatch(ip::equals)) {
          v.add(p + "ips[" + i + "]", ip + " is already used by " + ResourceKey.of(other));
        }
      }
    }
    for (Resource lrp : d.referrers(sw, Kind.LOGICAL_ROUTER_PORT)) {
      for (int i = 0; i < port.getIpsCount(); i++) {
        IpAddress ip = d.ip(port.getIps(i));
        boolean taken = lrp.getLogicalRouterPort().getNetworksList().stream()
            .map(IpInterface::parse).anyMatch(n -> n.address().equals(ip));
        if (taken) {
          v.add(p + "ips[" + i + "]", ip + " is the address of router port " + ResourceKey.of(lrp));
        }
      }
    }
  }

  /**
   * A chassis gives at most its sriov_vf_capacity ports a VF, and a VF to one port. Checked when
   * a port asks, not when the chassis shrinks: its agent reports what the hardware has, and the
   * ports it can no longer serve wait, unbound, for an operator.
   */
  private static void virtualFunction(ResourceKey self, SriovFunction f, Draft d, String p, Violations v) {
    ResourceKey chassisKey = key(Kind.CHASSIS, "", f.getChassis());
    int capacity = d.get(chassisKey).orElseThrow().getChassis().getSriovVfCapacity();
    int asking = 0;
    for (Resource other : d.referrers(chassisKey, Kind.LOGICAL_SWITCH_PORT)) {
      asking++;
      var o = other.getLogicalSwitchPort().getSriov();
      if (!ResourceKey.of(other).equals(self) && f.hasVf() && o.hasVf() && o.getVf() == f.getVf()
          && o.getPhysicalFunction().equals(f.getPhysicalFunction())) {
        // Another tenant's port is not named to this one.
        String holder = ResourceKey.of(other).tenant().equals(self.tenant()) ? ResourceKey.of(other).toString()
            : "another tenant's port";
        v.add(p + "vf", "VF " + f.getVf() + " of " + f.getPhysicalFunction() + " on " + f.getChassis()
            + " is already given to " + holder);
      }
    }
    if (asking > capacity) {
      v.add(p + "chassis", f.getChassis() + " has " + capacity + " VFs (its sriov_vf_capacity), and "
          + asking + " ports would have one");
    }
  }

  /**
   * NAT is stateful and runs on one chassis, the router's gateway chassis: a rule needs the
   * router's gateway port, on the network of its external address.
   */
  private static void gatewayHolds(ResourceKey self, String routerName, String externalIp, Draft d, String p,
      Violations v) {
    ResourceKey router = key(Kind.LOGICAL_ROUTER, self.tenant(), routerName);
    Optional<Resource> gateway = d.referrers(router, Kind.LOGICAL_ROUTER_PORT).stream()
        .filter(lrp -> !lrp.getLogicalRouterPort().getGatewayChassis().isEmpty()).findFirst();
    if (gateway.isEmpty()) {
      v.add(p + "logical_router", self + ": " + router + " has no gateway port, and NAT runs on the gateway chassis: "
          + "set gateway_chassis on the router port whose network holds " + externalIp);
      return;
    }
    IpAddress external = d.ip(externalIp);
    List<String> networks = gateway.get().getLogicalRouterPort().getNetworksList();
    if (networks.stream().map(IpInterface::parse).noneMatch(n -> n.subnet().contains(external))) {
      v.add(p + "external_ip", self + ": " + external + " is outside the networks " + networks + " of "
          + ResourceKey.of(gateway.get()) + ", the gateway port of " + router);
    }
  }

  private static void routerPort(ResourceKey self, LogicalRouterPort port, Draft d, String p, Violations v) {
    ResourceKey sw = key(Kind.LOGICAL_SWITCH, self.tenant(), port.getLogicalSwitch());
    ResourceKey router = key(Kind.LOGICAL_ROUTER, self.tenant(), port.getLogicalRouter());
    List<Cidr> subnets = subnets(d, sw);
    List<IpInterface> networks = port.getNetworksList().stream().map(IpInterface::parse).toList();
    for (int i = 0; i < networks.size(); i++) {
      IpInterface n = networks.get(i);
      if (!subnets.contains(n.subnet())) {
        v.add(p + "networks[" + i + "]", n + " is not on a subnet of " + sw + " " + subnets
            + ": the router port's network must equal one of them");
      }
    }
    for (Resource other : d.referrers(router, Kind.LOGICAL_ROUTER_PORT)) {
      if (ResourceKey.of(other).equals(self)) {
        continue;
      }
      var o = other.getLogicalRouterPort();
      if (!port.getGatewayChassis().isEmpty() && !o.getGatewayChassis().isEmpty()) {
        v.add(p + "gateway_chassis", router + " already has a gateway port, " + ResourceKey.of(other)
            + ": a router has at most one");
      }
      if (o.getLogicalSwitch().equals(port.getLogicalSwitch())) {
        v.add(p + "logical_switch", sw + " is already attached to " + router + " through " + ResourceKey.of(other));
      }
      for (int i = 0; i < networks.size(); i++) {
        Cidr mine = networks.get(i).subnet();
        for (String theirs : o.getNetworksList()) {
          Cidr c = IpInterface.parse(theirs).subnet();
          if (mine.overlaps(c)) {
            v.add(p + "networks[" + i + "]", mine + " overlaps " + c + " of " + ResourceKey.of(other)
                + " on the same router");
          }
        }
      }
    }
    MacAddress mac = d.mac(port.getMac());
    for (Resource other : d.referrers(sw, Kind.LOGICAL_ROUTER_PORT)) {
      if (ResourceKey.of(other).equals(self)) {
        continue;
      }
      var o = other.getLogicalRouterPort();
      if (d.mac(o.getMac()).equals(mac)) {
        v.add(p + "mac", mac + " is already used by " + ResourceKey.of(other) + " on " + sw);
      }
      for (int i = 0; i < networks.size(); i++) {
        IpAddress a = networks.get(i).address();
        if (o.getNetworksList().stream().map(IpInterface::parse).anyMatch(n -> n.address().equals(a))) {
          v.add(p + "networks[" + i + "]", a + " is already used by " + ResourceKey.of(other) + " on " + sw);
        }
      }
    }
    for (Resource lsp : d.referrers(sw, Kind.LOGICAL_SWITCH_PORT)) {
      for (int i = 0; i < networks.size(); i++) {
        IpAddress a = networks.get(i).address();
        if (lsp.getLogicalSwitchPort().getIpsList().stream().map(d::ip).anyMatch(a::equals)) {
          v.add(p + "networks[" + i + "]", a + " is already used by " + ResourceKey.of(lsp));
        }
      }
    }
  }

  private static List<Cidr> subnets(Draft d, ResourceKey sw) {
    List<Cidr> subnets = new ArrayList<>();
    d.get(sw).ifPresent(s -> s.getLogicalSwitch().getSubnetsList().forEach(c -> subnets.add(Cidr.parse(c))));
    return subnets;
  }

  private static ResourceKey key(Kind kind, String tenant, String name) {
    return new ResourceKey(kind, tenant, name);
  }
}
