package tenet.store.core;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tenet.api.v1.AclRule;
import tenet.api.v1.Chassis;
import tenet.api.v1.Encapsulation;
import tenet.api.v1.IpProtocol;
import tenet.api.v1.Kind;
import tenet.api.v1.LogicalRouterPort;
import tenet.api.v1.LogicalSwitch;
import tenet.api.v1.LogicalSwitchPort;
import tenet.api.v1.Metadata;
import tenet.api.v1.NatRule;
import tenet.api.v1.NatType;
import tenet.api.v1.PortType;
import tenet.api.v1.Resource;
import tenet.api.v1.SecurityGroup;
import tenet.api.v1.SriovFunction;
import tenet.api.v1.StaticRoute;
import tenet.store.core.net.Cidr;
import tenet.store.core.net.IpAddress;
import tenet.store.core.net.IpInterface;
import tenet.store.core.net.LabelSelector;
import tenet.store.core.net.MacAddress;
import tenet.store.core.net.Names;
import tenet.api.Resources;

/**
 * Checks of one resource on its own, without looking at any other object: syntax, ranges,
 * required fields. Field paths start at the resource kind, e.g. "logical_switch.subnets[0]".
 */
final class FieldRules {
  private static final int MAX_VF = 65534;

  private FieldRules() {}

  static void check(Resource resource, String prefix, Violations v) {
    Kind kind = Resources.kind(resource);
    if (kind == null || kind == Kind.KIND_UNSPECIFIED) {
      v.add(prefix + "resource", "no resource kind is set");
      return;
    }
    String p = prefix + Resources.fieldName(kind) + ".";
    metadata(kind, Resources.metadata(resource), p + "metadata.", v);
    switch (resource.getKindCase()) {
      case TENANT, LOGICAL_ROUTER, KIND_NOT_SET -> { }
      case LOGICAL_SWITCH -> logicalSwitch(resource.getLogicalSwitch(), p, v);
      case LOGICAL_SWITCH_PORT -> logicalSwitchPort(resource.getLogicalSwitchPort(), p, v);
      case LOGICAL_ROUTER_PORT -> logicalRouterPort(resource.getLogicalRouterPort(), p, v);
      case STATIC_ROUTE -> staticRoute(resource.getStaticRoute(), p, v);
      case SECURITY_GROUP -> securityGroup(resource.getSecurityGroup(), p, v);
      case NAT_RULE -> natRule(resource.getNatRule(), p, v);
      case ANNOUNCED_PREFIX -> {
        var a = resource.getAnnouncedPrefix();
        v.parse(p + "prefix", a.getPrefix(), Cidr::parse);
        v.required(p + "logical_router", a.getLogicalRouter());
        for (int i = 0; i < a.getCommunitiesCount(); i++) {
          v.check(p + "communities[" + i + "]", a.getCommunities(i), FieldRules::community);
        }
      }
      case CHASSIS -> chassis(resource.getChassis(), p, v);
      case PORT_BINDING -> {
        var b = resource.getPortBinding();
        v.required(p + "logical_port", b.getLogicalPort());
        v.required(p + "chassis", b.getChassis());
        if (b.getOfport() > MAX_OFPORT) {
          v.add(p + "ofport", "must be 1.." + MAX_OFPORT + " (or 0 while not plugged in), not " + b.getOfport());
        }
        if (!b.getLogicalPort().isEmpty() && !b.getMetadata().getName().equals(b.getLogicalPort())) {
          v.add(p + "metadata.name", "a port binding is named after its logical_port '"
              + b.getLogicalPort() + "', not '" + b.getMetadata().getName() + "'");
        }
      }
    }
  }

  private static void metadata(Kind kind, Metadata m, String p, Violations v) {
    if (m.getName().isEmpty()) {
      v.add(p + "name", "is required");
    } else {
      v.check(p + "name", m.getName(), Names::checkName);
    }
    if (kind == Kind.CHASSIS) {
      if (!m.getTenant().isEmpty()) {
        v.add(p + "tenant", "chassis are infrastructure, not owned by a tenant: leave it empty");
      }
    } else if (m.getTenant().isEmpty()) {
      v.add(p + "tenant", "is required");
    } else {
      v.check(p + "tenant", m.getTenant(), Names::checkName);
      if (kind == Kind.TENANT && !m.getTenant().equals(m.getName())) {
        v.add(p + "tenant", "a tenant's tenant is itself: expected '" + m.getName() + "'");
      }
    }
    for (Map.Entry<String, String> label : m.getLabelsMap().entrySet()) {
      v.check(p + "labels[" + label.getKey() + "]", label.getKey(), Names::checkLabelKey);
      v.check(p + "labels[" + label.getKey() + "]", label.getValue(), Names::checkLabelValue);
    }
  }

  private static void logicalSwitch(LogicalSwitch s, String p, Violations v) {
    List<Cidr> subnets = new java.util.ArrayList<>();
    for (int i = 0; i < s.getSubnetsCount(); i++) {
      Cidr c = v.parse(p + "subnets[" + i + "]", s.getSubnets(i), Cidr::parse);
      if (c == null) {
        continue;
      }
      for (int j = 0; j < subnets.size(); j++) {
        if (subnets.get(j) != null && subnets.get(j).overlaps(c)) {
          v.add(p + "subnets[" + i + "]", c + " overlaps subnets[" + j + "] " + subnets.get(j));
        }
      }
      subnets.add(c);
    }
    if (s.getMtu() != 0 && (s.getMtu() < 576 || s.getMtu() > 9000)) {
      v.add(p + "mtu", "must be 0 (default 1500) or 576 to 9000, got " + s.getMtu());
    }
  }

  private static void logicalSwitchPort(LogicalSwitchPort port, String p, Violations v) {
    v.required(p + "logical_switch", port.getLogicalSwitch());
    if (port.getType() == PortType.UNRECOGNIZED) {
      v.add(p + "type", "unknown port type " + port.getTypeValue());
    }
    if (port.getType() == PortType.SRIOV_VF) {
      sriov(port, p + "sriov.", v);
    } else if (port.hasSriov()) {
      v.add(p + "sriov", "only a port of type SRIOV_VF gets a VF: set type SRIOV_VF, or leave sriov out");
    }
    if (port.getMac().isEmpty()) {
      v.add(p + "mac", "is required");
    } else {
      v.parse(p + "mac", port.getMac(), MacAddress::parseUnicast);
    }
    Set<IpAddress> seen = new HashSet<>();
    for (int i = 0; i < port.getIpsCount(); i++) {
      IpAddress ip = v.parse(p + "ips[" + i + "]", port.getIps(i), IpAddress::parse);
      if (ip != null && !seen.add(ip)) {
        v.add(p + "ips[" + i + "]", ip + " is listed twice");
      }
    }
  }

  private static void sriov(LogicalSwitchPort port, String p, Violations v) {
    if (!port.hasSriov()) {
      v.add(p.substring(0, p.length() - 1), "is required for a port of type SRIOV_VF: the chassis and physical_function"
          + " whose VF it gets");
      return;
    }
    SriovFunction f = port.getSriov();
    if (f.getChassis().isEmpty()) {
      v.add(p + "chassis", "is required: the chassis whose VF the port gets");
    } else {
      v.check(p + "chassis", f.getChassis(), Names::checkName);
    }
    if (f.getPhysicalFunction().isEmpty()) {
      v.add(p + "physical_function", "is required: the PF's interface name on the chassis, e.g. enp3s0f0");
    } else {
      v.check(p + "physical_function", f.getPhysicalFunction(), Names::checkInterfaceName);
    }
    if (f.hasVf() && f.getVf() > MAX_VF) {
      v.add(p + "vf", "a VF index is 0.." + MAX_VF + " (sriov_totalvfs is 16 bits), got " + f.getVf());
    }
    if (f.getVlan() > 4094) {
      v.add(p + "vlan", "a VLAN id 1..4094, or 0 for none, got " + f.getVlan());
    }
  }

  private static void logicalRouterPort(LogicalRouterPort port, String p, Violations v) {
    v.required(p + "logical_router", port.getLogicalRouter());
    v.required(p + "logical_switch", port.getLogicalSwitch());
    if (port.getMac().isEmpty()) {
      v.add(p + "mac", "is required");
    } else {
      v.parse(p + "mac", port.getMac(), MacAddress::parseUnicast);
    }
    if (port.getNetworksCount() == 0) {
      v.add(p + "networks", "at least one address with prefix length is required, e.g. 10.0.0.1/24");
    }
    for (int i = 0; i < port.getNetworksCount(); i++) {
      v.parse(p + "networks[" + i + "]", port.getNetworks(i), IpInterface::parse);
    }
    // A chassis name, checked as one; whether that chassis exists is not the store's concern
    // (it may register later: see resources.proto).
    if (!port.getGatewayChassis().isEmpty()) {
      v.check(p + "gateway_chassis", port.getGatewayChassis(), Names::checkName);
    }
  }

  private static void staticRoute(StaticRoute route, String p, Violations v) {
    v.required(p + "logical_router", route.getLogicalRouter());
    Cidr prefix = v.parse(p + "prefix", route.getPrefix(), Cidr::parse);
    IpAddress nexthop = v.parse(p + "nexthop", route.getNexthop(), IpAddress::parse);
    if (prefix != null && nexthop != null && prefix.isV4() != nexthop.isV4()) {
      v.add(p + "nexthop", nexthop + " is not of the same address family as prefix " + prefix);
    }
  }

  private static void securityGroup(SecurityGroup group, String p, Violations v) {
    v.parse(p + "port_selector.expression", group.getPortSelector().getExpression(), LabelSelector::parse);
    for (int i = 0; i < group.getRulesCount(); i++) {
      aclRule(group.getRules(i), p + "rules[" + i + "].", v);
    }
  }

  private static void aclRule(AclRule rule, String p, Violations v) {
    switch (rule.getDirection()) {
      case INGRESS, EGRESS -> { }
      default -> v.add(p + "direction", "must be INGRESS or EGRESS");
    }
    switch (rule.getAction()) {
      case ALLOW, ALLOW_RELATED, DROP, REJECT -> { }
      default -> v.add(p + "action", "must be ALLOW, ALLOW_RELATED, DROP or REJECT");
    }
    if (rule.getPriority() > 32767) {
      v.add(p + "priority", "must be 0 to 32767, got " + rule.getPriority());
    }
    if (rule.getProtocol() == IpProtocol.UNRECOGNIZED) {
      v.add(p + "protocol", "unknown protocol " + rule.getProtocolValue() + ": use ANY, TCP, UDP, ICMP or ICMPV6");
    }
    Cidr remote = null;
    if (!rule.getRemoteCidr().isEmpty()) {
      remote = v.parse(p + "remote_cidr", rule.getRemoteCidr(), Cidr::parse);
      if (!rule.getRemoteSelector().getExpression().isEmpty()) {
        v.add(p + "remote_selector", "give remote_cidr or remote_selector, not both");
      }
    }
    v.parse(p + "remote_selector.expression", rule.getRemoteSelector().getExpression(), LabelSelector::parse);
    if (remote != null) {
      if (rule.getProtocol() == IpProtocol.ICMP && !remote.isV4()) {
        v.add(p + "protocol", "ICMP is IPv4; remote_cidr " + remote + " is IPv6 (use ICMPV6)");
      } else if (rule.getProtocol() == IpProtocol.ICMPV6 && remote.isV4()) {
        v.add(p + "protocol", "ICMPV6 is IPv6; remote_cidr " + remote + " is IPv4 (use ICMP)");
      }
    }
    boolean ports = rule.getPortMin() != 0 || rule.getPortMax() != 0;
    if (ports) {
      if (rule.getProtocol() != IpProtocol.TCP && rule.getProtocol() != IpProtocol.UDP) {
        v.add(p + "port_min", "ports apply to TCP or UDP only, not " + rule.getProtocol());
      }
      int max = rule.getPortMax() == 0 ? rule.getPortMin() : rule.getPortMax();
      if (rule.getPortMin() < 1 || max > 65535 || rule.getPortMin() > max) {
        v.add(p + "port_min", "port range must satisfy 1 <= port_min <= port_max <= 65535, got "
            + rule.getPortMin() + ".." + rule.getPortMax());
      }
    }
  }

  private static void natRule(NatRule nat, String p, Violations v) {
    v.required(p + "logical_router", nat.getLogicalRouter());
    IpAddress external = v.parse(p + "external_ip", nat.getExternalIp(), IpAddress::parse);
    Boolean logicalV4 = null;
    if (nat.getType() == NatType.SNAT) {
      Cidr c = v.parse(p + "logical_ip", nat.getLogicalIp(), Cidr::parse);
      logicalV4 = c == null ? null : c.isV4();
      if (!nat.getLogicalPort().isEmpty()) {
        v.add(p + "logical_port", "only DNAT_AND_SNAT rules name a port");
      }
    } else if (nat.getType() == NatType.DNAT_AND_SNAT) {
      IpAddress a = v.parse(p + "logical_ip", nat.getLogicalIp(), IpAddress::parse);
      logicalV4 = a == null ? null : a.isV4();
    } else {
      v.add(p + "type", "must be SNAT or DNAT_AND_SNAT");
    }
    if (external != null && logicalV4 != null && external.isV4() != logicalV4) {
      v.add(p + "logical_ip", "is not of the same address family as external_ip " + external);
    }
  }

  /**
   * A VIF's ofport is also its conntrack zone on the chassis; zones above are routers'
   * (docs/pipeline.md). OVS hands out the lowest free numbers, so this bounds VIFs per chassis.
   */
  static final int MAX_OFPORT = 32767;

  private static void chassis(Chassis c, String p, Violations v) {
    v.required(p + "hostname", c.getHostname());
    v.parse(p + "tunnel_ip", c.getTunnelIp(), IpAddress::parse);
    if (c.getEncapsulationsCount() == 0) {
      v.add(p + "encapsulations", "at least one of GENEVE, VXLAN is required");
    }
    Set<Encapsulation> seen = new HashSet<>();
    for (int i = 0; i < c.getEncapsulationsCount(); i++) {
      Encapsulation e = c.getEncapsulations(i);
      if (e != Encapsulation.GENEVE && e != Encapsulation.VXLAN) {
        v.add(p + "encapsulations[" + i + "]", "must be GENEVE or VXLAN");
      } else if (!seen.add(e)) {
        v.add(p + "encapsulations[" + i + "]", e + " is listed twice");
      }
    }
  }

  /** "65000:100": two 16-bit numbers, as RFC 1997 communities are written. */
  private static void community(String value) {
    String[] parts = value.split(":", -1);
    if (parts.length != 2) {
      throw new IllegalArgumentException("expected ASN:VALUE, e.g. 65000:100, got '" + value + "'");
    }
    for (String part : parts) {
      int n;
      try {
        n = Integer.parseInt(part);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("expected ASN:VALUE with numbers 0 to 65535, got '" + value + "'");
      }
      if (n < 0 || n > 65535) {
        throw new IllegalArgumentException("expected ASN:VALUE with numbers 0 to 65535, got '" + value + "'");
      }
    }
  }
}
