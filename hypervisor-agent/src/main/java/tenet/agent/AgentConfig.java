package tenet.agent;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tenet.agent.sriov.SriovConfig;
import tenet.api.v1.Encapsulation;

/** The {@code tenet.agent} section of the HOCON config, checked once at start. */
public record AgentConfig(String chassis, String hostname, String tunnelIp, List<Encapsulation> encapsulations,
    List<String> controllers, Duration reconnectMin, Duration reconnectMax, String bridge, String datapathType,
    Path ovsRundir, Duration auditInterval, Duration vifRereadInterval, boolean bfd, SriovConfig sriov) {

  public static AgentConfig from(Config root) {
    Config c = root.getConfig("tenet.agent");
    List<Encapsulation> encaps = new ArrayList<>();
    for (String e : c.getStringList("encapsulations")) {
      try {
        Encapsulation encap = Encapsulation.valueOf(e);
        if (encap == Encapsulation.ENCAPSULATION_UNSPECIFIED || encap == Encapsulation.UNRECOGNIZED) {
          throw new IllegalArgumentException();
        }
        encaps.add(encap);
      } catch (IllegalArgumentException bad) {
        throw new ConfigException.BadValue(c.origin(), "tenet.agent.encapsulations", "GENEVE or VXLAN, not " + e);
      }
    }
    if (encaps.isEmpty()) {
      throw new ConfigException.BadValue(c.origin(), "tenet.agent.encapsulations", "at least one of GENEVE, VXLAN");
    }
    List<String> controllers = c.getStringList("controllers");
    if (controllers.isEmpty()) {
      throw new ConfigException.BadValue(c.origin(), "tenet.agent.controllers", "at least one host:port");
    }
    for (String controller : controllers) {
      if (!controller.matches(".+:\\d{1,5}")) {
        throw new ConfigException.BadValue(c.origin(), "tenet.agent.controllers", "expected host:port, got " + controller);
      }
    }
    String chassis = c.getString("chassis");
    if (!chassis.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
      throw new ConfigException.BadValue(c.origin(), "tenet.agent.chassis",
          "a name of letters, digits, '.', '_', '-' (at most 63), got '" + chassis + "'");
    }
    Duration min = c.getDuration("reconnect.min");
    Duration max = c.getDuration("reconnect.max");
    if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
      throw new ConfigException.BadValue(c.origin(), "tenet.agent.reconnect", "need 0 < min <= max, got " + min + ", " + max);
    }
    if (c.hasPath("ovs.vif-poll-interval")) {
      // VIFs now come from OVSDB's notifications; a value left here would be ignored without a word.
      throw new ConfigException.BadValue(c.origin(), "tenet.agent.ovs.vif-poll-interval",
          "no longer exists: VIFs are watched through OVSDB (ovs.vif-reread-interval is the safety re-read); "
              + "the flow count and BFD are read every ovs.audit-interval");
    }
    String rundir = c.getString("ovs.rundir");
    return new AgentConfig(chassis, c.getString("hostname"), c.getString("tunnel-ip"), List.copyOf(encaps),
        List.copyOf(controllers), min, max, c.getString("ovs.bridge"), c.getString("ovs.datapath-type"),
        rundir.isEmpty() ? null : Path.of(rundir), positive(c, "ovs.audit-interval"),
        positive(c, "ovs.vif-reread-interval"), c.getBoolean("ovs.bfd"),
        SriovConfig.from(root));
  }

  private static Duration positive(Config c, String path) {
    Duration d = c.getDuration(path);
    if (d.isNegative() || d.isZero()) {
      throw new ConfigException.BadValue(c.origin(), "tenet.agent." + path, "must be more than 0, got " + d);
    }
    return d;
  }
}
