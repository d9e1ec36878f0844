package tenet.agent.sriov;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code tenet.agent.sriov} section: which physical functions this agent manages, how many
 * VFs each should have, and which logical port gets a VF (with its MAC, VLAN, spoof check and
 * trust). Checked once at start; what only the host can tell (does the PF exist, how many VFs
 * can it have) is checked against sysfs by {@link SriovPlan}.
 *
 * @param sysfsRoot where sysfs is mounted: {@code /sys}, or a tree laid out like it in tests
 * @param pfs the managed PFs; empty: SR-IOV is off and the chassis reports no VF capacity
 * @param ports the logical ports that get a VF, in configuration order
 */
public record SriovConfig(String sysfsRoot, List<Pf> pfs, List<Port> ports, Duration reconcileInterval) {
  static final String PATH = "tenet.agent.sriov";
  private static final Pattern NETDEV = Pattern.compile("[^/:\\s]{1,15}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?");
  private static final Set<String> PF_KEYS = Set.of("name", "numvfs");
  private static final Set<String> PORT_KEYS = Set.of("port", "pf", "vf", "mac", "vlan", "spoof-check", "trust");

  public SriovConfig {
    pfs = List.copyOf(pfs);
    ports = List.copyOf(ports);
  }

  /**
   * One managed PF.
   *
   * @param numVfs how many VFs it should have; null: leave the kernel's count as it is
   */
  public record Pf(String name, Integer numVfs) {}

  /**
   * A logical port that gets a VF.
   *
   * @param vf the VF's index on its PF; null: the agent picks one (a VF the port already has, or
   *     the lowest free)
   * @param vlan the VF's VLAN tag (the NIC adds and strips it); 0: none; null: left as it is
   * @param spoofCheck, trust null: left as the driver has them
   */
  public record Port(String tenant, String name, String pf, Integer vf, String mac, Integer vlan, Boolean spoofCheck,
      Boolean trust) {
    /** OVS {@code external_ids:iface-id}: how the agent's VIF discovery names the logical port. */
    public String ifaceId() {
      return tenant + "/" + name;
    }
  }

  public boolean enabled() {
    return !pfs.isEmpty();
  }

  /** The configured PF of that name, with its index in {@code pfs} (for error messages). */
  public int pfIndex(String name) {
    for (int i = 0; i < pfs.size(); i++) {
      if (pfs.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /** Parses {@code tenet.agent.sriov} of the whole config. */
  public static SriovConfig from(Config root) {
    Config c = root.getConfig(PATH);
    Duration interval = c.getDuration("reconcile-interval");
    if (interval.isNegative() || interval.isZero()) {
      throw bad(c, "reconcile-interval", "must be positive, got " + interval);
    }
    String sysfs = c.getString("sysfs-root");
    if (!sysfs.startsWith("/")) {
      throw bad(c, "sysfs-root", "an absolute path, got '" + sysfs + "'");
    }
    List<Pf> pfs = new ArrayList<>();
    ConfigList pfList = c.getList("pfs");
    for (int i = 0; i < pfList.size(); i++) {
      pfs.add(pf(c, "pfs[" + i + "]", pfList.get(i)));
    }
    Set<String> pfNames = new HashSet<>();
    for (int i = 0; i < pfs.size(); i++) {
      if (!pfNames.add(pfs.get(i).name())) {
        throw bad(c, "pfs[" + i + "].name", pfs.get(i).name() + " is listed twice");
      }
    }
    List<Port> ports = new ArrayList<>();
    ConfigList portList = c.getList("ports");
    for (int i = 0; i < portList.size(); i++) {
      ports.add(port(c, "ports[" + i + "]", portList.get(i), pfNames));
    }
    crossCheck(c, pfs, ports);
    return new SriovConfig(sysfs, pfs, ports, interval);
  }

  private static Pf pf(Config c, String path, ConfigValue value) {
    if (value.valueType() == ConfigValueType.STRING) {
      return new Pf(netdev(c, path, (String) value.unwrapped()), null);
    }
    Config pf = object(c, path, value, PF_KEYS);
    if (!pf.hasPath("name")) {
      throw bad(c, path + ".name", "missing: the PF's interface name, e.g. enp3s0f0");
    }
    String name = netdev(c, path + ".name", string(c, pf, path, "name"));
    Integer numVfs = null;
    if (pf.hasPath("numvfs")) {
      numVfs = integer(c, pf, path, "numvfs");
      if (numVfs < 0) {
        throw bad(c, path + ".numvfs", "cannot be negative, got " + numVfs);
      }
    }
    return new Pf(name, numVfs);
  }

  private static Port port(Config c, String path, ConfigValue value, Set<String> pfNames) {
    Config p = object(c, path, value, PORT_KEYS);
    for (String required : List.of("port", "pf", "mac")) {
      if (!p.hasPath(required)) {
        throw bad(c, path + "." + required, "missing");
      }
    }
    String id = string(c, p, path, "port");
    String[] parts = id.split("/", -1);
    if (parts.length != 2 || !NAME.matcher(parts[0]).matches() || !NAME.matcher(parts[1]).matches()) {
      throw bad(c, path + ".port", "expected tenant/logical-port (names of [A-Za-z0-9._-], at most 63), got '" + id + "'");
    }
    String pf = string(c, p, path, "pf");
    if (!pfNames.contains(pf)) {
      throw bad(c, path + ".pf", pf + " is not one of the PFs in " + PATH + ".pfs " + pfNames.stream().sorted().toList());
    }
    Integer vf = null;
    if (p.hasPath("vf")) {
      vf = integer(c, p, path, "vf");
      if (vf < 0) {
        throw bad(c, path + ".vf", "cannot be negative, got " + vf);
      }
    }
    String mac;
    try {
      mac = Mac.unicast(PATH + "." + path + ".mac", string(c, p, path, "mac"));
    } catch (SriovException e) {
      throw new ConfigException.BadValue(c.origin(), e.field(), e.getMessage().substring(e.field().length() + 2));
    }
    Integer vlan = null;
    if (p.hasPath("vlan")) {
      vlan = integer(c, p, path, "vlan");
      if (vlan < 0 || vlan > 4094) {
        throw bad(c, path + ".vlan", "a VLAN id 1..4094, or 0 for none, got " + vlan);
      }
    }
    Boolean spoofCheck = p.hasPath("spoof-check") ? bool(c, p, path, "spoof-check") : null;
    Boolean trust = p.hasPath("trust") ? bool(c, p, path, "trust") : null;
    return new Port(parts[0], parts[1], pf, vf, mac, vlan, spoofCheck, trust);
  }

  /** What no single entry shows: one VF or MAC for two ports, more ports than VFs. */
  private static void crossCheck(Config c, List<Pf> pfs, List<Port> ports) {
    Map<String, Integer> byId = new HashMap<>();
    Map<String, Integer> byMac = new HashMap<>();
    Map<String, Integer> byVf = new HashMap<>();
    Map<String, Integer> perPf = new HashMap<>();
    for (int i = 0; i < ports.size(); i++) {
      Port p = ports.get(i);
      String path = "ports[" + i + "]";
      Integer before = byId.putIfAbsent(p.ifaceId(), i);
      if (before != null) {
        throw bad(c, path + ".port", p.ifaceId() + " already has a VF (ports[" + before + "])");
      }
      before = byMac.putIfAbsent(p.mac(), i);
      if (before != null) {
        throw bad(c, path + ".mac", p.mac() + " is already ports[" + before + "]'s");
      }
      if (p.vf() != null) {
        before = byVf.putIfAbsent(p.pf() + "/" + p.vf(), i);
        if (before != null) {
          throw bad(c, path + ".vf", "VF " + p.vf() + " of " + p.pf() + " is already ports[" + before + "]'s");
        }
      }
      perPf.merge(p.pf(), 1, Integer::sum);
    }
    for (int i = 0; i < pfs.size(); i++) {
      Pf pf = pfs.get(i);
      if (pf.numVfs() == null) {
        continue;
      }
      int wanted = perPf.getOrDefault(pf.name(), 0);
      if (wanted > pf.numVfs()) {
        throw bad(c, "pfs[" + i + "].numvfs", wanted + " ports want a VF of " + pf.name() + ", which gets only "
            + pf.numVfs());
      }
      for (int j = 0; j < ports.size(); j++) {
        Port p = ports.get(j);
        if (p.pf().equals(pf.name()) && p.vf() != null && p.vf() >= pf.numVfs()) {
          throw bad(c, "ports[" + j + "].vf", "VF " + p.vf() + " of " + pf.name() + " will not exist: "
              + PATH + ".pfs[" + i + "].numvfs is " + pf.numVfs() + " (VFs 0.." + (pf.numVfs() - 1) + ")");
        }
      }
    }
  }

  private static Config object(Config c, String path, ConfigValue value, Set<String> keys) {
    if (!(value instanceof ConfigObject object)) {
      throw bad(c, path, "expected an object, got " + value.valueType());
    }
    for (String key : object.keySet()) {
      if (!keys.contains(key)) {
        throw bad(c, path + "." + key, "unknown key; known: " + keys.stream().sorted().toList());
      }
    }
    return object.toConfig();
  }

  private static String netdev(Config c, String path, String name) {
    if (!NETDEV.matcher(name).matches() || name.equals(".") || name.equals("..")) {
      throw bad(c, path, "an interface name (1 to 15 characters, no '/', ':' or space), got '" + name + "'");
    }
    return name;
  }

  private static String string(Config c, Config o, String path, String key) {
    try {
      return o.getString(key);
    } catch (ConfigException.WrongType e) {
      throw bad(c, path + "." + key, "expected a string");
    }
  }

  private static int integer(Config c, Config o, String path, String key) {
    try {
      return o.getInt(key);
    } catch (ConfigException.WrongType e) {
      throw bad(c, path + "." + key, "expected a whole number");
    }
  }

  private static boolean bool(Config c, Config o, String path, String key) {
    try {
      return o.getBoolean(key);
    } catch (ConfigException.WrongType e) {
      throw bad(c, path + "." + key, "expected on or off");
    }
  }

  private static ConfigException.BadValue bad(Config c, String path, String reason) {
    return new ConfigException.BadValue(c.origin(), PATH + "." + path, reason);
  }
}
