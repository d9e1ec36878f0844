package tenet.agent.sriov;

/**
 * A VF representor as an integration bridge port: what is there (read back from OVS), or what
 * should be there.
 *
 * @param representor the representor's interface name; null when it has not been found (yet)
 * @param ifaceId {@code external_ids:iface-id}, {@code tenant/logical-port}
 * @param pf, vf, vfPci which VF it stands for; {@code vf} is -1 when what OVS holds is unreadable
 * @param mac the VF's MAC, recorded as {@code external_ids:attached-mac}
 */
public record RepresentorPort(String representor, String ifaceId, String pf, int vf, String vfPci, String mac) {
  /** Whether both stand for the same logical port on the same VF. */
  public boolean sameVf(RepresentorPort other) {
    return ifaceId.equals(other.ifaceId) && pf.equals(other.pf) && vf == other.vf;
  }
}
