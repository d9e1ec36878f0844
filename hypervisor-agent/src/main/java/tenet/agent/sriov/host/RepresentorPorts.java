package tenet.agent.sriov.host;

import java.io.IOException;
import java.util.List;
import tenet.agent.sriov.RepresentorPort;

/** The integration bridge's VF representor ports: the ones this agent plugged (marked as such). */
public interface RepresentorPorts {
  List<RepresentorPort> plugged() throws IOException;

  /** Adds the representor to the bridge (if it is not there) and labels it as the logical port. */
  void plug(RepresentorPort port) throws IOException;

  void unplug(String representor) throws IOException;
}
