package tenet.agent.sriov.host;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tenet.agent.ovs.OvsCommands;
import tenet.agent.sriov.RepresentorPort;

/**
 * Representor ports on the integration bridge, through {@link OvsCommands}. A plugged
 * representor is an ordinary system port whose Interface carries
 * <pre>
 * external_ids:iface-id="tenant/port"        the logical port (the agent's VIF discovery reads this)
 * external_ids:attached-mac="02:.."          the VF's MAC
 * external_ids:tenet-port-type="sriov-vf"    marks the ports this agent manages
 * external_ids:tenet-sriov-pf="enp3s0f0"  tenet-sriov-vf="3"  tenet-sriov-vf-pci="0000:03:00.5"
 * </pre>
 * so whoever hands the VF to a VM can look up its PCI address by iface-id.
 */
public final class OvsRepresentorPorts implements RepresentorPorts {
  public static final String PORT_TYPE = "tenet-port-type";
  public static final String SRIOV_VF = "sriov-vf";
  public static final String PF = "tenet-sriov-pf";
  public static final String VF = "tenet-sriov-vf";
  public static final String VF_PCI = "tenet-sriov-vf-pci";

  private final OvsCommands ovs;

  public OvsRepresentorPorts(OvsCommands ovs) {
    this.ovs = ovs;
  }

  @Override
  public List<RepresentorPort> plugged() throws IOException {
    return parse(ovs.vsctl(listArgv().toArray(String[]::new)));
  }

  @Override
  public void plug(RepresentorPort port) throws IOException {
    ovs.vsctl(plugArgv(ovs.bridge(), port).toArray(String[]::new));
  }

  @Override
  public void unplug(String representor) throws IOException {
    ovs.vsctl(unplugArgv(ovs.bridge(), representor).toArray(String[]::new));
  }

  public static List<String> listArgv() {
    return List.of("--format=json", "--columns=name,external_ids", "list", "Interface");
  }

  /** ovs-vsctl arguments: add the port if missing, and (re)label it, in one transaction. */
  public static List<String> plugArgv(String bridge, RepresentorPort p) {
    String rep = p.representor();
    return List.of("--may-exist", "add-port", bridge, rep, "--", "set", "Interface", rep,
        "external_ids:iface-id=" + quote(p.ifaceId()), "external_ids:attached-mac=" + quote(p.mac()),
        "external_ids:" + PORT_TYPE + "=" + quote(SRIOV_VF), "external_ids:" + PF + "=" + quote(p.pf()),
        "external_ids:" + VF + "=" + quote(Integer.toString(p.vf())), "external_ids:" + VF_PCI + "=" + quote(p.vfPci()));
  }

  public static List<String> unplugArgv(String bridge, String representor) {
    return List.of("--if-exists", "del-port", bridge, representor);
  }

  /** The Interfaces labelled {@code tenet-port-type=sriov-vf}, from {@code ovs-vsctl --format=json list Interface}. */
  public static List<RepresentorPort> parse(String json) {
    JsonObject table = JsonParser.parseString(json).getAsJsonObject();
    List<RepresentorPort> out = new ArrayList<>();
    for (JsonElement row : table.getAsJsonArray("data")) {
      JsonArray cells = row.getAsJsonArray();
      Map<String, String> ids = map(cells.get(1));
      if (!SRIOV_VF.equals(ids.get(PORT_TYPE))) {
        continue;
      }
      int vf;
      try {
        vf = Integer.parseInt(ids.getOrDefault(VF, ""));
      } catch (NumberFormatException e) {
        vf = -1;
      }
      out.add(new RepresentorPort(cells.get(0).getAsString(), ids.getOrDefault("iface-id", ""),
          ids.getOrDefault(PF, ""), vf, ids.getOrDefault(VF_PCI, ""), ids.getOrDefault("attached-mac", "")));
    }
    return out;
  }

  /** ovs-vsctl takes a value with '/', ':' or a leading digit only in double quotes. */
  private static String quote(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** An OVSDB map in JSON: ["map", [[k, v], ...]]. */
  private static Map<String, String> map(JsonElement cell) {
    Map<String, String> out = new HashMap<>();
    for (JsonElement pair : cell.getAsJsonArray().get(1).getAsJsonArray()) {
      out.put(pair.getAsJsonArray().get(0).getAsString(), pair.getAsJsonArray().get(1).getAsString());
    }
    return out;
  }
}
