package tenet.shard;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.slf4j.LoggerFactory;
import tenet.agent.v1.ControllerMessage;
import tenet.controller.ControllerConfig;
import tenet.store.ratis.StoreClient;

/**
 * This controller's node of the compiler cluster: the Pekko actor system, cluster membership
 * with the split-brain resolver, and the two sharded entity types. Built from the controller's
 * config so the whole Pekko setup reads in one place.
 */
public final class CompilerCluster implements AutoCloseable {
  private final ActorSystem<Void> system;
  private final ClusterSharding sharding;
  private final NodeFeed feed;
  private final StoreClient store;
  private final String node;
  private final AtomicLong sessions = new AtomicLong();
  private volatile boolean closing;

  private CompilerCluster(ActorSystem<Void> system, NodeFeed feed, StoreClient store, String node) {
    this.system = system;
    this.feed = feed;
    this.store = store;
    this.node = node;
    this.sharding = ClusterSharding.get(system);
    sharding.init(Entity.of(DatapathEntity.KEY,
        ctx -> DatapathEntity.create(EntityIds.datapath(ctx.getEntityId()), feed, sharding)));
    sharding.init(Entity.of(ChassisEntity.KEY,
        ctx -> ChassisEntity.create(ctx.getEntityId(), feed, sharding, node)));
    // Downed by the others (or the split-brain resolver picked the other side): a controller
    // without its compiler must not linger half alive. Exit, so the supervisor restarts it and
    // it joins again as a new incarnation.
    system.getWhenTerminated().thenRun(() -> {
      if (!closing) {
        LoggerFactory.getLogger(CompilerCluster.class).error("compiler cluster: this node was removed; exiting");
        Runtime.getRuntime().halt(70);
      }
    });
  }

  public static CompilerCluster start(String nodeId, ControllerConfig.Compiler config, NodeFeed feed, StoreClient store) {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "tenet", pekko(config));
    if (config.seeds().isEmpty()) {
      // A cluster of this node alone; joining itself by address also works with port 0.
      Cluster cluster = Cluster.get(system);
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    }
    return new CompilerCluster(system, feed, store, nodeId);
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

  /** A stream from an agent, served on this node. */
  public ActorRef<AgentSession.Command> openSession(StreamObserver<ControllerMessage> stream) {
    return system.systemActorOf(AgentSession.create(stream, feed, store, sharding, node),
        "agent-session-" + sessions.incrementAndGet(), Props.empty());
  }

  public CompletionStage<ChassisEntity.Status> status(String chassis, Duration timeout) {
    return sharding.entityRefFor(ChassisEntity.KEY, chassis).ask(ChassisEntity.GetStatus::new, timeout);
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
