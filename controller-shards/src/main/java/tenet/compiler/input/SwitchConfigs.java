package tenet.compiler.input;

import java.util.ArrayList;
import java.util.List;
import tenet.api.v1.AclRule;
import tenet.api.v1.Direction;
import tenet.api.v1.IpProtocol;
import tenet.api.v1.Kind;
import tenet.api.v1.LogicalRouterPort;
import tenet.api.v1.LogicalSwitch;
import tenet.api.v1.LogicalSwitchPort;
import tenet.api.v1.Resource;
import tenet.api.v1.SecurityGroup;
import tenet.compiler.logical.Datapath;
import tenet.compiler.pipeline.SwitchConfig;
import tenet.store.core.StoreState;
import tenet.store.core.net.Cidr;
import tenet.store.core.net.IpAddress;
import tenet.store.core.net.IpInterface;
import tenet.store.core.net.LabelSelector;
import tenet.store.model.ResourceKey;

/** Reads a switch's pipeline input out of the desired state. */
public final class SwitchConfigs {
  private SwitchConfigs() {}

  public static SwitchConfig from(StoreState state, ResourceKey switchKey) {
    LogicalSwitch sw = state.get(switchKey).orElseThrow(() -> new IllegalArgumentException(switchKey + " does not exist"))
        .getLogicalSwitch();
    Datapath datapath = new Datapath(Datapath.Type.SWITCH, switchKey.tenant(), switchKey.name(), sw.getTunnelKey());
    List<SecurityGroup> groups = state.objects(Kind.SECURITY_GROUP, switchKey.tenant()).values().stream()
        .map(Resource::getSecurityGroup).toList();
    List<SwitchConfig.Port> ports = new ArrayList<>();
    for (ResourceKey k : state.referrers(switchKey)) {
      Resource r = state.get(k).orElseThrow();
      if (k.kind() == Kind.LOGICAL_SWITCH_PORT) {
        LogicalSwitchPort p = r.getLogicalSwitchPort();
        ports.add(new SwitchConfig.Port(k.name(), p.getPortKey(), p.getMac(), p.getIpsList(),
            !p.getPortSecurityDisabled(), false, acls(state, switchKey.tenant(), p, groups)));
      } else if (k.kind() == Kind.LOGICAL_ROUTER_PORT) {
        LogicalRouterPort p = r.getLogicalRouterPort();
        // A gateway port's addresses are answered by the router itself, on the gateway chassis
        // only (as its floating IPs are): the outside must see one place for them, not the
        // switch answering on whichever chassis the request was sent from.
        List<String> ips = RouterConfigs.isGateway(p) ? List.of()
            : p.getNetworksList().stream().map(n -> IpInterface.parse(n).address().toString()).toList();
        ports.add(new SwitchConfig.Port(k.name(), p.getSwitchPortKey(), p.getMac(), ips, false, true, List.of()));
      }
    }
    ports.sort(java.util.Comparator.comparingInt(SwitchConfig.Port::key));
    return new SwitchConfig(datapath, ports);
  }

  /** The rules of every group of the tenant whose port selector picks this port. */
  private static List<SwitchConfig.Acl> acls(StoreState state, String tenant, LogicalSwitchPort port,
      List<SecurityGroup> groups) {
    List<SwitchConfig.Acl> out = new ArrayList<>();
    for (SecurityGroup group : groups) {
      if (!LabelSelector.parse(group.getPortSelector().getExpression()).matches(port.getMetadata().getLabelsMap())) {
        continue;
      }
      for (int i = 0; i < group.getRulesCount(); i++) {
        AclRule rule = group.getRules(i);
        List<String> remotes = new ArrayList<>();
        if (!rule.getRemoteCidr().isEmpty()) {
          remotes.add(Cidr.parse(rule.getRemoteCidr()).toString());
        } else if (!rule.getRemoteSelector().getExpression().isEmpty()) {
          remotes.addAll(addressesOf(state, tenant, LabelSelector.parse(rule.getRemoteSelector().getExpression())));
          if (remotes.isEmpty()) {
            continue; // no peer matches yet: the rule allows nothing
          }
        }
        out.add(new SwitchConfig.Acl(group.getMetadata().getName() + "[" + i + "]",
            rule.getDirection() == Direction.EGRESS ? SwitchConfig.Direction.FROM_PORT : SwitchConfig.Direction.TO_PORT,
            rule.getPriority(), SwitchConfig.Verdict.valueOf(rule.getAction().name()),
            SwitchConfig.Protocol.valueOf(rule.getProtocol() == IpProtocol.IP_PROTOCOL_ANY ? "ANY" : rule.getProtocol().name()),
            remotes, rule.getPortMin(), rule.getPortMax()));
      }
    }
    return out;
  }

  /** Host prefixes of the tenant's ports that {@code selector} picks, on any switch. */
  private static List<String> addressesOf(StoreState state, String tenant, LabelSelector selector) {
    List<String> out = new ArrayList<>();
    for (Resource r : state.objects(Kind.LOGICAL_SWITCH_PORT, tenant).values()) {
      LogicalSwitchPort p = r.getLogicalSwitchPort();
      if (selector.matches(p.getMetadata().getLabelsMap())) {
        for (String ip : p.getIpsList()) {
          IpAddress a = IpAddress.parse(ip);
          out.add(a + (a.isV4() ? "/32" : "/128"));
        }
      }
    }
    return out;
  }
}
