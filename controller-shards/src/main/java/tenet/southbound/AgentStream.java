package tenet.southbound;

import com.google.rpc.Code;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tenet.agent.v1.AgentMessage;
import tenet.agent.v1.ControllerMessage;
import tenet.agent.v1.FlowUpdate;
import tenet.agent.v1.Hello;
import tenet.agent.v1.HostedPort;
import tenet.agent.v1.Tunnels;
import tenet.agent.v1.VirtualFunctions;
import tenet.api.v1.TxnRequest;
import tenet.compiler.incremental.ChassisDelta;
import tenet.southbound.StreamEffect.AskLeader;
import tenet.southbound.StreamEffect.Complete;
import tenet.southbound.StreamEffect.FirstSetWait;
import tenet.southbound.StreamEffect.Level;
import tenet.southbound.StreamEffect.Log;
import tenet.southbound.StreamEffect.LogFullSet;
import tenet.southbound.StreamEffect.PassOnRefusal;
import tenet.southbound.StreamEffect.Reject;
import tenet.southbound.StreamEffect.Report;
import tenet.southbound.StreamEffect.Resend;
import tenet.southbound.StreamEffect.Send;
import tenet.southbound.StreamEffect.SendPages;
import tenet.southbound.StreamEffect.StartTimer;
import tenet.southbound.StreamEffect.Stop;
import tenet.southbound.StreamEffect.Subscribe;
import tenet.southbound.StreamEffect.Unsubscribe;
import tenet.southbound.StreamEffect.Write;
import tenet.southbound.StreamInput.Delta;
import tenet.southbound.StreamInput.Due;
import tenet.southbound.StreamInput.FromAgent;
import tenet.southbound.StreamInput.FullSet;
import tenet.southbound.StreamInput.LeaderAt;
import tenet.southbound.StreamInput.LeaderReadFailed;
import tenet.southbound.StreamInput.StreamEnded;
import tenet.southbound.StreamInput.Stopped;
import tenet.southbound.StreamInput.WriteFailed;
import tenet.southbound.StreamInput.Writable;
import tenet.southbound.StreamInput.Written;
import tenet.store.core.StoreState;

/**
 * One agent's stream on this node, as a plain state machine: {@link #step} takes what happened
 * (a {@link StreamInput}) and says what to do ({@link StreamEffect}s); its session (an actor)
 * does it. It writes what the agent reports into the store, sends the agent the flows this
 * node's compiler gives its chassis ({@link ChassisSync} decides what and when, the stream's
 * readiness how fast), tells it the SR-IOV VFs the API gives its ports, and reports to the
 * chassis' entity in the cluster, which keeps one stream per chassis. No threads, no clock (time
 * comes with each step); the replica is read through {@link ReplicaReads}.
 *
 * <p>Nothing is sent before this node's replica has reached the revision the store's leader had
 * when the stream began: a replica behind it (a controller just restarted) would take back flows
 * and VFs the agent was given through another controller a moment before.
 */
public final class AgentStream {
  static final Duration REREGISTER = Duration.ofMillis(50);
  /**
   * How long a change of versions waits before the chassis' entity is told (attaching and tunnels
   * go at once): an entity on another node is told through Pekko remoting, in JSON, and telling it
   * at every ack was a quarter of the store leader's CPU while ports were added at 40,000 ports.
   */
  static final Duration REPORT_DELAY = Duration.ofMillis(200);
  /** The store's refusals of a registration that a plan from the state as it is now would avoid. */
  private static final Set<Code> STATE_MOVED_ON = EnumSet.of(Code.ALREADY_EXISTS, Code.NOT_FOUND, Code.ABORTED,
      Code.FAILED_PRECONDITION);

  private final String node;
  private final int maxWaitingRules;
  private final ReplicaReads replica;
  private final List<StreamEffect> out = new ArrayList<>();
  private long now;
  private String chassis;
  private Hello hello;
  private List<HostedPort> ports = List.of();
  private boolean writing;
  /** The revision of this stream's last registration write that the store took. */
  private long ownWriteAt = -1;
  /**
   * The report (hello and ports, as received) and replica revision of the last registration that
   * found nothing to write. Registering is level-triggered, on every tick, and reads the agent's
   * every port: 134 sessions doing so every 2 s were a tenth of a controller's CPU at 40,000 ports.
   */
  private Hello quietHello;
  private List<HostedPort> quietPorts;
  private long quietAt = -1;
  private List<Report.Tunnel> tunnels = List.of();
  private final VfTelling virtualFunctions = new VfTelling();
  private boolean askingLeader;
  private boolean subscribed;
  private boolean attached;
  private boolean reportDue;
  private ChassisSync sync;
  private Report reported;
  /** When the stream's first hello came and when the stream subscribed (the steps' time). */
  private long helloAt;
  private long subscribedAt;

  /**
   * A stream on controller {@code node}, reading its replica through {@code replica};
   * {@code maxWaitingRules}: the rules of changes that may wait behind the update being sent ({@link ChassisSync}).
   */
  public AgentStream(String node, int maxWaitingRules, ReplicaReads replica) {
    this.node = node;
    this.maxWaitingRules = maxWaitingRules;
    this.replica = replica;
  }

  /** Takes {@code input}, which happened at {@code now} (nanoseconds, any origin); returns what to do, in order. */
  public List<StreamEffect> step(StreamInput input, long now) {
    this.now = now;
    out.clear();
    switch (input) {
      case FromAgent m -> fromAgent(m.message());
      case FullSet f -> fullSet(f.set());
      case Delta d -> delta(d.revision(), d.delta());
      case Writable w -> {
        if (sync != null) {
          out.add(new SendPages());
        }
      }
      case Due d -> due(d.timer());
      case Written w -> {
        writing = false;
        ownWriteAt = w.revision();
        register(); // what the agent reported while this write was out
      }
      case WriteFailed w -> writeFailed(w);
      case LeaderAt l -> {
        askingLeader = false;
        virtualFunctions.leaderAt(l.revision());
        subscribe(l.revision());
        tellVirtualFunctions();
      }
      case LeaderReadFailed l -> {
        askingLeader = false;
        log(Level.DEBUG, "reading through the store's leader failed (again on the next tick): " + l.reason());
      }
      case StreamEnded e -> {
        if (!e.failed()) {
          out.add(new Complete());
        }
        out.add(new Stop());
      }
      case Stopped s -> {
        if (chassis != null) {
          out.add(new Unsubscribe(chassis));
        }
      }
    }
    return List.copyOf(out);
  }

  /** The next page of flows for the stream, when it is ready for one; empty when there is nothing to send. */
  public Optional<FlowUpdate> nextPage() {
    return sync == null ? Optional.empty() : sync.nextPage();
  }

  private void fromAgent(AgentMessage message) {
    switch (message.getBodyCase()) {
      case HELLO -> hello(message.getHello());
      case PORTS -> {
        if (helloFirst("ports")) {
          ports = message.getPorts().getPortsList();
          register();
        }
      }
      case TUNNELS -> {
        if (helloFirst("tunnels")) {
          tunnels = tunnels(message.getTunnels());
          report(false);
        }
      }
      case ACK -> {
        if (helloFirst("ack")) {
          sync.acked(message.getAck().getVersion());
          reportSoon();
        }
      }
      case BODY_NOT_SET -> reject(Code.INVALID_ARGUMENT, "body: one of hello, ack, ports, tunnels is required");
    }
  }

  private void hello(Hello hello) {
    if (hello.getChassis().isEmpty()) {
      reject(Code.INVALID_ARGUMENT, "hello.chassis: required");
      return;
    }
    if (chassis != null && !chassis.equals(hello.getChassis())) {
      reject(Code.INVALID_ARGUMENT,
          "hello.chassis: this stream is chassis '" + chassis + "', not '" + hello.getChassis() + "'");
      return;
    }
    boolean again = this.hello != null;
    if (!again) {
      helloAt = now;
    }
    chassis = hello.getChassis();
    this.hello = hello;
    ports = hello.getPorts().getPortsList();
    tunnels = tunnels(hello.getTunnels());
    if (!again) {
      sync = new ChassisSync(hello.getAppliedVersion(), hello.getHeldCookiesList(), hello.getPagedUpdates(), node,
          maxWaitingRules);
      if (namesHeldRevision(hello)) {
        // The agent says which revision its flows are of: this node's compiler, once there,
        // takes back nothing it was given elsewhere; no need to ask the leader first.
        subscribe(hello.getHeldRevision());
      }
    } else if (sync.resync(hello.getAppliedVersion(), hello.getHeldCookiesList()) == ChassisSync.Effect.ASK_FULL_SET
        && subscribed) {
      out.add(new Resend(chassis));
    }
    register();
    tellVirtualFunctions(); // asks the leader first
    report(!again);
  }

  /** Whether the stream's hello came; if not, the stream ends, naming the message that came before it. */
  private boolean helloFirst(String what) {
    if (chassis == null) {
      reject(Code.FAILED_PRECONDITION, what + ": send hello first");
      return false;
    }
    return true;
  }

  private void reject(Code code, String description) {
    out.add(new Reject(code, description));
    out.add(new Stop());
  }

  /** The hello says which flows the agent holds and the store revision they are of. */
  private static boolean namesHeldRevision(Hello hello) {
    return hello.getHeldRevision() > 0 && hello.getHeldCookiesCount() > 0;
  }

  private static List<Report.Tunnel> tunnels(Tunnels reported) {
    return reported.getTunnelsList().stream()
        .map(t -> new Report.Tunnel(t.getRemoteIp(), t.getBfdState(), t.getForwarding())).toList();
  }

  private void fullSet(FlowSource set) {
    boolean first = !sync.hasSet();
    long toSend = sync.fullSet(set);
    out.add(new LogFullSet(chassis, set.size(), set.revision(), toSend,
        first ? new FirstSetWait(helloAt, subscribedAt, now, namesHeldRevision(hello)) : null));
    out.add(new SendPages());
    reportSoon();
  }

  private void delta(long revision, ChassisDelta delta) {
    long behind = sync.waitingRules() + delta.size(); // read first: asking for a full set drops the waiting changes
    if (sync.delta(revision, delta) == ChassisSync.Effect.ASK_FULL_SET) {
      log(Level.INFO, "its agent is " + behind + " flows behind; a full set follows instead");
      out.add(new Resend(chassis));
    }
    out.add(new SendPages());
    reportSoon();
  }

  private void due(StreamTimer timer) {
    switch (timer) {
      case TICK -> {
        register();
        if (chassis != null) {
          tellVirtualFunctions();
          reported = null; // said again now and then: the entity may have moved and lost it
          report(false);
        }
      }
      case REGISTER -> register();
      case REPORT -> {
        reportDue = false;
        report(false);
      }
    }
  }

  private void writeFailed(WriteFailed w) {
    writing = false;
    Code code = Code.forNumber(w.status().getCode());
    if (code == Code.INVALID_ARGUMENT) {
      // What the agent says is wrong (a bad tunnel IP, an ofport out of range): retrying cannot
      // help; the agent gets the store's answer, naming the field.
      log(Level.WARN, "the store refused what its agent reported: " + code + ": " + w.status().getMessage());
      out.add(new PassOnRefusal(w.status()));
      out.add(new Stop());
      return;
    }
    log(Level.WARN, "writing chassis " + chassis + " and its ports to the store failed: " + w.failure());
    if (STATE_MOVED_ON.contains(code)) {
      // Planned from a state another writer has changed since: plan again from the new one soon,
      // so that a port the agent reported while this write was out does not wait for a tick.
      out.add(new StartTimer(StreamTimer.REGISTER, REREGISTER));
    }
    // otherwise (a store without a leader) again on the next tick
  }

  /** The first set once this node's compiler has reached {@code minRevision}; then each change. */
  private void subscribe(long minRevision) {
    if (!subscribed) {
      subscribed = true;
      subscribedAt = now;
      out.add(new Subscribe(chassis, minRevision));
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
    long replicaAt = replica.read(StoreState::revision);
    if (replicaAt < ownWriteAt) {
      // This node's replica has not applied the last write yet (a follower learns a commit with
      // the leader's next heartbeat): planning from it would write the same again, refused as
      // existing, and anything reported meanwhile would wait for that refusal.
      out.add(new StartTimer(StreamTimer.REGISTER, REREGISTER));
      return;
    }
    // Compared by identity: the same messages as received, not equal ones (comparing would read every port).
    if (quietHello == hello && quietPorts == ports && quietAt == replicaAt) {
      return; // the same report against the same state: nothing to write again
    }
    record Plan(long revision, TxnRequest txn, boolean unknownPorts) {}
    Hello hello = this.hello;
    List<HostedPort> ports = this.ports;
    Plan plan = replica.read(state -> new Plan(state.revision(), Registration.chassis(state, hello).toBuilder()
        .addAllOps(Registration.ports(state, chassis, ports).getOpsList()).build(),
        ports.stream().anyMatch(p -> state.get(Registration.logicalPort(p)).isEmpty())));
    if (plan.unknownPorts()) {
      // A VM plugged in right after its port was created through another controller: this
      // replica has it within milliseconds, so look again then, not at the next tick. (A port
      // that is never declared costs a read every 50 ms: what the agent reports is small.)
      out.add(new StartTimer(StreamTimer.REGISTER, REREGISTER));
    }
    if (plan.txn().getOpsCount() == 0) {
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
    out.add(new Write(plan.txn()));
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
    String chassis = this.chassis;
    Read read = replica.read(state -> new Read(state.revision(), VfAssignments.of(state, chassis)));
    virtualFunctions.next(read.revision(), read.list())
        .ifPresent(list -> out.add(new Send(ControllerMessage.newBuilder().setVirtualFunctions(list).build())));
  }

  private void askLeader() {
    if (!askingLeader) {
      askingLeader = true;
      out.add(new AskLeader());
    }
  }

  /** Versions moved: the entity hears of it within {@link #REPORT_DELAY}, with whatever moves meanwhile. */
  private void reportSoon() {
    if (!reportDue) {
      reportDue = true;
      out.add(new StartTimer(StreamTimer.REPORT, REPORT_DELAY));
    }
  }

  /** Tells the chassis' entity how things stand, when they changed (and on every tick, in case it moved). */
  private void report(boolean attach) {
    Report next = new Report(chassis, attach || !attached, sync.hasSet(), sync.desiredVersion(), sync.appliedVersion(),
        sync.datapaths(), sync.flows(), tunnels);
    if (next.equals(reported) && !attach) {
      return;
    }
    attached = true;
    reported = next;
    out.add(next);
  }

  private void log(Level level, String message) {
    out.add(new Log(level, "chassis " + chassis + ": " + message));
  }
}
