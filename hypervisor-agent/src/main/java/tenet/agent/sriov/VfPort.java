package tenet.agent.sriov;

import tenet.agent.v1.VirtualFunction;

/**
 * A logical port the API gives a VF of one of this chassis' PFs, as its controller said
 * ({@code tenet.agent.v1.VirtualFunction}).
 *
 * @param vf the VF's index on the PF; null: the agent picks (a VF the port has already, or the lowest free)
 * @param mac the port's MAC in canonical form
 * @param vlan the VF's VLAN tag (the NIC adds and strips it); 0: none
 */
public record VfPort(String tenant, String name, String pf, Integer vf, String mac, int vlan, boolean spoofCheck,
    boolean trust) {
  /** OVS {@code external_ids:iface-id}: how the agent's VIF discovery names the logical port. */
  public String ifaceId() {
    return tenant + "/" + name;
  }

  /** @throws SriovException when the MAC cannot be a VF's (the store checks it; this is the agent's own guard) */
  public static VfPort of(VirtualFunction f) {
    String mac = Mac.unicast(f.getTenant() + "/" + f.getLogicalPort() + ".mac", f.getMac());
    return new VfPort(f.getTenant(), f.getLogicalPort(), f.getPhysicalFunction(), f.hasVf() ? f.getVf() : null, mac,
        f.getVlan(), f.getSpoofCheck(), f.getTrust());
  }
}
