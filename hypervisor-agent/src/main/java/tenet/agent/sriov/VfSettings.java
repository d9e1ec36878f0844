package tenet.agent.sriov;

/**
 * What to set on a VF through its PF: only the fields that are not null.
 *
 * @param vlan 0 removes the VLAN
 */
public record VfSettings(String mac, Integer vlan, Boolean spoofCheck, Boolean trust) {
  public static final VfSettings NONE = new VfSettings(null, null, null, null);

  public boolean isEmpty() {
    return mac == null && vlan == null && spoofCheck == null && trust == null;
  }

  /** As {@code ip link} takes them: {@code mac 02:00:00:00:00:0a vlan 100 spoofchk on}. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    if (mac != null) {
      s.append(" mac ").append(mac);
    }
    if (vlan != null) {
      s.append(" vlan ").append(vlan);
    }
    if (spoofCheck != null) {
      s.append(" spoofchk ").append(spoofCheck ? "on" : "off");
    }
    if (trust != null) {
      s.append(" trust ").append(trust ? "on" : "off");
    }
    return s.isEmpty() ? "nothing" : s.substring(1);
  }
}
