package tenet.shard;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tenet.agent.v1.AgentMessage;
import tenet.agent.v1.ControllerMessage;
import tenet.agent.v1.FlowUpdate;
import tenet.agent.v1.HostedPort;
import tenet.agent.v1.Tunnels;
import tenet.agent.v1.VirtualFunctions;
import tenet.api.FlowPages;
import tenet.api.v1.Kind;
import tenet.api.v1.ListRequest;
import tenet.api.v1.TxnRequest;
import tenet.compiler.specialize.OpenFlowRule;
import tenet.southbound.Registration;
import tenet.southbound.VfAssignments;
import tenet.southbound.VfTelling;
import tenet.southbound.WireFlows;
import tenet.store.ratis.StoreClient;
import tenet.store.rpc.GrpcStatuses;
import tenet.store.wire.ReadReply;
import tenet.store.wire.ReadRequest;

/**
 * One agent's stream on this node: writes what the agent reports into the store, attaches the
 * stream to the chassis entity wherever it runs, relays its flow updates, and tells the agent
 * the SR-IOV VFs the API gives ports there. When the entity's
 * node goes away it attaches again, and the entity's new home sends a full set.
 */
public final class AgentSession extends AbstractBehavior<AgentSession.Command> {
  private static final Logger log = LoggerFactory.getLogger(AgentSession.class);
  private static final Duration REATTACH = Duration.ofSeconds(2);

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
  @JsonSubTypes({@JsonSubTypes.Type(value = Update.class, name = "update")})
  public sealed interface Command extends ShardMessage
      permits Update, FromAgent, StreamEnded, EntityGone, Tick, Written, LeaderAt {}

  /** From the chassis entity: a full set, or a delta on {@code baseVersion}. */
  public record Update(ActorRef<ChassisEntity.Command> from, long version, boolean full, long baseVersion,
      List<OpenFlowRule> add, List<OpenFlowRule> remove) implements Command {}

  record FromAgent(AgentMessage message) implements Command {}

  record StreamEnded(Throwable error) implements Command {}

  record EntityGone(ActorRef<ChassisEntity.Command> entity) implements Command {}

  enum Tick implements Command { INSTANCE }

  /** A read through the store's leader came back (for {@link VfTelling}); {@code failure} when it did not. */
  record LeaderAt(ReadReply reply, Throwable failure) implements Command {}

  record Written(String what, Throwable failure) implements Command {}

  private final StreamObserver<ControllerMessage> stream;
  private final NodeFeed feed;
  private final StoreClient store;
  private final ClusterSharding sharding;
  private final String node;
  private String chassis;
  private tenet.agent.v1.Hello hello;
  private List<HostedPort> ports = List.of();
  private boolean writing;
  private ActorRef<ChassisEntity.Command> entity;
  private boolean updated;
  private long applied;
  /** BFD on the agent's tunnels, as it last reported (for the operator: Fabric.ChassisSync). */
  private List<ChassisEntity.Tunnel> tunnels = List.of();
  private final VfTelling virtualFunctions = new VfTelling();
  private boolean askingLeader;

  public static Behavior<Command> create(StreamObserver<ControllerMessage> stream, NodeFeed feed, StoreClient store,
      ClusterSharding sharding, String node) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(t -> new AgentSession(ctx, t, stream, feed, store, sharding, node)));
  }

  private AgentSession(ActorContext<Command> ctx, TimerScheduler<Command> timers, StreamObserver<ControllerMessage> stream,
      NodeFeed feed, StoreClient store, ClusterSharding sharding, String node) {
    super(ctx);
    this.stream = stream;
    this.feed = feed;
    this.store = store;
    this.sharding = sharding;
    this.node = node;
    timers.startTimerWithFixedDelay(Tick.INSTANCE, REATTACH);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(FromAgent.class, m -> fromAgent(m.message()))
        .onMessage(Update.class, this::relay)
        .onMessage(Tick.class, t -> {
          if (chassis != null && !updated) {
            attach(); // the entity's first answer is overdue: its shard may have been moving
          }
          register();
          if (chassis != null) {
            tellVirtualFunctions();
          }
          return this;
        })
        .onMessage(EntityGone.class, g -> {
          if (g.entity().equals(entity)) {
            log.info("chassis {}: its entity's node is gone; attaching to its new home", chassis);
            entity = null;
            attach();
          }
          return this;
        })
        .onMessage(Written.class, w -> {
          writing = false;
          var status = w.failure() == null ? null : GrpcStatuses.of(w.failure());
          if (status != null && status.getStatus().getCode() == Status.Code.INVALID_ARGUMENT) {
            // What the agent says is wrong (a bad tunnel IP, an ofport out of range): retrying
            // cannot help; the agent gets the store's answer, naming the field.
            log.warn("chassis {}: the store refused what its agent reported: {}", chassis, status.getMessage());
            stream.onError(status);
            return Behaviors.stopped();
          }
          if (w.failure() != null) {
            log.warn("chassis {}: writing {} to the store failed: {}", chassis, w.what(), w.failure().toString());
          }
          return this;
        })
        .onMessage(LeaderAt.class, l -> {
          askingLeader = false;
          if (l.failure() == null && l.reply().hasList()) {
            virtualFunctions.leaderAt(l.reply().getList().getRevision());
            tellVirtualFunctions();
          } else {
            log.debug("chassis {}: reading through the store's leader failed (again on the next tick): {}", chassis,
                l.failure() != null ? l.failure().toString() : l.reply().getError().getMessage());
          }
          return this;
        })
        .onMessage(StreamEnded.class, e -> {
          if (e.error() == null) {
            stream.onCompleted();
          }
          return Behaviors.stopped();
        })
        .build();
  }

  private Behavior<Command> fromAgent(AgentMessage message) {
    switch (message.getBodyCase()) {
      case HELLO -> {
        var hello = message.getHello();
        if (chassis != null && !chassis.equals(hello.getChassis())) {
          return fail(Status.INVALID_ARGUMENT.withDescription(
              "hello.chassis: this stream is chassis '" + chassis + "', not '" + hello.getChassis() + "'"));
        }
        if (hello.getChassis().isEmpty()) {
          return fail(Status.INVALID_ARGUMENT.withDescription("hello.chassis: required"));
        }
        chassis = hello.getChassis();
        this.hello = hello;
        ports = hello.getPorts().getPortsList();
        applied = hello.getAppliedVersion();
        tunnels = tunnels(hello.getTunnels());
        register();
        attach();
        tellVirtualFunctions();
      }
      case PORTS -> {
        if (chassis == null) {
          return fail(Status.FAILED_PRECONDITION.withDescription("ports: send hello first"));
        }
        ports = message.getPorts().getPortsList();
        register();
      }
      case TUNNELS -> {
        if (chassis == null) {
          return fail(Status.FAILED_PRECONDITION.withDescription("tunnels: send hello first"));
        }
        tunnels = tunnels(message.getTunnels());
        sharding.entityRefFor(ChassisEntity.KEY, chassis).tell(new ChassisEntity.TunnelReport(getContext().getSelf(),
            tunnels));
      }
      case ACK -> {
        applied = Math.max(applied, message.getAck().getVersion());
        if (entity != null) {
          entity.tell(new ChassisEntity.Acked(getContext().getSelf(), message.getAck().getVersion()));
        }
      }
      case BODY_NOT_SET -> {
        return fail(Status.INVALID_ARGUMENT.withDescription("body: one of hello, ack, ports, tunnels is required"));
      }
    }
    return this;
  }

  /**
   * Makes the store say what the agent reports. Level-triggered, again on every tick: this
   * node's replica may not have a port yet when the agent first reports it, a port may be
   * declared after its VM started, and a write may lose a race (the next one starts from the
   * state as it is then). One write at a time.
   */
  private void register() {
    if (hello == null || writing) {
      return;
    }
    TxnRequest txn = feed.read(state -> Registration.chassis(state, hello).toBuilder()
        .addAllOps(Registration.ports(state, chassis, ports).getOpsList()).build());
    if (txn.getOpsCount() == 0) {
      return;
    }
    writing = true;
    getContext().pipeToSelf(store.write(txn), (ok, failure) -> new Written("chassis " + chassis + " and its ports", failure));
  }

  /**
   * Tells the agent the VFs the API gives ports on its chassis, when they differ from what it
   * was told last on this stream (so within a tick of a port asking for one), and only from a
   * replica that has caught up with the leader as it was when the stream began ({@link VfTelling}).
   */
  private void tellVirtualFunctions() {
    if (!virtualFunctions.knowsLeader()) {
      askLeader();
      return;
    }
    record Read(long revision, VirtualFunctions list) {}
    Read read = feed.read(state -> new Read(state.revision(), VfAssignments.of(state, chassis)));
    virtualFunctions.next(read.revision(), read.list())
        .ifPresent(list -> stream.onNext(ControllerMessage.newBuilder().setVirtualFunctions(list).build()));
  }

  /** The leader's revision, by the cheapest read through it: one chassis at most. */
  private void askLeader() {
    if (askingLeader) {
      return;
    }
    askingLeader = true;
    ReadRequest read = ReadRequest.newBuilder().setList(ListRequest.newBuilder().setKind(Kind.CHASSIS).setPageSize(1))
        .build();
    getContext().pipeToSelf(store.readLinearizable(read), LeaderAt::new);
  }

  private static List<ChassisEntity.Tunnel> tunnels(Tunnels reported) {
    return reported.getTunnelsList().stream()
        .map(t -> new ChassisEntity.Tunnel(t.getRemoteIp(), t.getBfdState(), t.getForwarding())).toList();
  }

  private void attach() {
    updated = false;
    sharding.entityRefFor(ChassisEntity.KEY, chassis)
        .tell(new ChassisEntity.Attach(getContext().getSelf(), applied, node, tunnels));
  }

  private Behavior<Command> relay(Update u) {
    if (!u.from().equals(entity)) {
      if (entity != null) {
        getContext().unwatch(entity);
      }
      entity = u.from();
      getContext().watchWith(entity, new EntityGone(entity));
    }
    updated = true;
    FlowUpdate header = FlowUpdate.newBuilder().setVersion(u.version()).setFull(u.full())
        .setBaseVersion(u.baseVersion()).setController(node).build();
    // The agent starts on the first page while the rest is on the way (FlowPages); one that
    // does not take pages gets the update as one page of everything.
    boolean paged = hello != null && hello.getPagedUpdates();
    FlowPages.send(header, u.add(), u.remove(), WireFlows::of, paged ? FlowPages.FIRST_FLOWS : Integer.MAX_VALUE,
        paged ? FlowPages.FLOWS : Integer.MAX_VALUE,
        page -> stream.onNext(ControllerMessage.newBuilder().setUpdate(page).build()));
    return this;
  }

  private Behavior<Command> fail(Status status) {
    stream.onError(status.asRuntimeException());
    return Behaviors.stopped();
  }
}
