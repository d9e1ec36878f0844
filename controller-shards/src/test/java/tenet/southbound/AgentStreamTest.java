package tenet.southbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import com.google.rpc.Status;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tenet.agent.v1.Ack;
import tenet.agent.v1.AgentMessage;
import tenet.agent.v1.ControllerMessage;
import tenet.agent.v1.FlowUpdate;
import tenet.agent.v1.Hello;
import tenet.agent.v1.HostedPort;
import tenet.agent.v1.Ports;
import tenet.agent.v1.TunnelHealth;
import tenet.agent.v1.Tunnels;
import tenet.agent.v1.VirtualFunctions;
import tenet.api.v1.Encapsulation;
import tenet.api.v1.TxnRequest;
import tenet.compiler.Topologies;
import tenet.compiler.incremental.ChassisDelta;
import tenet.compiler.specialize.OpenFlowRule;
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

/** An agent's stream alone, step by step: what it writes, sends, subscribes to and reports, and when. */
class AgentStreamTest {
  private static final long MS = 1_000_000;
  private static final StartTimer REREGISTER = new StartTimer(StreamTimer.REGISTER, AgentStream.REREGISTER);
  private static final StartTimer REPORT_SOON = new StartTimer(StreamTimer.REPORT, AgentStream.REPORT_DELAY);

  private StoreState state;
  private int reads;
  private AgentStream stream;

  @BeforeEach
  void replica() throws Exception {
    state = Topologies.load(Path.of("src/test/resources/golden/router/topology.json"));
    stream = new AgentStream("c1", 100_000, this::read);
  }

  private <T> T read(Function<StoreState, T> reader) {
    reads++;
    return reader.apply(state);
  }

  @Test
  void aHelloWithoutAChassisIsRefusedNamingTheField() {
    assertThat(step(hello(Hello.newBuilder().setTunnelIp("192.0.2.1").build())))
        .containsExactly(new Reject(Code.INVALID_ARGUMENT, "hello.chassis: required"), new Stop());
  }

  @Test
  void aSecondHelloForAnotherChassisIsRefusedNamingBoth() {
    step(hello(hv1()));
    assertThat(step(hello(hv1().toBuilder().setChassis("hv2").build()))).containsExactly(
        new Reject(Code.INVALID_ARGUMENT, "hello.chassis: this stream is chassis 'hv1', not 'hv2'"), new Stop());
  }

  @Test
  void aMessageWithoutABodyIsRefused() {
    assertThat(step(new FromAgent(AgentMessage.getDefaultInstance()))).containsExactly(
        new Reject(Code.INVALID_ARGUMENT, "body: one of hello, ack, ports, tunnels is required"), new Stop());
  }

  @Test
  void portsTunnelsOrAnAckBeforeTheHelloAreRefused() {
    assertThat(step(ports(port("web-1", 1))))
        .containsExactly(new Reject(Code.FAILED_PRECONDITION, "ports: send hello first"), new Stop());
    assertThat(step(new FromAgent(AgentMessage.newBuilder().setTunnels(Tunnels.getDefaultInstance()).build())))
        .containsExactly(new Reject(Code.FAILED_PRECONDITION, "tunnels: send hello first"), new Stop());
    assertThat(step(ack(1)))
        .containsExactly(new Reject(Code.FAILED_PRECONDITION, "ack: send hello first"), new Stop());
  }

  @Test
  void aHelloWithoutItsHeldRevisionSubscribesOnceTheLeaderIsRead() {
    List<StreamEffect> effects = step(hello(hv1()));
    assertThat(effects).hasOnlyElementsOfTypes(Write.class, AskLeader.class, Report.class);
    assertThat(effects).filteredOn(Report.class::isInstance).singleElement()
        .isEqualTo(report(true, false, 0, 0, 0));

    long leader = state.revision();
    assertThat(step(new LeaderAt(leader))).containsExactly(new Subscribe("hv1", leader),
        new Send(ControllerMessage.newBuilder().setVirtualFunctions(VirtualFunctions.getDefaultInstance()).build()));
  }

  @Test
  void aHelloNamingItsHeldRevisionSubscribesAtOnce() {
    Hello held = hv1().toBuilder().setAppliedVersion(3).addHeldCookies(77).setHeldRevision(9).build();
    assertThat(step(hello(held))).startsWith(new Subscribe("hv1", 9)).contains(new AskLeader());
    assertThat(step(new LeaderAt(state.revision()))).as("subscribed once").noneMatch(Subscribe.class::isInstance);
  }

  @Test
  void aFailedLeaderReadIsLoggedAndAskedAgainOnTheNextTick() {
    step(hello(hv1()));
    assertThat(step(new LeaderReadFailed("no leader"))).containsExactly(new Log(Level.DEBUG,
        "chassis hv1: reading through the store's leader failed (again on the next tick): no leader"));
    assertThat(step(new Due(StreamTimer.TICK))).contains(new AskLeader());
  }

  @Test
  void oneRegistrationWriteAtATimeThenWhatWasReportedMeanwhile() {
    Write first = onlyWrite(step(hello(hv1())));
    assertThat(step(ports(port("web-1", 1), port("db-1", 2)))).as("the first is still out").isEmpty();

    commit(first.txn());
    Write second = onlyWrite(step(new Written(state.revision())));
    assertThat(second.txn().getOpsList()).singleElement()
        .satisfies(op -> assertThat(op.getCreate().getResource().getPortBinding().getLogicalPort()).isEqualTo("db-1"));
  }

  @Test
  void nothingIsPlannedFromAReplicaBehindTheStreamsOwnLastWrite() {
    Write first = onlyWrite(step(hello(hv1())));
    assertThat(step(new Written(state.revision() + 1))).containsExactly(REREGISTER);
    commit(first.txn());
    assertThat(step(new Due(StreamTimer.REGISTER))).as("applied, and nothing left to write").isEmpty();
  }

  @Test
  void aRefusalTheStatesMovingOnExplainsIsPlannedAgainSoon() {
    Write first = onlyWrite(step(hello(hv1())));
    Status aborted = Status.newBuilder().setCode(Code.ABORTED_VALUE).setMessage("revision moved").build();
    assertThat(step(new WriteFailed(aborted, "StoreStatusException: revision moved"))).containsExactly(
        new Log(Level.WARN, "chassis hv1: writing chassis hv1 and its ports to the store failed: "
            + "StoreStatusException: revision moved"), REREGISTER);
    assertThat(step(new Due(StreamTimer.REGISTER))).containsExactly(first);

    Status unavailable = Status.newBuilder().setCode(Code.UNAVAILABLE_VALUE).setMessage("no leader").build();
    assertThat(step(new WriteFailed(unavailable, "no leader"))).as("again on the next tick")
        .noneMatch(StartTimer.class::isInstance);
    assertThat(step(new Due(StreamTimer.TICK))).contains(first);
  }

  @Test
  void theStoreRefusingWhatTheAgentReportedEndsTheStreamWithItsAnswer() {
    step(hello(hv1()));
    Status invalid = Status.newBuilder().setCode(Code.INVALID_ARGUMENT_VALUE).setMessage("tunnel_ip: not an IP").build();
    assertThat(step(new WriteFailed(invalid, "StoreStatusException: tunnel_ip: not an IP"))).containsExactly(
        new Log(Level.WARN, "chassis hv1: the store refused what its agent reported: INVALID_ARGUMENT: tunnel_ip: not an IP"),
        new PassOnRefusal(invalid), new Stop());
  }

  @Test
  void theSameReportAgainstTheSameReplicaIsNotPlannedAgain() {
    commit(onlyWrite(step(hello(hv1()))).txn());
    assertThat(step(new Written(state.revision()))).as("nothing left to write").isEmpty();

    reads = 0;
    assertThat(step(new Due(StreamTimer.TICK))).noneMatch(Write.class::isInstance);
    assertThat(reads).as("the replica's revision only").isEqualTo(1);

    commit(Topologies.txn("{\"ops\": [{\"create\": {\"resource\": {\"tenant\": {\"metadata\": {\"name\": \"other\"}}}}}]}"));
    reads = 0;
    step(new Due(StreamTimer.TICK));
    assertThat(reads).as("the replica moved: planned again").isEqualTo(2);
  }

  @Test
  void aPortTheReplicaDoesNotHaveYetIsLookedForAgainSoon() {
    commit(onlyWrite(step(hello(hv1()))).txn());
    step(new Written(state.revision()));
    assertThat(step(ports(port("web-1", 1), port("web-9", 3)))).containsExactly(REREGISTER);
    reads = 0;
    assertThat(step(new Due(StreamTimer.REGISTER))).as("not quiet while a port is missing").containsExactly(REREGISTER);
    assertThat(reads).isEqualTo(2);
  }

  @Test
  void theHelloAttachesAtOnceAndVersionChangesAreReportedTogetherSoonAfter() {
    assertThat(step(hello(hv1()))).contains(report(true, false, 0, 0, 0));
    subscribed();
    step(new FullSet(new FlowSource(9, List.of(rules(0, 3)))));
    drain();

    assertThat(step(ack(1))).as("the timer runs since the set came").isEmpty();
    assertThat(step(new Due(StreamTimer.REPORT))).containsExactly(report(false, true, 1, 1, 3));
    assertThat(step(ack(1))).containsExactly(REPORT_SOON);
    assertThat(step(ack(1))).isEmpty();
    assertThat(step(new Due(StreamTimer.REPORT))).as("nothing changed").isEmpty();
    assertThat(step(new Due(StreamTimer.TICK))).as("said again on every tick").contains(report(false, true, 1, 1, 3));

    Tunnels up = Tunnels.newBuilder().addTunnels(TunnelHealth.newBuilder().setRemoteIp("192.0.2.2")
        .setBfdState("up").setForwarding(true)).build();
    assertThat(step(new FromAgent(AgentMessage.newBuilder().setTunnels(up).build()))).containsExactly(
        new Report("hv1", false, true, 1, 1, 0, 3, List.of(new Report.Tunnel("192.0.2.2", "up", true))));
  }

  @Test
  void aFullSetThenADeltaOnIt() {
    step(hello(hv1()), 100 * MS);
    step(new LeaderAt(state.revision()), 105 * MS);
    assertThat(step(new FullSet(new FlowSource(9, List.of(rules(0, 3)))), 115 * MS)).containsExactly(
        new LogFullSet("hv1", 3, 9, 3, new FirstSetWait(100 * MS, 105 * MS, 115 * MS, false)), new SendPages(),
        REPORT_SOON);
    assertThat(drain()).extracting(FlowUpdate::getVersion, FlowUpdate::getFull, FlowUpdate::getAddCount)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, true, 3));

    assertThat(step(new Delta(10, new ChassisDelta(rules(3, 1), rules(0, 1))))).containsExactly(new SendPages());
    assertThat(drain()).extracting(FlowUpdate::getVersion, FlowUpdate::getBaseVersion, FlowUpdate::getRevision)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(2L, 1L, 10L));
    assertThat(step(new Writable())).containsExactly(new SendPages());
  }

  @Test
  void onlyTheFirstSetSaysItsWait() {
    step(hello(hv1()), 0);
    subscribed();
    LogFullSet first = (LogFullSet) step(new FullSet(new FlowSource(9, List.of(rules(0, 3)))), 30 * MS).get(0);
    assertThat(first.message(40 * MS)).isEqualTo("chassis hv1: full set of 3 flows (revision 9) for the stream; "
        + "40 ms after the hello: revision known 0 (the leader's), compiler 30, diff 10");
    LogFullSet again = (LogFullSet) step(new FullSet(new FlowSource(12, List.of(rules(0, 4)))), 50 * MS).get(0);
    assertThat(again.message(60 * MS)).isEqualTo("chassis hv1: full set of 4 flows (revision 12) for the stream");
  }

  @Test
  void anAgentTooFarBehindIsSentAFullSetInstead() {
    stream = new AgentStream("c1", 5, this::read);
    step(hello(hv1()));
    subscribed();
    step(new FullSet(new FlowSource(9, List.of(rules(0, 3))))); // not taken: the stream is not ready
    List<StreamEffect> effects = step(new Delta(10, new ChassisDelta(rules(3, 3), List.of())));
    assertThat(effects).hasSize(3);
    assertThat(effects.get(0)).isInstanceOfSatisfying(Log.class, l -> {
      assertThat(l.level()).isEqualTo(Level.INFO);
      assertThat(l.message()).isEqualTo("chassis hv1: its agent is 6 flows behind; a full set follows instead");
    });
    assertThat(effects.subList(1, 3)).containsExactly(new Resend("hv1"), new SendPages());
  }

  @Test
  void aSecondHelloAsksForTheFullSetAgain() {
    step(hello(hv1()));
    assertThat(step(hello(hv1()))).as("not subscribed yet: the first set is still to come")
        .noneMatch(Resend.class::isInstance);
    subscribed();
    assertThat(step(hello(hv1()))).contains(new Resend("hv1"));
  }

  @Test
  void theStreamsEndCompletesItAndTheSessionsEndUnsubscribes() {
    assertThat(step(new Stopped())).as("no chassis, no subscription").isEmpty();
    step(hello(hv1()));
    subscribed();
    assertThat(step(new StreamEnded(false))).containsExactly(new Complete(), new Stop());
    assertThat(step(new StreamEnded(true))).containsExactly(new Stop());
    assertThat(step(new Stopped())).containsExactly(new Unsubscribe("hv1"));
  }

  @Test
  void pagesWaitForAHello() {
    assertThat(step(new Writable())).isEmpty();
    assertThat(stream.nextPage()).isEmpty();
  }

  private void subscribed() {
    assertThat(step(new LeaderAt(state.revision()))).contains(new Subscribe("hv1", state.revision()));
  }

  private List<StreamEffect> step(StreamInput input) {
    return step(input, 0);
  }

  private List<StreamEffect> step(StreamInput input, long now) {
    return stream.step(input, now);
  }

  private List<FlowUpdate> drain() {
    List<FlowUpdate> out = new ArrayList<>();
    for (Optional<FlowUpdate> p = stream.nextPage(); p.isPresent(); p = stream.nextPage()) {
      out.add(p.get());
    }
    return out;
  }

  private void commit(TxnRequest txn) {
    assertThat(Topologies.commit(state, txn, "t-" + state.revision())).as("store accepted " + txn).isNotNull();
  }

  private static Write onlyWrite(List<StreamEffect> effects) {
    assertThat(effects).filteredOn(Write.class::isInstance).hasSize(1);
    return (Write) effects.stream().filter(Write.class::isInstance).findFirst().orElseThrow();
  }

  private static Report report(boolean attach, boolean complete, long desired, long applied, long flows) {
    return new Report("hv1", attach, complete, desired, applied, 0, flows, List.of());
  }

  private static Hello hv1() {
    return Hello.newBuilder().setChassis("hv1").setHostname("hv1").setTunnelIp("192.0.2.1")
        .addEncapsulations(Encapsulation.GENEVE).setPagedUpdates(true)
        .setPorts(Ports.newBuilder().addPorts(port("web-1", 1))).build();
  }

  private static FromAgent hello(Hello hello) {
    return new FromAgent(AgentMessage.newBuilder().setHello(hello).build());
  }

  private static FromAgent ports(HostedPort... ports) {
    return new FromAgent(AgentMessage.newBuilder().setPorts(Ports.newBuilder().addAllPorts(List.of(ports))).build());
  }

  private static FromAgent ack(long version) {
    return new FromAgent(AgentMessage.newBuilder().setAck(Ack.newBuilder().setVersion(version)).build());
  }

  private static HostedPort port(String name, int ofport) {
    return HostedPort.newBuilder().setTenant("acme").setLogicalPort(name).setOfport(ofport).build();
  }

  private static List<OpenFlowRule> rules(int from, int n) {
    List<OpenFlowRule> out = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      out.add(OpenFlowRule.of(1, 10, 100, "reg14=" + i, "resubmit(,11)"));
    }
    return out;
  }
}
