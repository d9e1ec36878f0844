package tenet.southbound;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import tenet.agent.v1.VirtualFunction;
import tenet.agent.v1.VirtualFunctions;
import tenet.api.v1.Kind;
import tenet.api.v1.LogicalSwitchPort;
import tenet.api.v1.PortType;
import tenet.api.v1.Resource;
import tenet.store.core.StoreState;
import tenet.store.model.ResourceKey;

/**
 * The SR-IOV VFs the API gives ports on one chassis, as its agent is told them: every port of
 * type SRIOV_VF whose {@code sriov.chassis} names it (the store indexes that reference), with
 * the port's MAC, and spoof checking unless the port's port security is disabled.
 */
public final class VfAssignments {
  private VfAssignments() {}

  public static VirtualFunctions of(StoreState state, String chassis) {
    List<VirtualFunction> out = new ArrayList<>();
    for (ResourceKey k : state.referrers(new ResourceKey(Kind.CHASSIS, "", chassis))) {
      if (k.kind() != Kind.LOGICAL_SWITCH_PORT) {
        continue;
      }
      LogicalSwitchPort port = state.get(k).map(Resource::getLogicalSwitchPort).orElseThrow();
      if (port.getType() != PortType.SRIOV_VF) {
        continue;
      }
      var f = port.getSriov();
      VirtualFunction.Builder vf = VirtualFunction.newBuilder().setTenant(k.tenant()).setLogicalPort(k.name())
          .setPhysicalFunction(f.getPhysicalFunction()).setMac(port.getMac()).setVlan(f.getVlan())
          .setSpoofCheck(!port.getPortSecurityDisabled()).setTrust(f.getTrust());
      if (f.hasVf()) {
        vf.setVf(f.getVf());
      }
      out.add(vf.build());
    }
    out.sort(Comparator.comparing(VirtualFunction::getTenant).thenComparing(VirtualFunction::getLogicalPort));
    return VirtualFunctions.newBuilder().addAllFunctions(out).build();
  }

  /** Whether {@code chassis} may host {@code port}: a port with a VF only on the chassis of its VF. */
  public static boolean mayHost(LogicalSwitchPort port, String chassis) {
    return port.getType() != PortType.SRIOV_VF || port.getSriov().getChassis().equals(chassis);
  }
}
