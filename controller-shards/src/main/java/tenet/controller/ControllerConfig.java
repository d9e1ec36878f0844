package tenet.controller;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tenet.store.ratis.StoreConfig;

/** The {@code tenet.controller} section of the HOCON config, checked once at start. */
public record ControllerConfig(String apiHost, int apiPort, StoreConfig store, Compiler compiler,
    Southbound southbound) {

  /** The compiler cluster's endpoint, seeds and failover timing. */
  public record Compiler(String host, int port, List<String> seeds, java.time.Duration acceptableHeartbeatPause,
      java.time.Duration stableAfter, int shards, Config pekko) {}

  /** How agents' streams are served; {@code maxWaitingRules}: what a stalled agent may cost (ChassisSync). */
  public record Southbound(int maxWaitingRules) {}


  public static ControllerConfig from(Config root) {
    Config c = root.getConfig("tenet.controller");
    String nodeId = c.getString("node-id");
    String raftHost = c.getString("raft.host");
    int raftPort = port(c, "raft.port");
    List<StoreConfig.PeerAddress> peers = new ArrayList<>();
    for (String spec : c.getStringList("peers")) {
      int at = spec.indexOf('@');
      if (at <= 0 || at == spec.length() - 1 || !spec.substring(at + 1).contains(":")) {
        throw new ConfigException.BadValue(c.origin(), "tenet.controller.peers",
            "expected \"id@host:port\", got \"" + spec + "\"");
      }
      peers.add(new StoreConfig.PeerAddress(spec.substring(0, at), spec.substring(at + 1)));
    }
    if (peers.isEmpty()) {
      peers.add(new StoreConfig.PeerAddress(nodeId, raftHost + ":" + raftPort));
    }
    boolean join = c.getBoolean("join");
    if (!join && peers.stream().noneMatch(p -> p.id().equals(nodeId))) {
      throw new ConfigException.BadValue(c.origin(), "tenet.controller.peers",
          "does not list this node '" + nodeId + "' (set join = true to be added later)");
    }
    Config s = c.getConfig("store");
    long min = s.getDuration("election-timeout-min").toMillis();
    long max = s.getDuration("election-timeout-max").toMillis();
    if (min <= 0 || max <= min) {
      throw new ConfigException.BadValue(s.origin(), "tenet.controller.store.election-timeout-max",
          "must be greater than election-timeout-min (" + min + " ms), got " + max + " ms");
    }
    StoreConfig store = new StoreConfig(nodeId, Path.of(c.getString("data-dir")), raftHost, raftPort,
        peers, join, c.getString("cluster-name"), s.getLong("snapshot-threshold"), s.getBytes("log-segment-size"), s.getInt("watch-history"),
        s.getDuration("election-timeout-min"), s.getDuration("election-timeout-max"));
    Config k = c.getConfig("compiler");
    for (String seed : k.getStringList("seeds")) {
      int colon = seed.lastIndexOf(':');
      if (colon <= 0 || !seed.substring(colon + 1).matches("\\d{1,5}")) {
        throw new ConfigException.BadValue(k.origin(), "tenet.controller.compiler.seeds",
            "expected \"host:port\", got \"" + seed + "\"");
      }
    }
    if (k.getInt("shards") < 1) {
      throw new ConfigException.BadValue(k.origin(), "tenet.controller.compiler.shards", "must be at least 1");
    }
    Compiler compiler = new Compiler(k.getString("host"), port(c, "compiler.port"), k.getStringList("seeds"),
        k.getDuration("acceptable-heartbeat-pause"), k.getDuration("stable-after"), k.getInt("shards"),
        k.getConfig("pekko"));
    int maxWaiting = c.getInt("southbound.max-waiting-rules");
    if (maxWaiting < 1) {
      throw new ConfigException.BadValue(c.origin(), "tenet.controller.southbound.max-waiting-rules",
          "must be at least 1, got " + maxWaiting);
    }
    return new ControllerConfig(c.getString("api.host"), port(c, "api.port"), store, compiler,
        new Southbound(maxWaiting));
  }

  private static int port(Config c, String path) {
    int port = c.getInt(path);
    if (port < 0 || port > 65535) {
      throw new ConfigException.BadValue(c.origin(), "tenet.controller." + path, "must be 0 to 65535, got " + port);
    }
    return port;
  }
}
