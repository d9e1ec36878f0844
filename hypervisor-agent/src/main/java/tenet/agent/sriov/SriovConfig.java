package tenet.agent.sriov;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code tenet.agent.sriov} section: which physical functions this agent manages and how
 * many VFs each should have. Which logical port gets which VF is the API's to say (a port of
 * type SRIOV_VF, told the agent by its controller: {@link VfPort}). Checked once at start; what
 * only the host can tell (does the PF exist, how many VFs can it have) is checked against sysfs
 * by {@link SriovPlan}.
 *
 * @param sysfsRoot where sysfs is mounted: {@code /sys}, or a tree laid out like it in tests
 * @param pfs the managed PFs; empty: SR-IOV is off and the chassis reports no VF capacity
 */
public record SriovConfig(String sysfsRoot, List<Pf> pfs, Duration reconcileInterval) {
  public static final String PATH = "tenet.agent.sriov";
  private static final Pattern NETDEV = Pattern.compile("[^/:\\s]{1,15}");
  private static final Set<String> PF_KEYS = Set.of("name", "numvfs");

  public SriovConfig {
    pfs = List.copyOf(pfs);
  }

  /**
   * One managed PF.
   *
   * @param numVfs how many VFs it should have; null: leave the kernel's count as it is
   */
  public record Pf(String name, Integer numVfs) {}

  public boolean enabled() {
    return !pfs.isEmpty();
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
    if (c.hasPath("ports")) {
      throw bad(c, "ports", "which logical port gets a VF is the API's to say (a port of type SRIOV_VF names its"
          + " chassis, physical_function and vf: docs/sriov.md); remove this list");
    }
    return new SriovConfig(sysfs, pfs, interval);
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

  private static ConfigException.BadValue bad(Config c, String path, String reason) {
    return new ConfigException.BadValue(c.origin(), PATH + "." + path, reason);
  }
}
