package tenet.cluster;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.slf4j.LoggerFactory;

/**
 * One hypervisor in the controller cluster, sharded by its name: which stream serves it, on which
 * node, and how its flows stand (desired vs applied, BFD on its tunnels), for the operator. The
 * flows themselves are computed and sent by the node that holds the agent's stream; this entity
 * shows the stream that attached last. It ends no stream: attaches from two nodes can arrive in
 * either order (while the entity starts, its shard buffers them), so "the newer one" cannot be
 * told here, and an agent that reconnects closes its old stream itself. Two live streams for one
 * chassis (two agents configured with one name) are logged, once per change of stream.
 *
 * <p>Its state is what the streams report; lost with its node, it is told again within a report
 * interval by the session that serves the chassis.
 */
public final class ChassisEntity extends AbstractBehavior<ChassisEntity.Command> {
  public static final EntityTypeKey<Command> KEY = EntityTypeKey.create(Command.class, "chassis");

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
  @JsonSubTypes({
      @JsonSubTypes.Type(value = Report.class, name = "report"),
      @JsonSubTypes.Type(value = GetStatus.class, name = "get-status")})
  public sealed interface Command extends ShardMessage permits Report, GetStatus, SessionGone {}

  /**
   * What a session tells the entity: who it is, where, and how the chassis' flows stand;
   * {@code attach}: its first report, when its agent said hello (only that takes the chassis over).
   */
  public record Report(ActorRef<?> session, boolean attach, String node, Sync sync, List<Tunnel> tunnels)
      implements Command {}

  /** The chassis' flows as its stream has them. */
  public record Sync(boolean complete, long desiredVersion, long appliedVersion, int datapaths,
      long flows) {}

  /** BFD on one tunnel of the chassis, as its agent reported it (OVS' bfd_status). */
  public record Tunnel(String remoteIp, String bfdState, boolean forwarding) {}

  public record GetStatus(ActorRef<Status> replyTo) implements Command {}

  /** Desired vs applied, for the operator. */
  public record Status(String chassis, boolean connected, String streamNode, String ownerNode, Sync sync,
      List<Tunnel> tunnels) implements ShardMessage {}

  record SessionGone(ActorRef<?> session) implements Command {}

  private static final Sync NONE = new Sync(false, 0, 0, 0, 0);

  private final String name;
  private final String ownerNode;
  private ActorRef<?> session;
  /** The last other live stream seen reporting (for the warning only). */
  private ActorRef<?> other;
  private String sessionNode = "";
  private Sync sync = NONE;
  private List<Tunnel> tunnels = List.of();

  public static Behavior<Command> create(String name, String ownerNode) {
    return Behaviors.setup(ctx -> new ChassisEntity(ctx, name, ownerNode));
  }

  private ChassisEntity(ActorContext<Command> ctx, String name, String ownerNode) {
    super(ctx);
    this.name = name;
    this.ownerNode = ownerNode;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Report.class, this::onReport)
        .onMessage(GetStatus.class, g -> {
          g.replyTo().tell(new Status(name, session != null, sessionNode, ownerNode, sync, tunnels));
          return this;
        })
        .onMessage(SessionGone.class, g -> {
          if (g.session().equals(session)) {
            session = null;
            sessionNode = "";
            sync = NONE;
            tunnels = List.of();
          }
          return this;
        })
        .build();
  }

  private Behavior<Command> onReport(Report r) {
    if (session != null && !r.session().equals(session) && !r.attach()) {
      // Another live stream for this chassis, not a new one: two agents with one name?
      if (!r.session().equals(other)) {
        other = r.session();
        LoggerFactory.getLogger(ChassisEntity.class).warn("chassis {}: streams on {} and {} both serve it;"
            + " two agents configured as one chassis?", name, sessionNode, r.node());
      }
      return this;
    }
    if (!r.session().equals(session)) {
      if (session != null) {
        LoggerFactory.getLogger(ChassisEntity.class).info("chassis {}: served by a new stream on {} (was {})", name,
            r.node(), sessionNode);
        getContext().unwatch(session);
      }
      session = r.session();
      getContext().watchWith(session, new SessionGone(session));
    }
    sessionNode = r.node();
    sync = r.sync();
    tunnels = List.copyOf(r.tunnels());
    return this;
  }
}
