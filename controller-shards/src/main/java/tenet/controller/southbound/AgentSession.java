package tenet.controller.southbound;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tenet.agent.v1.AgentMessage;
import tenet.agent.v1.ControllerMessage;
import tenet.agent.v1.FlowUpdate;
import tenet.agent.v1.HostedPort;
import tenet.agent.v1.Tunnels;
import tenet.agent.v1.VirtualFunctions;
import tenet.api.v1.Kind;
import tenet.api.v1.ListRequest;
import tenet.api.v1.TxnRequest;
import tenet.cluster.ChassisEntity;
import tenet.cluster.ControllerCluster;
import tenet.compiler.incremental.ChassisDelta;
import tenet.southbound.ChassisSync;
import tenet.southbound.FlowSource;
import tenet.southbound.Registration;
import tenet.southbound.VfAssignments;
import tenet.southbound.VfTelling;
import tenet.store.core.StoreState;
import tenet.store.ratis.StoreClient;
import tenet.store.ratis.StoreStateMachine;
import tenet.store.rpc.GrpcStatuses;
import tenet.store.wire.ReadReply;
import tenet.store.wire.ReadRequest;

/**
 * One agent's stream on this node: writes what the agent reports into the store, sends it the
 * flows this node's compiler gives its chassis ({@link ChassisSync} decides what and when, the
 * stream's readiness how fast), tells it the SR-IOV VFs the API gives its ports, and reports to
 * the chassis' entity in the cluster, which keeps one stream per chassis.
 *
 * <p>Nothing is sent before this node's replica has reached the revision the store's leader had
 * when the stream began: a replica behind it (a controller just restarted) would take back flows
 * and VFs the agent was given through another controller a moment before.
 */
public final class AgentSession extends AbstractBehavior<AgentSession.Command> {
  private static final Logger log = LoggerFactory.getLogger(AgentSession.class);
  private static final Duration TICK = Duration.ofSeconds(2);
  private static final Duration REREGISTER = Duration.ofMillis(50);
  /**
   * How long a change of versions waits before the chassis' entity is told (attaching and tunnels
   * go at once): an entity on another node is told through Pekko remoting, in JSON, and telling it
   * at every ack was a quarter of the store leader's CPU while ports were added at 40,000 ports.
   */
  static final Duration REPORT_DELAY = Duration.ofMillis(200);
  /** The store's refusals of a registration that a plan from the state as it is now would avoid. */
  private static final Set<Status.Code> STATE_MOVED_ON = EnumSet.of(Status.Code.ALREADY_EXISTS, Status.Code.NOT_FOUND,
      Status.Code.ABORTED, Status.Code.FAILED_PRECONDITION);

  public sealed interface Command
      permits FromAgent, StreamEnded, Writable, Tick, Register, Written, LeaderAt, Flows, ReportDue {}

  public record FromAgent(AgentMessage message) implements Command {}

  public record StreamEnded(Throwable error) implements Command {}

  /** The stream can take more (gRPC's on-ready). */
  public enum Writable implements Command { INSTANCE }

  enum Tick implements Command { INSTANCE }

  /** Versions changed {@link #REPORT_DELAY} ago: tell the entity how things stand now. */
  enum ReportDue implements Command { INSTANCE }

  /** Register again soon: the agent reported a port this node's replica does not have yet. */
  enum Register implements Command { INSTANCE }

  /** A read through the store's leader came back; {@code failure} when it did not. */
  record LeaderAt(ReadReply reply, Throwable failure) implements Command {}

  /** A registration write came back: the revision it made, or why it failed. */
  record Written(String what, long revision, Throwable failure) implements Command {}

  /** From this node's compiler: the whole set, or a change. */
  record Flows(FlowSource set, long revision, ChassisDelta delta) implements Command {}

  private final ServerCallStreamObserver<ControllerMessage> stream;
  private final NodeCompiler compiler;
  private final StoreStateMachine replica;
  private final StoreClient store;
  private final ControllerCluster cluster;
  private final ActorRef<?> self;
  private final NodeCompiler.Subscriber subscriber;
  private final int maxWaitingRules;
  private final TimerScheduler<Command> timers;
  private String chassis;
  private tenet.agent.v1.Hello hello;
  private List<HostedPort> ports = List.of();
  private boolean writing;
  /** The revision of this session's last registration write that the store took. */
  private long ownWriteAt = -1;
  /**
   * The report (hello and ports, as received) and replica revision of the last registration that
   * found nothing to write. Registering is level-triggered, on every tick, and reads the agent's
   * every port: 134 sessions doing so every 2 s were a tenth of a controller's CPU at 40,000 ports.
   */
  private tenet.agent.v1.Hello quietHello;
  private List<HostedPort> quietPorts;
  private long quietAt = -1;
  private List<ChassisEntity.Tunnel> tunnels = List.of();
  private final VfTelling virtualFunctions = new VfTelling();
  private boolean askingLeader;
  private boolean subscribed;
  private boolean attached;
  private ChassisSync sync;
  private ChassisEntity.Report reported;
  /** When the stream's first hello came and when the session subscribed (System.nanoTime; 0: not yet). */
  private long helloAt;
  private long subscribedAt;

  public static Behavior<Command> create(ServerCallStreamObserver<ControllerMessage> stream, NodeCompiler compiler,
      StoreStateMachine replica, StoreClient store, ControllerCluster cluster, int maxWaitingRules) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(t -> new AgentSession(ctx, t, stream, compiler, replica, store,
        cluster, maxWaitingRules)));
  }

  private AgentSession(ActorContext<Command> ctx, TimerScheduler<Command> timers,
      ServerCallStreamObserver<ControllerMessage> stream, NodeCompiler compiler,
      StoreStateMachine replica, StoreClient store, ControllerCluster cluster, int maxWaitingRules) {
    super(ctx);
    this.maxWaitingRules = maxWaitingRules;
    this.timers = timers;
    this.stream = stream;
    this.compiler = compiler;
    this.replica = replica;
    this.store = store;
    this.cluster = cluster;
    this.self = ctx.getSelf(); // the entity only watches it

    ActorRef<Command> me = ctx.getSelf();
    this.subscriber = new NodeCompiler.Subscriber() {
      @Override
      public void fullSet(FlowSource set) {
        me.tell(new Flows(set, set.revision(), null));
      }

      @Override
      public void delta(long revision, ChassisDelta delta) {
        me.tell(new Flows(null, revision, delta));
      }
    };
    timers.startTimerWithFixedDelay(Tick.INSTANCE, TICK);
  }

  private <T> T read(Function<StoreState, T> reader) {
    return replica.read(reader);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(FromAgent.class, m -> fromAgent(m.message()))
        .onMessage(Flows.class, this::onFlows)
        .onMessage(Writable.class, w -> {
          pump();
          return this;
        })
        .onMessage(Tick.class, t -> {
          register();
          if (chassis != null) {
            tellVirtualFunctions();
            reported = null; // said again now and then: the entity may have moved and lost it
            report(false);
          }
          return this;
        })
        .onMessage(Register.class, r -> {
          register();
          return this;
        })
        .onMessage(ReportDue.class, r -> {
          report(false);
          return this;
        })
        .onMessage(Written.class, this::onWritten)
        .onMessage(LeaderAt.class, this::onLeaderAt)
        .onMessage(StreamEnded.class, e -> {
          if (e.error() == null) {
            stream.onCompleted();
          }
          return Behaviors.stopped();
        })
        .onSignal(PostStop.class, s -> {
          if (chassis != null) {
            compiler.unsubscribe(chassis, subscriber);
          }
          return this;
        })
        .build();
  }

  private Behavior<Command> fromAgent(AgentMessage message) {
    switch (message.getBodyCase()) {
      case HELLO -> {
        var hello = message.getHello();
        if (hello.getChassis().isEmpty()) {
          return fail(Status.INVALID_ARGUMENT.withDescription("hello.chassis: required"));
        }
        if (chassis != null && !chassis.equals(hello.getChassis())) {
          return fail(Status.INVALID_ARGUMENT.withDescription(
              "hello.chassis: this stream is chassis '" + chassis + "', not '" + hello.getChassis() + "'"));
        }
        boolean again = this.hello != null;
        if (!again) {
          helloAt = System.nanoTime();
        }
        chassis = hello.getChassis();
        this.hello = hello;
        ports = hello.getPorts().getPortsList();
        tunnels = tunnels(hello.getTunnels());
        if (!again) {
          sync = new ChassisSync(hello.getAppliedVersion(), hello.getHeldCookiesList(), hello.getPagedUpdates(),
              cluster.node(), maxWaitingRules);
          if (namesHeldRevision(hello)) {
            // The agent says which revision its flows are of: this node's compiler, once there,
            // takes back nothing it was given elsewhere; no need to ask the leader first.
            subscribe(hello.getHeldRevision());
          }
        } else if (sync.resync(hello.getAppliedVersion(), hello.getHeldCookiesList()) == ChassisSync.Effect.ASK_FULL_SET
            && subscribed) {
          compiler.resend(chassis, subscriber);
        }
        register();
        tellVirtualFunctions(); // asks the leader first
        report(!again);
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
        report(false);
      }
      case ACK -> {
        if (chassis == null) {
          return fail(Status.FAILED_PRECONDITION.withDescription("ack: send hello first"));
        }
        sync.acked(message.getAck().getVersion());
        reportSoon();
      }
      case BODY_NOT_SET -> {
        return fail(Status.INVALID_ARGUMENT.withDescription("body: one of hello, ack, ports, tunnels is required"));
      }
    }
    return this;
  }

  private Behavior<Command> onFlows(Flows f) {
    if (f.set() != null) {
      boolean first = !sync.hasSet();
      long now = System.nanoTime();
      long toSend = sync.fullSet(f.set());
      // The first set's wait, for the operator (a failover's time is these, agent by agent).
      String took = first && helloAt != 0
          ? String.format(Locale.ROOT, "; %d ms after the hello: revision known %d (%s), compiler %d, diff %d",
              ms(System.nanoTime() - helloAt), ms(subscribedAt - helloAt),
              namesHeldRevision(hello) ? "said by the agent" : "the leader's",
              ms(now - subscribedAt), ms(System.nanoTime() - now))
          : "";
      log.info("chassis {}: full set of {} flows (revision {}) for the stream{}{}", chassis, f.set().size(),
          f.set().revision(), toSend == f.set().size() ? "" : ", as a delta of " + toSend + " on the flows it holds",
          took);
    } else if (sync.delta(f.revision(), f.delta()) == ChassisSync.Effect.ASK_FULL_SET) {
      log.info("chassis {}: its agent is {} flows behind; a full set follows instead", chassis, sync.waitingRules());
      compiler.resend(chassis, subscriber);
    }
    pump();
    reportSoon();
    return this;
  }

  /** The hello says which flows the agent holds and the store revision they are of. */
  private static boolean namesHeldRevision(tenet.agent.v1.Hello hello) {
    return hello.getHeldRevision() > 0 && hello.getHeldCookiesCount() > 0;
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  /** Pages while the stream takes them; gRPC's on-ready (Writable) brings us back for the rest. */
  private void pump() {
    if (sync == null) {
      return;
    }
    while (stream.isReady()) {
      Optional<FlowUpdate> page = sync.nextPage();
      if (page.isEmpty()) {
        return;
      }
      stream.onNext(ControllerMessage.newBuilder().setUpdate(page.get()).build());
    }
  }

  private Behavior<Command> onWritten(Written w) {
    writing = false;
    var status = w.failure() == null ? null : GrpcStatuses.of(w.failure());
    if (status != null && status.getStatus().getCode() == Status.Code.INVALID_ARGUMENT) {
      // What the agent says is wrong (a bad tunnel IP, an ofport out of range): retrying cannot
      // help; the agent gets the store's answer, naming the field.
      log.warn("chassis {}: the store refused what its agent reported: {}", chassis, status.getMessage());
      stream.onError(status);
      return Behaviors.stopped();
    }
    if (w.failure() != null) {
      log.warn("chassis {}: writing {} to the store failed: {}", chassis, w.what(), w.failure().toString());
      if (STATE_MOVED_ON.contains(status.getStatus().getCode())) {
        // Planned from a state another writer has changed since: plan again from the new one soon,
        // so that a port the agent reported while this write was out does not wait for a tick.
        timers.startSingleTimer(Register.INSTANCE, REREGISTER);
      }
      return this; // otherwise (a store without a leader) again on the next tick
    }
    ownWriteAt = w.revision();
    register(); // what the agent reported while this write was out
    return this;
  }

  private Behavior<Command> onLeaderAt(LeaderAt l) {
    askingLeader = false;
    if (l.failure() != null || !l.reply().hasList()) {
      log.debug("chassis {}: reading through the store's leader failed (again on the next tick): {}", chassis,
          l.failure() != null ? l.failure().toString() : l.reply().getError().getMessage());
      return this;
    }
    long leader = l.reply().getList().getRevision();
    virtualFunctions.leaderAt(leader);
    subscribe(leader);
    tellVirtualFunctions();
    return this;
  }

  /** The first set once this node's compiler has reached {@code minRevision}; then each change. */
  private void subscribe(long minRevision) {
    if (!subscribed) {
      subscribed = true;
      subscribedAt = System.nanoTime();
      compiler.subscribe(chassis, subscriber, minRevision);
    }
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
    if (replica.revision() < ownWriteAt) {
      // This node's replica has not applied the last write yet (a follower learns a commit with
      // the leader's next heartbeat): planning from it would write the same again, refused as
      // existing, and anything reported meanwhile would wait for that refusal.
      timers.startSingleTimer(Register.INSTANCE, REREGISTER);
      return;
    }
    if (quietHello == hello && quietPorts == ports && quietAt == replica.revision()) {
      return; // the same report against the same state: nothing to write again
    }
    record Plan(long revision, TxnRequest txn, boolean unknownPorts) {}
    Plan plan = read(state -> new Plan(state.revision(), Registration.chassis(state, hello).toBuilder()
        .addAllOps(Registration.ports(state, chassis, ports).getOpsList()).build(),
        ports.stream().anyMatch(p -> state.get(Registration.logicalPort(p)).isEmpty())));
    if (plan.unknownPorts()) {
      // A VM plugged in right after its port was created through another controller: this
      // replica has it within milliseconds, so look again then, not at the next tick. (A port
      // that is never declared costs a read every 50 ms: what the agent reports is small.)
      timers.startSingleTimer(Register.INSTANCE, REREGISTER);
    }
    TxnRequest txn = plan.txn();
    if (txn.getOpsCount() == 0) {
      if (!plan.unknownPorts()) {
        // Quiet only when nothing waits: a port this replica does not have yet is looked for
        // again in 50 ms, when the replica may well be at the same revision still.
        quietHello = hello;
        quietPorts = ports;
        quietAt = plan.revision();
      }
      return;
    }
    writing = true;
    getContext().pipeToSelf(store.write(txn), (ok, failure) -> new Written("chassis " + chassis + " and its ports",
        ok == null ? -1 : ok.getRevision(), failure));
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
    Read read = read(state -> new Read(state.revision(), VfAssignments.of(state, chassis)));
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

  /** Versions moved: the entity hears of it within {@link #REPORT_DELAY}, with whatever moves meanwhile. */
  private void reportSoon() {
    if (!timers.isTimerActive(ReportDue.INSTANCE)) {
      timers.startSingleTimer(ReportDue.INSTANCE, REPORT_DELAY);
    }
  }

  /** Tells the chassis' entity how things stand, when they changed (and on every tick, in case it moved). */
  private void report(boolean attach) {
    ChassisEntity.Report next = new ChassisEntity.Report(self, attach || !attached, cluster.node(),
        new ChassisEntity.Sync(sync.hasSet(), sync.desiredVersion(), sync.appliedVersion(),
            sync.datapaths(), sync.flows()), tunnels);
    if (next.equals(reported) && !attach) {
      return;
    }
    attached = true;
    reported = next;
    cluster.chassis(chassis).tell(next);
  }

  private static List<ChassisEntity.Tunnel> tunnels(Tunnels reported) {
    return reported.getTunnelsList().stream()
        .map(t -> new ChassisEntity.Tunnel(t.getRemoteIp(), t.getBfdState(), t.getForwarding())).toList();
  }

  private Behavior<Command> fail(Status status) {
    stream.onError(status.asRuntimeException());
    return Behaviors.stopped();
  }
}
