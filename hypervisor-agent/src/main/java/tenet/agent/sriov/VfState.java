package tenet.agent.sriov;

/**
 * A VF's settings as the PF's driver reports them ({@code ip link show <pf>}: the {@code vf N}
 * lines).
 *
 * @param vlan 0 when none
 * @param spoofCheck, trust null when the driver does not report them
 */
public record VfState(int vf, String mac, int vlan, Boolean spoofCheck, Boolean trust) {}
