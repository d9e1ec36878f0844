package tenet.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.slf4j.LoggerFactory;
import tenet.controller.ControllerConfig;

/**
 * This controller's node of the controller cluster: the Pekko actor system (which also runs the
 * agents' sessions on this node), cluster membership with the split-brain resolver, and the
 * sharded chassis entities. Built from the controller's config so the whole Pekko setup reads in
 * one place.
 */
public final class ControllerCluster implements AutoCloseable {
  private final ActorSystem<Void> system;
  private final ClusterSharding sharding;
  private final String node;
  private volatile boolean closing;

  private ControllerCluster(ActorSystem<Void> system, String node) {
    this.system = system;
    this.node = node;
    this.sharding = ClusterSharding.get(system);
    sharding.init(Entity.of(ChassisEntity.KEY, ctx -> ChassisEntity.create(ctx.getEntityId(), node)));
    // Downed by the others (or the split-brain resolver picked the other side): a controller
    // without its compiler must not linger half alive. Exit, so the supervisor restarts it and
    // it joins again as a new incarnation.
    system.getWhenTerminated().thenRun(() -> {
      if (!closing) {
        LoggerFactory.getLogger(ControllerCluster.class).error("compiler cluster: this node was removed; exiting");
        Runtime.getRuntime().halt(70);
      }
    });
  }

  public static ControllerCluster start(String nodeId, ControllerConfig.Compiler config) {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "tenet", pekko(config));
    if (config.seeds().isEmpty()) {
      // A cluster of this node alone; joining itself by address also works with port 0.
      Cluster cluster = Cluster.get(system);
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    }
    return new ControllerCluster(system, nodeId);
  }

  static Config pekko(ControllerConfig.Compiler c) {
    List<String> seeds = new ArrayList<>();
    for (String seed : c.seeds()) {
      seeds.add("pekko://tenet@" + seed);
    }
    Map<String, Object> settings = Map.of(
        "pekko.remote.artery.canonical.hostname", c.host(),
        "pekko.remote.artery.canonical.port", c.port(),
        "pekko.cluster.seed-nodes", seeds,
        "pekko.cluster.failure-detector.acceptable-heartbeat-pause", c.acceptableHeartbeatPause().toMillis() + "ms",
        "pekko.cluster.split-brain-resolver.stable-after", c.stableAfter().toMillis() + "ms",
        "pekko.cluster.sharding.number-of-shards", c.shards());
    return c.pekko().atKey("pekko")
        .withFallback(ConfigFactory.parseMap(settings))
        .withFallback(ConfigFactory.parseResources("compiler-cluster.conf"))
        .withFallback(ConfigFactory.load());
  }

  public ActorSystem<Void> system() {
    return system;
  }

  /** The chassis' entity, wherever the cluster has it. */
  public EntityRef<ChassisEntity.Command> chassis(String name) {
    return sharding.entityRefFor(ChassisEntity.KEY, name);
  }

  public CompletionStage<ChassisEntity.Status> status(String chassis, Duration timeout) {
    return chassis(chassis).ask(ChassisEntity.GetStatus::new, timeout);
  }

  public String node() {
    return node;
  }

  @Override
  public void close() {
    closing = true;
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the JVM is going down anyway; what matters is that the others saw us leave or time out
    }
  }
}
