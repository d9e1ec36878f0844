package tenet.agent.sriov.host;

import java.io.IOException;
import java.util.Map;
import tenet.agent.sriov.VfSettings;
import tenet.agent.sriov.VfState;

/** A PF's VF settings, through netlink (the PF's driver holds them). {@link IpLink} on a host. */
public interface VfLinks {
  /** The VFs' settings as the PF's driver reports them, by VF index. */
  Map<Integer, VfState> vfs(String pf) throws IOException;

  /** Sets the non-null fields of {@code settings} on VF {@code vf} of {@code pf}. */
  void configure(String pf, int vf, VfSettings settings) throws IOException;
}
