package tenet.shard;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import tenet.compiler.incremental.LogicalCompiler;
import tenet.compiler.pipeline.DatapathConfig;
import tenet.compiler.specialize.OpenFlowRule;
import tenet.compiler.specialize.Specializer;
import tenet.store.model.ResourceKey;

/**
 * One logical switch or router: compiles its logical flows into the rules every chassis that
 * needs it shares, and sends them to the chassis entities that subscribed. Its state is derived
 * from the store when it starts, on whichever node the cluster puts it; subscribers that lose it
 * (it moved) subscribe again.
 */
public final class DatapathEntity extends AbstractBehavior<DatapathEntity.Command> {
  public static final EntityTypeKey<Command> KEY = EntityTypeKey.create(Command.class, "datapath");

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
  @JsonSubTypes({
      @JsonSubTypes.Type(value = Subscribe.class, name = "subscribe"),
      @JsonSubTypes.Type(value = Unsubscribe.class, name = "unsubscribe")})
  public sealed interface Command extends ShardMessage permits Subscribe, Unsubscribe, Recompute {}

  /**
   * A chassis needs this datapath: send it the rules now (unless it holds them already: the
   * {@code digest} it has) and whenever they change. Chassis repeat it now and then, so an
   * update lost while a node was failing is repaired.
   */
  public record Subscribe(String chassis, long digest) implements Command {}

  public record Unsubscribe(String chassis) implements Command {}

  /** From this node's feed: the datapath's inputs may have changed. Never leaves the node. */
  public enum Recompute implements Command { INSTANCE }

  private final ResourceKey datapath;
  private final NodeFeed feed;
  private final ClusterSharding sharding;
  private final Set<String> subscribers = new TreeSet<>();
  private DatapathConfig config;
  private List<OpenFlowRule> rules = List.of();
  private long digest = digest(rules);
  private long revision;

  public static Behavior<Command> create(ResourceKey datapath, NodeFeed feed, ClusterSharding sharding) {
    return Behaviors.setup(ctx -> new DatapathEntity(ctx, datapath, feed, sharding));
  }

  private DatapathEntity(ActorContext<Command> ctx, ResourceKey datapath, NodeFeed feed, ClusterSharding sharding) {
    super(ctx);
    this.datapath = datapath;
    this.feed = feed;
    this.sharding = sharding;
    feed.listen(datapath, ctx.getSelf());
    recompute();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Subscribe.class, s -> {
          subscribers.add(s.chassis());
          if (s.digest() != digest || s.digest() == 0) {
            send(s.chassis());
          }
          return this;
        })
        .onMessage(Unsubscribe.class, u -> {
          subscribers.remove(u.chassis());
          return this;
        })
        .onMessage(Recompute.class, r -> {
          if (recompute()) {
            subscribers.forEach(this::send);
          }
          return this;
        })
        .onSignal(PostStop.class, s -> {
          feed.forget(datapath, getContext().getSelf());
          return this;
        })
        .build();
  }

  /** Level-triggered: reads the datapath as the store has it now; true when its rules changed. */
  private boolean recompute() {
    record Input(long revision, DatapathConfig config) {}
    Input input = feed.read(state -> new Input(state.revision(),
        state.get(datapath).isPresent() ? LogicalCompiler.configOf(state, datapath) : null));
    revision = input.revision();
    if (java.util.Objects.equals(input.config(), config)) {
      return false;
    }
    config = input.config();
    List<OpenFlowRule> next = config == null ? List.of() : Specializer.datapathRules(config.compile());
    boolean changed = !next.equals(rules);
    rules = next;
    digest = digest(rules);
    return changed;
  }

  /** The same on every node for the same rules (never 0, which asks for the rules unconditionally). */
  static long digest(List<OpenFlowRule> rules) {
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    for (OpenFlowRule r : rules) {
      crc.update(r.toOfctl().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      crc.update('\n');
    }
    return (long) rules.size() << 32 | crc.getValue() | 1L << 62;
  }

  private void send(String chassis) {
    sharding.entityRefFor(ChassisEntity.KEY, chassis)
        .tell(new ChassisEntity.DatapathRules(EntityIds.of(datapath), revision, config != null, rules, digest,
            getContext().getSelf()));
  }
}
