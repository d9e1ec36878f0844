package tenet.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tenet.agent.FlowApplier.Applied;
import tenet.agent.FlowApplier.Failed;
import tenet.agent.FlowApplier.Incomplete;
import tenet.agent.FlowApplier.Refused;
import tenet.agent.ovs.BridgeSetup;
import tenet.agent.ovs.OvsCommands;
import tenet.agent.ovs.PrivateSwitch;
import tenet.agent.v1.Flow;
import tenet.agent.v1.FlowUpdate;
import tenet.api.FlowPages;
import tenet.api.v1.Encapsulation;

/**
 * Updates in pages into a real (private) ovs-vswitchd: one bundle each, applied with the last
 * page and only then; nothing of it when it is refused, fails or is cut off; a flow that holds is
 * never removed and added again.
 */
class FlowApplierTest {
  private static final String BRIDGE = "br-int";
  private static final Pattern DURATION = Pattern.compile("cookie=0x([0-9a-f]+), duration=([0-9.]+)s");
  private static PrivateSwitch ovs;
  private static OvsCommands commands;
  private static AgentConfig config;
  private FlowApplier flows;

  @BeforeAll
  static void start() throws IOException {
    ovs = PrivateSwitch.start();
    commands = new OvsCommands(ovs.dir(), BRIDGE);
    config = AgentConfig.from(ConfigFactory.load(ConfigFactory.parseString("""
        tenet.agent { chassis = "test", tunnel-ip = "192.0.2.1", controllers = ["127.0.0.1:1"],
          encapsulations = [GENEVE], ovs { rundir = "%s", bfd = false } }""".formatted(ovs.dir()))));
    BridgeSetup.ensure(commands, config.datapathType(), config.tunnelIp(), List.of(Encapsulation.GENEVE));
  }

  @AfterAll
  static void stop() throws IOException {
    if (ovs != null) {
      ovs.close();
    }
  }

  @AfterEach
  void stopItsTools() {
    flows.close(); // the ovs-ofctl started for the next delta
  }

  @BeforeEach
  void emptyBridge() throws IOException {
    ovs.run("ovs-ofctl", "-O", "OpenFlow15", "del-flows", BRIDGE);
    ovs.run("ovs-vsctl", "remove", "bridge", BRIDGE, "external_ids", FlowApplier.APPLIED_VERSION);
    flows = new FlowApplier(config, commands, null);
    flows.load();
  }

  @Test
  void aFullSetInPagesGoesIntoOvsInOneBundleWithItsLastPage() throws IOException {
    flows.fullSetAsked(); // as a hello does
    List<FlowUpdate> pages = pages(full(7, rules(0, 10)), 3);
    assertThat(pages).hasSize(4);
    for (FlowUpdate page : pages.subList(0, 3)) {
      assertThat(flows.page(page)).isInstanceOf(Incomplete.class);
      assertThat(ovs.flows(BRIDGE)).as("nothing before the last page").isEmpty();
    }
    assertThat(flows.page(pages.get(3))).isEqualTo(new Applied(7));
    assertThat(ovs.flows(BRIDGE)).hasSize(10).anyMatch(l -> l.startsWith("cookie=0xa, priority=100,reg0=0x9"));
    assertThat(recordedVersion()).isEqualTo("7");
    assertThat(flows.applied()).isEqualTo(7);
  }

  @Test
  void aNewFullSetChangesOnlyWhatDiffers() throws Exception {
    applyAll(full(1, rules(0, 10)));
    Map<String, Double> before = durations();
    Thread.sleep(1100); // so that a flow removed and added again would be younger than this

    List<Flow> next = new ArrayList<>(rules(0, 8)); // 0..7 as they were; 9 goes
    next.add(rule(0x108, 8, "output:3")); // 8 changes: same match, other actions, so a new cookie
    next.add(rule(0x10, 15, "drop")); // and one comes
    assertThat(applyAll(full(2, next))).isEqualTo(new Applied(2));

    Map<String, Double> after = durations();
    assertThat(after.keySet()).containsExactlyInAnyOrder("1", "2", "3", "4", "5", "6", "7", "8", "108", "10");
    for (String kept : List.of("1", "2", "3", "4", "5", "6", "7", "8")) {
      assertThat(after.get(kept)).as("flow 0x%s untouched", kept).isGreaterThanOrEqualTo(before.get(kept) + 1.0);
    }
    assertThat(ovs.flows(BRIDGE)).anyMatch(l -> l.startsWith("cookie=0x108, priority=100,reg0=0x8 actions=output:3"));
  }

  @Test
  void aFullSetOvsAlreadyHoldsStartsNoBundleAndIsAcked() throws IOException {
    applyAll(full(1, rules(0, 5)));
    List<String> before = ovs.flows(BRIDGE);
    flows.fullSetAsked();
    assertThat(applyAll(full(2, rules(0, 5)))).isEqualTo(new Applied(2));
    assertThat(ovs.flows(BRIDGE)).isEqualTo(before);
    assertThat(recordedVersion()).isEqualTo("2");
  }

  @Test
  void anotherUpdateBeforeTheLastPageIsRefusedAndOvsStaysAsItWas() throws IOException {
    applyAll(full(1, rules(0, 4)));
    List<String> before = ovs.flows(BRIDGE);
    List<FlowUpdate> pages = pages(full(2, rules(10, 6)), 2);
    flows.page(pages.get(0));
    FlowApplier.Outcome refused = flows.page(full(3, rules(20, 1)));
    assertThat(refused).isInstanceOf(Refused.class);
    assertThat(((Refused) refused).why()).contains("version 3 began before the last page of version 2");
    assertThat(ovs.flows(BRIDGE)).isEqualTo(before);
    assertThat(flows.applied()).isEqualTo(1);
    // The full set the next stream brings applies as usual.
    assertThat(applyAll(full(4, rules(10, 6)))).isEqualTo(new Applied(4));
    assertThat(ovs.flows(BRIDGE)).hasSize(6);
  }

  @Test
  void aStreamThatEndsMidwayLeavesOvsAsItWas() throws Exception {
    applyAll(full(1, rules(0, 4)));
    List<String> before = ovs.flows(BRIDGE);
    List<FlowUpdate> pages = pages(full(2, rules(10, 6)), 2);
    flows.page(pages.get(0));
    flows.page(pages.get(1));
    flows.abandon(); // the stream broke: ovs-ofctl is stopped before it sent anything
    Thread.sleep(200);
    assertThat(ovs.flows(BRIDGE)).isEqualTo(before);
    assertThat(flows.applied()).isEqualTo(1);
    assertThat(applyAll(full(3, rules(10, 6)))).isEqualTo(new Applied(3));
  }

  @Test
  void aFlowOvsRefusesFailsTheWholeUpdateAndChangesNothing() throws IOException {
    applyAll(full(1, rules(0, 4)));
    List<String> before = ovs.flows(BRIDGE);
    List<Flow> bad = new ArrayList<>(rules(10, 6));
    bad.add(Flow.newBuilder().setCookie(0x99).setTable(0).setPriority(100).setMatch("no_such_field=1")
        .setActions("drop").build());
    FlowApplier.Outcome failed = applyAll(full(2, bad));
    assertThat(failed).isInstanceOf(Failed.class);
    assertThat(((Failed) failed).why()).contains("no_such_field");
    assertThat(ovs.flows(BRIDGE)).isEqualTo(before);
    assertThat(flows.applied()).isEqualTo(1);
    assertThat(flows.desiredVersion()).as("so that the agent asks for a full set again").isEqualTo(2);
    assertThat(recordedVersion()).isEqualTo("1");
  }

  @Test
  void flowsRemovedBehindTheAgentsBackAreFoundAndPutBackByTheNextFullSet() throws IOException {
    applyAll(full(1, rules(0, 6)));
    ovs.run("ovs-ofctl", "-O", "OpenFlow15", "del-flows", BRIDGE, "cookie=0x2/-1");
    ovs.run("ovs-ofctl", "-O", "OpenFlow15", "add-flow", BRIDGE, "cookie=0x77,priority=1,reg1=1 actions=drop");
    ovs.run("ovs-ofctl", "-O", "OpenFlow15", "del-flows", BRIDGE, "cookie=0x3/-1");
    assertThat(applyAll(full(2, rules(0, 6)))).isEqualTo(new Applied(2));
    assertThat(durations().keySet()).containsExactlyInAnyOrder("1", "2", "3", "4", "5", "6");
  }

  @Test
  void aDeltaInPagesAppliesOnItsBaseVersionOnly() throws IOException {
    applyAll(full(1, rules(0, 4)));
    FlowUpdate delta = FlowUpdate.newBuilder().setVersion(2).setBaseVersion(1).addAllAdd(rules(10, 3))
        .addRemove(rule(1, 0, "drop")).build();
    assertThat(applyAll(delta)).isEqualTo(new Applied(2));
    assertThat(durations().keySet()).containsExactlyInAnyOrder("2", "3", "4", "b", "c", "d");

    List<String> before = ovs.flows(BRIDGE);
    FlowUpdate stale = FlowUpdate.newBuilder().setVersion(4).setBaseVersion(3).addAllAdd(rules(20, 3)).build();
    assertThat(applyAll(stale)).isInstanceOf(Refused.class);
    assertThat(ovs.flows(BRIDGE)).isEqualTo(before);
  }

  /**
   * Its stream ended: the agent says which flows it holds (a process just started says none), and
   * the delta the new controller answers with, removes named by cookie alone, applies on them.
   */
  @Test
  void heldCookiesForAHelloAndADeltaRemovingByCookieAlone() throws IOException {
    assertThat(flows.heldCookies()).as("nothing applied yet").isEmpty();
    assertThat(flows.heldRevision()).isZero();
    applyAll(full(1, rules(0, 4)).toBuilder().setRevision(30).build());
    assertThat(flows.heldCookies()).containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
    assertThat(flows.heldRevision()).as("the revision the hello names them at").isEqualTo(30);
    FlowUpdate delta = FlowUpdate.newBuilder().setVersion(5).setBaseVersion(1).setRevision(34).addAllAdd(rules(10, 1))
        .addRemove(Flow.newBuilder().setCookie(2)).build();
    assertThat(applyAll(delta)).isEqualTo(new Applied(5));
    assertThat(durations().keySet()).containsExactlyInAnyOrder("1", "3", "4", "b");
    assertThat(flows.heldCookies()).containsExactlyInAnyOrder(1L, 3L, 4L, 11L);
    assertThat(flows.heldRevision()).isEqualTo(34);

    FlowApplier restarted = new FlowApplier(config, commands, null);
    restarted.load();
    assertThat(restarted.applied()).isEqualTo(5);
    assertThat(restarted.heldCookies()).as("which flows are the controllers' is not known yet").isEmpty();
    assertThat(restarted.heldRevision()).isZero();
    restarted.close();
  }

  @Test
  void anOvsOfctlWaitsForTheNextDeltaTakesItAndCloseStopsIt() throws IOException {
    applyAll(full(1, rules(0, 4)));
    List<ProcessHandle> waiting = waitingOvsOfctl();
    assertThat(waiting).as("one ovs-ofctl started for the next delta").hasSize(1);
    FlowUpdate delta = FlowUpdate.newBuilder().setVersion(2).setBaseVersion(1).addAllAdd(rules(10, 1)).build();
    assertThat(applyAll(delta)).isEqualTo(new Applied(2));
    assertThat(ovs.flows(BRIDGE)).hasSize(5);
    assertThat(waiting.get(0).isAlive()).as("the waiting one took the delta and is done").isFalse();
    assertThat(waitingOvsOfctl()).as("and the next one waits").hasSize(1);

    waitingOvsOfctl().get(0).destroyForcibly(); // gone behind the agent's back: a new one takes the next delta
    FlowUpdate next = FlowUpdate.newBuilder().setVersion(3).setBaseVersion(2).addAllAdd(rules(20, 1)).build();
    assertThat(applyAll(next)).isEqualTo(new Applied(3));
    assertThat(ovs.flows(BRIDGE)).hasSize(6);

    flows.close();
    assertThat(waitingOvsOfctl()).isEmpty();
  }

  private static List<ProcessHandle> waitingOvsOfctl() {
    return ProcessHandle.current().children().filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().orElse("").endsWith("ovs-ofctl")).toList();
  }

  /** The update's pages, in order, through the agent; what the last one did. */
  private FlowApplier.Outcome applyAll(FlowUpdate update) {
    FlowApplier.Outcome last = null;
    for (FlowUpdate page : pages(update, 2)) {
      last = flows.page(page);
    }
    return last;
  }

  private static List<FlowUpdate> pages(FlowUpdate update, int perPage) {
    List<FlowUpdate> out = new ArrayList<>();
    FlowPages.send(update, update.getAddList(), update.getRemoveList(), Function.identity(), perPage, perPage, out::add);
    return out;
  }

  private static FlowUpdate full(long version, List<Flow> add) {
    return FlowUpdate.newBuilder().setVersion(version).setFull(true).addAllAdd(add).build();
  }

  /** n rules, cookie i + 1, each matching reg0=i. */
  private static List<Flow> rules(int first, int n) {
    return IntStream.range(first, first + n).mapToObj(i -> rule(i + 1, i, "drop")).toList();
  }

  private static Flow rule(long cookie, int reg0, String actions) {
    return Flow.newBuilder().setCookie(cookie).setTable(0).setPriority(100).setMatch("reg0=" + reg0)
        .setActions(actions).build();
  }

  private static String recordedVersion() throws IOException {
    return ovs.run("ovs-vsctl", "--if-exists", "get", "bridge", BRIDGE, "external_ids:" + FlowApplier.APPLIED_VERSION)
        .strip().replace("\"", "");
  }

  /** Cookie (hex) to the flow's age in seconds. */
  private static Map<String, Double> durations() throws IOException {
    Map<String, Double> out = new HashMap<>();
    Matcher m = DURATION.matcher(ovs.run("ovs-ofctl", "-O", "OpenFlow15", "dump-flows", BRIDGE));
    while (m.find()) {
      out.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    return out;
  }
}
