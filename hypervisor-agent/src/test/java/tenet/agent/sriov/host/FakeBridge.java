package tenet.agent.sriov.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tenet.agent.sriov.RepresentorPort;

/** The integration bridge behind {@link RepresentorPorts}; records the ovs-vsctl argv the real adapter would run. */
final class FakeBridge implements RepresentorPorts {
  final Map<String, RepresentorPort> ports = new LinkedHashMap<>();
  final List<List<String>> ran = new ArrayList<>();

  @Override
  public List<RepresentorPort> plugged() {
    return List.copyOf(ports.values());
  }

  @Override
  public void plug(RepresentorPort port) {
    ran.add(OvsRepresentorPorts.plugArgv("br-int", port));
    ports.put(port.representor(), port);
  }

  @Override
  public void unplug(String representor) {
    ran.add(OvsRepresentorPorts.unplugArgv("br-int", representor));
    ports.remove(representor);
  }
}
