package tenet.controller.southbound;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
import tenet.api.v1.Kind;
import tenet.api.v1.ListRequest;
import tenet.api.v1.TxnResponse;
import tenet.cluster.ChassisEntity;
import tenet.cluster.ControllerCluster;
import tenet.compiler.incremental.ChassisDelta;
import tenet.southbound.AgentStream;
import tenet.southbound.FlowSource;
import tenet.southbound.StreamEffect;
import tenet.southbound.StreamInput;
import tenet.southbound.StreamTimer;
import tenet.store.ratis.StoreClient;
import tenet.store.ratis.StoreStateMachine;
import tenet.store.rpc.GrpcStatuses;
import tenet.store.wire.ReadReply;
import tenet.store.wire.ReadRequest;

/**
 * One agent's stream on this node, as an actor: what the stream does is {@link AgentStream}'s
 * to say; this turns what happens (the agent's messages, the stream's readiness, the compiler's
 * flows, the store's answers, timers) into its inputs and does what it says, on the stream, the
 * store, the compiler and the chassis' entity.
 */
public final class AgentSession extends AbstractBehavior<AgentSession.Command> {
  private static final Logger log = LoggerFactory.getLogger(AgentSession.class);
  private static final Duration TICK = Duration.ofSeconds(2);

  public sealed interface Command permits FromAgent, StreamEnded, Writable, Due, Written, LeaderRead, Flows {}

  public record FromAgent(AgentMessage message) implements Command {}

  public record StreamEnded(Throwable error) implements Command {}

  /** The stream can take more (gRPC's on-ready). */
  public enum Writable implements Command { INSTANCE }

  /** A timer went off (the key it was started with). */
  private record Due(StreamTimer timer) implements Command {}

  /** A registration write came back: what the store answered, or why it failed. */
  private record Written(TxnResponse ok, Throwable failure) implements Command {}

  /** A read through the store's leader came back; {@code failure} when it did not. */
  private record LeaderRead(ReadReply reply, Throwable failure) implements Command {}

  /** From this node's compiler: the whole set, or a change. */
  private record Flows(FlowSource set, long revision, ChassisDelta delta) implements Command {}

  private final AgentStream session;
  private final ServerCallStreamObserver<ControllerMessage> stream;
  private final NodeCompiler compiler;
  private final StoreClient store;
  private final ControllerCluster cluster;
  private final ActorRef<?> self;
  private final NodeCompiler.Subscriber subscriber;
  private final TimerScheduler<Command> timers;

  public static Behavior<Command> create(ServerCallStreamObserver<ControllerMessage> stream, NodeCompiler compiler,
      StoreStateMachine replica, StoreClient store, ControllerCluster cluster, int maxWaitingRules) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(t -> new AgentSession(ctx, t, stream, compiler, replica, store,
        cluster, maxWaitingRules)));
  }

  private AgentSession(ActorContext<Command> ctx, TimerScheduler<Command> timers,
      ServerCallStreamObserver<ControllerMessage> stream, NodeCompiler compiler,
      StoreStateMachine replica, StoreClient store, ControllerCluster cluster, int maxWaitingRules) {
    super(ctx);
    this.session = new AgentStream(cluster.node(), maxWaitingRules, replica::read);
    this.timers = timers;
    this.stream = stream;
    this.compiler = compiler;
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
    timers.startTimerWithFixedDelay(new Due(StreamTimer.TICK), TICK);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Command.class, c -> carryOut(session.step(input(c), System.nanoTime())))
        .onSignal(PostStop.class, s -> {
          carryOut(session.step(new StreamInput.Stopped(), System.nanoTime()));
          return this;
        })
        .build();
  }

  private static StreamInput input(Command command) {
    return switch (command) {
      case FromAgent m -> new StreamInput.FromAgent(m.message());
      case StreamEnded e -> new StreamInput.StreamEnded(e.error() != null);
      case Writable w -> new StreamInput.Writable();
      case Due d -> new StreamInput.Due(d.timer());
      case Flows f -> f.set() != null ? new StreamInput.FullSet(f.set()) : new StreamInput.Delta(f.revision(), f.delta());
      case Written w -> w.failure() == null ? new StreamInput.Written(w.ok().getRevision())
          : new StreamInput.WriteFailed(statusOf(w.failure()), w.failure().toString());
      case LeaderRead l -> l.failure() != null || !l.reply().hasList()
          ? new StreamInput.LeaderReadFailed(l.failure() != null ? l.failure().toString() : l.reply().getError().getMessage())
          : new StreamInput.LeaderAt(l.reply().getList().getRevision());
    };
  }

  /** What a store call failed with, as the status its client would receive. */
  private static com.google.rpc.Status statusOf(Throwable failure) {
    StatusRuntimeException e = GrpcStatuses.of(failure);
    return StatusProto.fromStatusAndTrailers(e.getStatus(), e.getTrailers());
  }

  private Behavior<Command> carryOut(List<StreamEffect> effects) {
    Behavior<Command> next = this;
    for (StreamEffect effect : effects) {
      switch (effect) {
        case StreamEffect.Send s -> stream.onNext(s.message());
        case StreamEffect.SendPages p -> sendPages();
        case StreamEffect.Reject r ->
            stream.onError(Status.fromCodeValue(r.code().getNumber()).withDescription(r.description()).asRuntimeException());
        case StreamEffect.PassOnRefusal r -> stream.onError(GrpcStatuses.of(r.refusal()));
        case StreamEffect.Complete c -> stream.onCompleted();
        case StreamEffect.Stop s -> next = Behaviors.stopped();
        case StreamEffect.Write w -> getContext().pipeToSelf(store.write(w.txn()), Written::new);
        case StreamEffect.AskLeader a -> askLeader();
        case StreamEffect.Subscribe s -> compiler.subscribe(s.chassis(), subscriber, s.minRevision());
        case StreamEffect.Resend r -> compiler.resend(r.chassis(), subscriber);
        case StreamEffect.Unsubscribe u -> compiler.unsubscribe(u.chassis(), subscriber);
        case StreamEffect.StartTimer t -> timers.startSingleTimer(new Due(t.timer()), t.after());
        case StreamEffect.Report r -> report(r);
        case StreamEffect.Log l -> logLine(l);
        case StreamEffect.LogFullSet l -> log.info(l.message(System.nanoTime()));
      }
    }
    return next;
  }

  /** Pages while the stream takes them; gRPC's on-ready (Writable) brings us back for the rest. */
  private void sendPages() {
    while (stream.isReady()) {
      Optional<FlowUpdate> page = session.nextPage();
      if (page.isEmpty()) {
        return;
      }
      stream.onNext(ControllerMessage.newBuilder().setUpdate(page.get()).build());
    }
  }

  /** The leader's revision, by the cheapest read through it: one chassis at most. */
  private void askLeader() {
    ReadRequest read = ReadRequest.newBuilder().setList(ListRequest.newBuilder().setKind(Kind.CHASSIS).setPageSize(1))
        .build();
    getContext().pipeToSelf(store.readLinearizable(read), LeaderRead::new);
  }

  private void report(StreamEffect.Report r) {
    List<ChassisEntity.Tunnel> tunnels = r.tunnels().stream()
        .map(t -> new ChassisEntity.Tunnel(t.remoteIp(), t.bfdState(), t.forwarding())).toList();
    cluster.chassis(r.chassis()).tell(new ChassisEntity.Report(self, r.attach(), cluster.node(),
        new ChassisEntity.Sync(r.complete(), r.desiredVersion(), r.appliedVersion(), r.datapaths(), r.flows()),
        tunnels));
  }

  private static void logLine(StreamEffect.Log l) {
    switch (l.level()) {
      case DEBUG -> log.debug(l.message());
      case INFO -> log.info(l.message());
      case WARN -> log.warn(l.message());
    }
  }
}
