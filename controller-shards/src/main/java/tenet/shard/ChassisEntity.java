package tenet.shard;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.slf4j.LoggerFactory;
import tenet.compiler.input.ChassisViews;
import tenet.compiler.specialize.ChassisView;
import tenet.compiler.specialize.OpenFlowRule;
import tenet.compiler.specialize.Specializer;
import tenet.store.model.ResourceKey;

/**
 * One hypervisor: its view (what is plugged in where), the datapaths it needs, their rules as
 * their entities send them, and the agent stream it serves. The desired flow set is its own
 * rules plus every needed datapath's; it is sent to the agent only when complete (a partial set
 * would remove rules the agent must keep), as a full set on attach and as deltas after.
 *
 * <p>Versions only grow for a chassis, across owners too: a new owner starts above the version
 * the agent says it has applied.
 */
public final class ChassisEntity extends AbstractBehavior<ChassisEntity.Command> {
  public static final EntityTypeKey<Command> KEY = EntityTypeKey.create(Command.class, "chassis");
  private static final Duration RETRY = Duration.ofSeconds(1);
  /** Every this many retry ticks, every needed datapath is asked whether our copy is current. */
  private static final int AUDIT_EVERY = 5;

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
  @JsonSubTypes({
      @JsonSubTypes.Type(value = DatapathRules.class, name = "datapath-rules"),
      @JsonSubTypes.Type(value = Attach.class, name = "attach"),
      @JsonSubTypes.Type(value = Acked.class, name = "acked"),
      @JsonSubTypes.Type(value = GetStatus.class, name = "get-status"),
      @JsonSubTypes.Type(value = TunnelReport.class, name = "tunnel-report")})
  public sealed interface Command extends ShardMessage
      permits DatapathRules, Attach, Acked, GetStatus, TunnelReport, Recompute, Retry, DatapathGone, SessionGone {}

  /** A datapath's shared rules as of {@code revision} ({@code exists} false: it was deleted). */
  public record DatapathRules(String datapath, long revision, boolean exists, List<OpenFlowRule> rules, long digest,
      ActorRef<DatapathEntity.Command> from) implements Command {}

  /** An agent stream for this chassis, served by {@code session} on {@code node}. */
  /** A session holds the chassis' agent stream now; {@code tunnels}: BFD as the agent reported it. */
  public record Attach(ActorRef<AgentSession.Command> session, long appliedVersion, String node, List<Tunnel> tunnels)
      implements Command {}

  /** BFD on one tunnel of the chassis, as its agent reported it (OVS' bfd_status). */
  public record Tunnel(String remoteIp, String bfdState, boolean forwarding) {}

  /** The agent reported its tunnels again (something changed). */
  public record TunnelReport(ActorRef<AgentSession.Command> session, List<Tunnel> tunnels) implements Command {}

  public record Acked(ActorRef<AgentSession.Command> session, long version) implements Command {}

  public record GetStatus(ActorRef<Status> replyTo) implements Command {}

  /** Desired vs applied, for the operator. */
  public record Status(String chassis, boolean registered, boolean complete, long desiredVersion, long appliedVersion,
      boolean connected, String streamNode, String ownerNode, int datapaths, int flows, List<Tunnel> tunnels)
      implements ShardMessage {}

  /** From this node's feed: the view may have changed. Never leaves the node. */
  public enum Recompute implements Command { INSTANCE }

  enum Retry implements Command { INSTANCE }

  record DatapathGone(String datapath, ActorRef<DatapathEntity.Command> entity) implements Command {}

  record SessionGone(ActorRef<AgentSession.Command> session) implements Command {}

  private final String name;
  private final NodeFeed feed;
  private final ClusterSharding sharding;
  private final String ownerNode;
  private Optional<ChassisView> view = Optional.empty();
  private Set<String> span = Set.of();
  private long viewRevision;
  private final Map<String, DatapathRules> rules = new HashMap<>();
  /** Datapaths whose entity stopped (its node died): asked again each tick until the new one answers. */
  private final Set<String> moved = new HashSet<>();
  private Set<OpenFlowRule> desired;
  private long version;
  private ActorRef<AgentSession.Command> session;
  /** BFD on the chassis' tunnels, as the attached session last reported; none without one. */
  private List<Tunnel> tunnels = List.of();
  private String sessionNode = "";
  private Set<OpenFlowRule> sent;
  private long sentVersion;
  private long applied;
  private int ticks;

  public static Behavior<Command> create(String name, NodeFeed feed, ClusterSharding sharding, String ownerNode) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new ChassisEntity(ctx, timers, name, feed, sharding, ownerNode)));
  }

  private ChassisEntity(ActorContext<Command> ctx, TimerScheduler<Command> timers, String name, NodeFeed feed,
      ClusterSharding sharding, String ownerNode) {
    super(ctx);
    this.name = name;
    this.feed = feed;
    this.sharding = sharding;
    this.ownerNode = ownerNode;
    timers.startTimerWithFixedDelay(Retry.INSTANCE, RETRY);
    LoggerFactory.getLogger(ChassisEntity.class).info("chassis {}: owned by this node from now on", name);
    recomputeView();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Recompute.class, r -> {
          recomputeView();
          return this;
        })
        .onMessage(DatapathRules.class, this::onRules)
        .onMessage(Attach.class, this::onAttach)
        .onMessage(Acked.class, a -> {
          if (a.session().equals(session)) {
            applied = Math.max(applied, a.version());
          }
          return this;
        })
        .onMessage(GetStatus.class, g -> {
          g.replyTo().tell(new Status(name, view.isPresent(), isComplete(), version, applied, session != null,
              sessionNode, ownerNode, span.size(), desired == null ? 0 : desired.size(), tunnels));
          return this;
        })
        .onMessage(TunnelReport.class, t -> {
          if (t.session().equals(session)) {
            tunnels = List.copyOf(t.tunnels());
          }
          return this;
        })
        .onMessage(Retry.class, r -> {
          boolean audit = ++ticks % AUDIT_EVERY == 0;
          span.stream().filter(dp -> audit || !rules.containsKey(dp) || moved.contains(dp)).forEach(this::subscribe);
          return this;
        })
        .onMessage(DatapathGone.class, g -> {
          DatapathRules known = rules.get(g.datapath());
          if (known != null && known.from().equals(g.entity()) && span.contains(g.datapath())) {
            moved.add(g.datapath()); // keep its last rules until its new home answers
            subscribe(g.datapath());
          }
          return this;
        })
        .onMessage(SessionGone.class, g -> {
          if (g.session().equals(session)) {
            session = null;
            sessionNode = "";
            sent = null;
            tunnels = List.of();
          }
          return this;
        })
        .onSignal(PostStop.class, s -> {
          feed.forget(name, getContext().getSelf());
          span.forEach(dp -> datapath(dp).tell(new DatapathEntity.Unsubscribe(name)));
          return this;
        })
        .build();
  }

  private void recomputeView() {
    record Input(long revision, Optional<ChassisView> view, Set<ResourceKey> span) {}
    Input input = feed.read(state -> new Input(state.revision(), ChassisViews.from(state, name), ChassisViews.span(state, name)));
    viewRevision = input.revision();
    view = input.view();
    Set<String> next = new TreeSet<>();
    input.span().forEach(dp -> next.add(EntityIds.of(dp)));
    feed.listen(name, getContext().getSelf(), input.span(), input.revision());
    for (String dp : span) {
      if (!next.contains(dp)) {
        datapath(dp).tell(new DatapathEntity.Unsubscribe(name));
        rules.remove(dp);
        moved.remove(dp);
      }
    }
    for (String dp : next) {
      if (!span.contains(dp)) {
        subscribe(dp);
      }
    }
    span = next;
    publish();
  }

  private Behavior<Command> onRules(DatapathRules r) {
    if (!span.contains(r.datapath())) {
      return this; // no longer needed here (an Unsubscribe is on its way)
    }
    DatapathRules old = rules.put(r.datapath(), r);
    if (old == null || !old.from().equals(r.from())) {
      getContext().watchWith(r.from(), new DatapathGone(r.datapath(), r.from()));
      moved.remove(r.datapath());
    }
    publish();
    return this;
  }

  private Behavior<Command> onAttach(Attach a) {
    if (!a.session().equals(session)) {
      if (session != null) {
        getContext().unwatch(session);
      }
      session = a.session();
      getContext().watchWith(session, new SessionGone(session));
    }
    sessionNode = a.node();
    tunnels = List.copyOf(a.tunnels());
    applied = a.appliedVersion();
    sent = null; // the agent gets a full set; it diffs against what OVS holds
    if (desired != null && version <= applied) {
      version = applied + 1;
    }
    version = Math.max(version, applied);
    send();
    return this;
  }

  private boolean isComplete() {
    return view.isPresent() && rules.keySet().containsAll(span);
  }

  private void publish() {
    if (!isComplete()) {
      return;
    }
    Set<OpenFlowRule> next = new HashSet<>(Specializer.chassisRules(view.get()));
    long inputRevision = viewRevision;
    for (String dp : span) {
      DatapathRules r = rules.get(dp);
      next.addAll(r.rules());
      inputRevision = Math.max(inputRevision, r.revision());
    }
    if (!next.equals(desired)) {
      desired = next;
      version = Math.max(inputRevision, version + 1);
    }
    send();
  }

  private void send() {
    if (session == null || desired == null || (sent != null && sentVersion == version)) {
      return;
    }
    ActorRef<Command> self = getContext().getSelf();
    if (sent == null) {
      LoggerFactory.getLogger(ChassisEntity.class).info("chassis {}: full set of {} flows, version {}, to the stream on {}",
          name, desired.size(), version, sessionNode);
      session.tell(new AgentSession.Update(self, version, true, 0, sortedCopy(desired), List.of()));
    } else {
      session.tell(new AgentSession.Update(self, version, false, sentVersion, minus(desired, sent), minus(sent, desired)));
    }
    sent = desired;
    sentVersion = version;
  }

  private void subscribe(String dp) {
    DatapathRules known = rules.get(dp);
    datapath(dp).tell(new DatapathEntity.Subscribe(name, known == null || moved.contains(dp) ? 0 : known.digest()));
  }

  private org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<DatapathEntity.Command> datapath(String dp) {
    return sharding.entityRefFor(DatapathEntity.KEY, dp);
  }

  private static List<OpenFlowRule> minus(Set<OpenFlowRule> a, Set<OpenFlowRule> b) {
    List<OpenFlowRule> out = new ArrayList<>();
    for (OpenFlowRule r : a) {
      if (!b.contains(r)) {
        out.add(r);
      }
    }
    out.sort(null);
    return out;
  }

  private static List<OpenFlowRule> sortedCopy(Set<OpenFlowRule> rules) {
    List<OpenFlowRule> out = new ArrayList<>(rules);
    out.sort(null);
    return out;
  }
}
