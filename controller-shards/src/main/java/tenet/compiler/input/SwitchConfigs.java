package tenet.compiler.input;

import java.util.ArrayList;
import java.util.List;
import tenet.api.v1.Kind;
import tenet.api.v1.LogicalRouterPort;
import tenet.api.v1.LogicalSwitch;
import tenet.api.v1.LogicalSwitchPort;
import tenet.api.v1.Resource;
import tenet.compiler.logical.Datapath;
import tenet.compiler.pipeline.SwitchConfig;
import tenet.store.core.StoreState;
import tenet.store.core.net.IpInterface;
import tenet.store.model.ResourceKey;

/** Reads a switch's pipeline input out of the desired state. */
public final class SwitchConfigs {
  private SwitchConfigs() {}

  public static SwitchConfig from(StoreState state, ResourceKey switchKey) {
    LogicalSwitch sw = state.get(switchKey).orElseThrow(() -> new IllegalArgumentException(switchKey + " does not exist"))
        .getLogicalSwitch();
    Datapath datapath = new Datapath(Datapath.Type.SWITCH, switchKey.tenant(), switchKey.name(), sw.getTunnelKey());
    List<SwitchConfig.Port> ports = new ArrayList<>();
    for (ResourceKey k : state.referrers(switchKey)) {
      Resource r = state.get(k).orElseThrow();
      if (k.kind() == Kind.LOGICAL_SWITCH_PORT) {
        LogicalSwitchPort p = r.getLogicalSwitchPort();
        ports.add(new SwitchConfig.Port(k.name(), p.getPortKey(), p.getMac(), p.getIpsList(),
            !p.getPortSecurityDisabled(), false));
      } else if (k.kind() == Kind.LOGICAL_ROUTER_PORT) {
        LogicalRouterPort p = r.getLogicalRouterPort();
        List<String> ips = p.getNetworksList().stream().map(n -> IpInterface.parse(n).address().toString()).toList();
        ports.add(new SwitchConfig.Port(k.name(), p.getSwitchPortKey(), p.getMac(), ips, false, true));
      }
    }
    ports.sort(java.util.Comparator.comparingInt(SwitchConfig.Port::key));
    return new SwitchConfig(datapath, ports);
  }
}
