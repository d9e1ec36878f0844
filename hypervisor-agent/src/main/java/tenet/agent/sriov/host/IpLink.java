package tenet.agent.sriov.host;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tenet.agent.sriov.Mac;
import tenet.agent.sriov.VfSettings;
import tenet.agent.sriov.VfState;

/**
 * VF settings through iproute2's {@code ip link} (RTM_SETLINK with IFLA_VFINFO_LIST):
 * {@code ip link set dev <pf> vf <n> mac .. vlan .. spoofchk on|off trust on|off}, and
 * {@code ip -j link show dev <pf>} to read them back.
 */
public final class IpLink implements VfLinks {
  private final Command command;

  public IpLink(Command command) {
    this.command = command;
  }

  public IpLink() {
    this(Command.PROCESS);
  }

  @Override
  public Map<Integer, VfState> vfs(String pf) throws IOException {
    return parse(command.run(showArgv(pf)));
  }

  @Override
  public void configure(String pf, int vf, VfSettings settings) throws IOException {
    if (!settings.isEmpty()) {
      command.run(setArgv(pf, vf, settings));
    }
  }

  public static List<String> showArgv(String pf) {
    return List.of("ip", "-j", "link", "show", "dev", pf);
  }

  /** One command for all of a VF's settings (the kernel applies them one attribute at a time). */
  public static List<String> setArgv(String pf, int vf, VfSettings s) {
    List<String> argv = new ArrayList<>(List.of("ip", "link", "set", "dev", pf, "vf", Integer.toString(vf)));
    if (s.mac() != null) {
      argv.addAll(List.of("mac", s.mac()));
    }
    if (s.vlan() != null) {
      argv.addAll(List.of("vlan", Integer.toString(s.vlan())));
    }
    if (s.spoofCheck() != null) {
      argv.addAll(List.of("spoofchk", s.spoofCheck() ? "on" : "off"));
    }
    if (s.trust() != null) {
      argv.addAll(List.of("trust", s.trust() ? "on" : "off"));
    }
    return argv;
  }

  /**
   * The {@code vfinfo_list} of {@code ip -j link show}: {@code {"vf":3, "mac":"..", "vlan_list":
   * [{"vlan":100}], "spoofchk":true, "trust":false}}. iproute2 6.x names the MAC "address" (with
   * "link_type"), older ones "mac"; without IFLA_VF_VLAN_LIST it prints "vlan" directly; a VLAN of
   * 0 is left out.
   */
  public static Map<Integer, VfState> parse(String json) {
    Map<Integer, VfState> out = new TreeMap<>();
    JsonElement root = JsonParser.parseString(json.isBlank() ? "[]" : json);
    if (!root.isJsonArray() || root.getAsJsonArray().isEmpty()) {
      return out;
    }
    JsonObject link = root.getAsJsonArray().get(0).getAsJsonObject();
    if (!link.has("vfinfo_list")) {
      return out;
    }
    for (JsonElement e : link.getAsJsonArray("vfinfo_list")) {
      JsonObject vf = e.getAsJsonObject();
      if (!vf.has("vf")) {
        continue;
      }
      String mac = Mac.canonical(string(vf, "address"));
      if (mac == null) {
        mac = Mac.canonical(string(vf, "mac"));
      }
      int vlan = 0;
      if (vf.has("vlan_list")) {
        JsonArray list = vf.getAsJsonArray("vlan_list");
        if (!list.isEmpty() && list.get(0).getAsJsonObject().has("vlan")) {
          vlan = list.get(0).getAsJsonObject().get("vlan").getAsInt();
        }
      } else if (vf.has("vlan")) {
        vlan = vf.get("vlan").getAsInt();
      }
      int index = vf.get("vf").getAsInt();
      out.put(index, new VfState(index, mac, vlan, bool(vf, "spoofchk"), bool(vf, "trust")));
    }
    return out;
  }

  private static String string(JsonObject o, String key) {
    return o.has(key) && o.get(key).isJsonPrimitive() ? o.get(key).getAsString() : null;
  }

  private static Boolean bool(JsonObject o, String key) {
    return o.has(key) && o.get(key).isJsonPrimitive() ? o.get(key).getAsBoolean() : null;
  }
}
