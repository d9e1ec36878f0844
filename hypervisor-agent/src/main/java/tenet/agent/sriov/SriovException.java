package tenet.agent.sriov;

/**
 * What the SR-IOV configuration asks for and this host cannot give (a PF without SR-IOV, more
 * VFs than it has, no VF left). Names the configuration field and the reason:
 * {@code tenet.agent.sriov.pfs[0].numvfs: 16 VFs asked for, enp3s0f0 has at most 8 (sriov_totalvfs)}.
 */
public final class SriovException extends RuntimeException {
  private final String field;

  public SriovException(String field, String reason) {
    super(field + ": " + reason);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
