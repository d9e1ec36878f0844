package tenet.ops.fabric;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tenet.api.v1.ChassisSync;
import tenet.api.v1.ChassisSyncRequest;
import tenet.api.v1.FabricGrpc;
import tenet.api.v1.Kind;
import tenet.api.v1.ListRequest;
import tenet.api.v1.NorthboundGrpc;
import tenet.api.v1.Resource;
import tenet.ops.bench.Children;
import tenet.ops.bench.Ports;
import tenet.ops.bench.TenetCluster;
import tenet.ops.cli.Tenetctl;

/**
 * The whole system, end to end, on the fabric harness the sandbox uses: three tenet-controller
 * processes; two hypervisors, each a network namespace with its own ovs-vswitchd (userspace
 * datapath) and tenet-agent, joined by an underlay; the demo's VMs as namespaces plugged into
 * br-int; the demo topology applied with tenetctl. Then, with real packets:
 * <ul>
 *   <li>the demo's proof: ping and TCP inside each tenant across hypervisors, through each
 *       tenant's router, an ACL dropping what it says, nothing crossing tenants although both use
 *       the same addresses;
 *   <li>an ACL change reaches OVS as a delta (flows removed, then added back);
 *   <li>headless: with every controller killed, pings lose nothing and the proof still holds;
 *       restarted, the controllers get each agent's applied version and it converges without
 *       touching a flow (same flows, durations running on, counters growing);
 *   <li>an agent killed and restarted removes and adds no flow;
 *   <li>an ovs-vswitchd restarted (empty) gets its flows back from its agent.
 * </ul>
 * Needs root and the fabric's Debian packages, which the harness installs (fabric_require). The
 * namespaces are named with a prefix unique to the run, so a running sandbox is never touched; all
 * the test makes is removed by PID at the end, on failure and on Ctrl-C too.
 */
@Tag("system") // -Dtenet.fast skips it
class FabricSystemTest {
  private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
  private static final Path DEMO = ROOT.resolve("docs/examples/demo-topology.yaml");
  private static final List<String> HYPERVISORS = List.of("hv1", "hv2");
  private static final int VMS = 6;

  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
  Path dir;

  private final long started = System.nanoTime();

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void tenantsForwardAcrossHypervisorsHeadlessAndThroughAgentRestarts() throws Exception {
    String prefix = "te2e" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt()) + "-";
    Children children = new Children();
    List<Ping> pings = new ArrayList<>();
    // A JVM stopped half way (Ctrl-C, a CI timeout) stops the controllers too; the fabric has its own hook.
    Thread stopControllers = new Thread(children::stopAll, "stop-controllers");
    Runtime.getRuntime().addShutdownHook(stopControllers);
    try (Fabric fabric = new Fabric(ROOT, dir.resolve("fabric"), prefix, agentJvmFlags());
         TenetCluster cluster = TenetCluster.start(3, dir.resolve("controllers"), new Ports(), children, "fabric",
             Duration.ofSeconds(90))) {
      step("3 controllers up");
      fabric.run("fabric_init");
      fabric.run("fabric_underlay_up");
      for (int i = 0; i < HYPERVISORS.size(); i++) {
        fabric.run("fabric_hv_up", HYPERVISORS.get(i), Integer.toString(i + 1));
      }
      for (int i = 0; i < HYPERVISORS.size(); i++) {
        fabric.run("fabric_agent_start", HYPERVISORS.get(i), controllers(cluster, i));
      }
      step("hypervisors and agents up (namespaces " + prefix + "*)");
      apply(cluster, DEMO);
      fabric.run("demo_plug");
      awaitConverged(cluster, Map.of());
      step("demo applied, VMs plugged in, flows converged");

      proof(fabric, "the demo's proof");
      bfdIsUpBetweenTheHypervisors(fabric, cluster);
      aclChangesReachOvsAsDeltas(fabric, cluster);
      headless(fabric, cluster, pings);
      agentRestart(fabric, cluster, pings);
      vswitchdRestart(fabric);
    } finally {
      pings.forEach(p -> p.process().destroyForcibly());
      children.stopAll();
      try {
        Runtime.getRuntime().removeShutdownHook(stopControllers);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs
      }
    }
  }

  /**
   * Each agent runs BFD to the other hypervisor on a port of its own, and it comes up; the agents
   * report it, and the API shows it by the other end's chassis.
   */
  private void bfdIsUpBetweenTheHypervisors(Fabric fabric, TenetCluster cluster) throws Exception {
    for (String hv : HYPERVISORS) {
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> {
        String ports = fabric.run("fabric_ovs", hv, "ovs-vsctl", "list-ports", "br-int");
        String bfdPort = ports.lines().filter(l -> l.startsWith("tbfd")).findFirst().orElse("");
        assertThat(bfdPort).as(hv + " has a BFD port").isNotEmpty();
        assertThat(fabric.run("fabric_ovs", hv, "ovs-vsctl", "get", "interface", bfdPort, "bfd_status"))
            .as(hv + " BFD").contains("state=up").contains("forwarding=\"true\"");
      });
    }
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
      Map<String, ChassisSync> sync = new HashMap<>();
      for (ChassisSync s : FabricGrpc.newBlockingStub(cluster.channel(live(cluster))).withDeadlineAfter(5, TimeUnit.SECONDS)
          .chassisSync(ChassisSyncRequest.getDefaultInstance()).getChassisList()) {
        sync.put(s.getChassis(), s);
      }
      for (String hv : HYPERVISORS) {
        String other = HYPERVISORS.stream().filter(h -> !h.equals(hv)).findFirst().orElseThrow();
        assertThat(sync.get(hv).getTunnelsList()).as(hv + "'s tunnels in the API")
            .anySatisfy(t -> {
              assertThat(t.getRemoteChassis()).isEqualTo(other);
              assertThat(t.getBfdState()).isEqualTo("up");
              assertThat(t.getForwarding()).isTrue();
            });
      }
    });
    step("BFD up between the hypervisors, in OVS and in the API (tenetctl sync)");
  }

  /** Every check of demo.sh gives its expected result. */
  private void proof(Fabric fabric, String what) throws Exception {
    Fabric.Result proof = fabric.call("demo_proof");
    System.out.println("-- " + what + ":\n" + proof.out());
    assertThat(proof.code()).as("checks not as expected:\n%s%s", proof.out(), proof.err()).isZero();
    step(what + " holds");
  }

  /**
   * Dropping acme's "no ssh to the databases" rule opens port 22 (its flows leave OVS in a delta);
   * putting it back closes it again.
   */
  private void aclChangesReachOvsAsDeltas(Fabric fabric, TenetCluster cluster) throws Exception {
    Path open = dir.resolve("without-ssh-drop.yaml");
    String demo = Files.readString(DEMO);
    String dropRule = "      - {direction: INGRESS, priority: 200, action: DROP, protocol: TCP, portMin: 22, portMax: 22}\n";
    assertThat(demo).contains(dropRule);
    Files.writeString(open, demo.replace(dropRule, ""));
    Map<String, Long> before = appliedVersions(fabric);
    Map<Long, Fabric.Flow> flowsBefore = fabric.flows("hv2");

    // db-1's to-port ACL runs on its chassis, hv2: that one must have moved on.
    apply(cluster, open);
    awaitConverged(cluster, Map.of("hv2", before.get("hv2")));
    Map<Long, Fabric.Flow> flowsOpen = fabric.flows("hv2");
    assertThat(flowsBefore.keySet()).as("the DROP's flows left hv2 (db-1's chassis)")
        .anyMatch(c -> !flowsOpen.containsKey(c));
    assertCheck(fabric, "pass", "tcp", "acme-web-1", "10.0.2.11:22", "acme/db-1");

    Map<String, Long> opened = appliedVersions(fabric);
    apply(cluster, DEMO);
    awaitConverged(cluster, Map.of("hv2", opened.get("hv2")));
    assertThat(fabric.flows("hv2").keySet()).as("the same rules as before the change").isEqualTo(flowsBefore.keySet());
    assertCheck(fabric, "fail", "tcp", "acme-web-1", "10.0.2.11:22", "");
    step("an ACL change went to OVS as deltas and back");
  }

  /** Every controller killed: traffic goes on; restarted: the agents converge without touching a flow. */
  private void headless(Fabric fabric, TenetCluster cluster, List<Ping> pings) throws Exception {
    Map<String, Long> applied = appliedVersions(fabric);
    Map<String, Map<Long, Fabric.Flow>> before = new HashMap<>();
    for (String hv : HYPERVISORS) {
      before.put(hv, fabric.flows(hv));
    }
    long dumped = System.nanoTime();
    List<Ping> mine = List.of(
        ping(fabric, "acme-web-1", "10.0.1.12", "headless-acme-switch"),
        ping(fabric, "acme-web-1", "10.0.2.11", "headless-acme-router"),
        ping(fabric, "globex-www-1", "10.0.1.13", "headless-globex-switch"));
    pings.addAll(mine);
    Thread.sleep(1000);

    for (int i = 0; i < 3; i++) {
      cluster.kill(i);
    }
    step("every controller killed (kill -9)");
    Thread.sleep(3000);
    for (String hv : HYPERVISORS) {
      assertThat(fabric.flows(hv).keySet()).as("%s keeps its flows with no controller", hv).isEqualTo(before.get(hv).keySet());
    }
    proof(fabric, "the demo's proof with no controller");

    cluster.restart(List.of(0, 1, 2), Duration.ofSeconds(90));
    step("controllers restarted");
    awaitConverged(cluster, applied);
    step("agents reconnected and in sync");
    for (Ping ping : mine) {
      assertNoLoss(ping);
    }

    for (String hv : HYPERVISORS) {
      // What the agent told the controllers it had, and that the new version changed nothing.
      assertThat(fabric.agentLog(hv)).as("%s's hello after the restart", hv)
          .containsPattern("hello sent to \\S+ \\(applied version " + applied.get(hv) + ",");
      assertThat(fabric.agentLog(hv)).containsPattern("version " + fabric.appliedVersion(hv) + " applied \\(\\+0 -0 flows");
      assertNoChurn(hv, before.get(hv), fabric.flows(hv), (System.nanoTime() - dumped) / 1e9);
    }
    step("headless: no packet lost, no flow touched on reconnect");
  }

  /** An agent killed (SIGKILL) and started again: no flow removed or added again. */
  private void agentRestart(Fabric fabric, TenetCluster cluster, List<Ping> pings) throws Exception {
    Map<String, Long> applied = settledAppliedVersions(fabric);
    Map<Long, Fabric.Flow> before = fabric.flows("hv1");
    long dumped = System.nanoTime();
    Ping ping = ping(fabric, "acme-web-1", "10.0.1.12", "agent-restart");
    pings.add(ping);
    Thread.sleep(1000);

    fabric.run("fabric_agent_stop", "hv1", "kill");
    Thread.sleep(1000);
    fabric.run("fabric_agent_start", "hv1", controllers(cluster, 0));
    awaitConverged(cluster, Map.of("hv1", applied.get("hv1")));
    assertNoLoss(ping);
    assertNoChurn("hv1", before, fabric.flows("hv1"), (System.nanoTime() - dumped) / 1e9);
    assertThat(fabric.agentLog("hv1")).contains("bridge br-int holds " + before.size() + " flows at version " + applied.get("hv1"));
    step("agent restarted: no packet lost, no flow touched");
    proof(fabric, "the demo's proof after the agent restart");
  }

  /** A restarted ovs-vswitchd comes back with an empty br-int; its agent notices and puts the flows back. */
  private void vswitchdRestart(Fabric fabric) throws Exception {
    Map<Long, Fabric.Flow> before = fabric.flows("hv2");
    fabric.run("fabric_ovs_restart", "hv2");
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!fabric.flows("hv2").keySet().equals(before.keySet())) {
      assertThat(System.nanoTime()).as("hv2's flows back after ovs-vswitchd restarted").isLessThan(deadline);
      Thread.sleep(200);
    }
    assertThat(fabric.agentLog("hv2")).contains("put back (+" + before.size() + " -0 flows)");
    assertCheck(fabric, "pass", "ping", "acme-web-1", "10.0.1.12", "");
    assertCheck(fabric, "pass", "tcp", "acme-web-1", "10.0.2.11:5432", "acme/db-1");
    assertCheck(fabric, "fail", "tcp", "acme-web-1", "10.0.2.11:22", "");
    step("ovs-vswitchd of hv2 restarted: its agent put the flows back");
  }

  /**
   * The same flows (cookie and content) before and after, none of them added again (its duration
   * ran on through {@code elapsed}), no counter reset.
   */
  private static void assertNoChurn(String hv, Map<Long, Fabric.Flow> before, Map<Long, Fabric.Flow> after, double elapsed) {
    assertThat(after.keySet()).as("%s: the same cookies", hv).isEqualTo(before.keySet());
    List<String> churned = new ArrayList<>();
    long grew = 0;
    for (Fabric.Flow b : before.values()) {
      Fabric.Flow a = after.get(b.cookie());
      if (!a.rule().equals(b.rule())) {
        churned.add("changed: " + b.rule() + " -> " + a.rule());
      } else if (a.durationSeconds() + 1.0 < b.durationSeconds() + elapsed) {
        churned.add(String.format("added again (%.1f s old, was %.1f s %.1f s ago): %s", a.durationSeconds(),
            b.durationSeconds(), elapsed, a.rule()));
      } else if (a.packets() < b.packets()) {
        churned.add("counter reset (" + b.packets() + " -> " + a.packets() + "): " + a.rule());
      }
      grew += a.packets() > b.packets() ? 1 : 0;
    }
    assertThat(churned).as("%s: flows touched", hv).isEmpty();
    assertThat(grew).as("%s: flows whose counters grew meanwhile (the pings')", hv).isPositive();
  }

  private void assertCheck(Fabric fabric, String expect, String kind, String vm, String target, String answer)
      throws Exception {
    Fabric.Result r = fabric.call("fabric_check", expect, kind, vm, target, "", answer);
    assertThat(r.code()).as("%s%s", r.out(), r.err()).isZero();
  }

  private static final Pattern PING_SUMMARY = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");

  private record Ping(Process process, Path log) {}

  /** A ping every 0.2 s from {@code vm} until {@link #assertNoLoss} stops it. */
  private Ping ping(Fabric fabric, String vm, String target, String name) throws IOException {
    Path log = dir.resolve(name + ".ping");
    return new Ping(fabric.startInVm(vm, log, "ping", "-n", "-i", "0.2", target), log);
  }

  /** Stops the ping (SIGINT: it prints its summary) and checks every request got its reply. */
  private static void assertNoLoss(Ping ping) throws Exception {
    new ProcessBuilder("kill", "-INT", Long.toString(ping.process().pid())).start().waitFor();
    assertThat(ping.process().waitFor(10, TimeUnit.SECONDS)).as("ping stopped").isTrue();
    String out = Files.readString(ping.log());
    Matcher m = PING_SUMMARY.matcher(out);
    assertThat(m.find()).as("ping summary in:\n%s", out).isTrue();
    assertThat(Integer.parseInt(m.group(1))).as("requests sent").isGreaterThan(10);
    assertThat(m.group(2)).as("replies of %s requests:\n%s", m.group(1), out).isEqualTo(m.group(1));
  }

  /**
   * Until every VM's port is bound with an ofport, and every chassis has an agent connected that
   * applied what its controller wants, above the version in {@code above} where given; twice in a
   * row, 0.5 s apart.
   */
  private static void awaitConverged(TenetCluster cluster, Map<String, Long> above) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    int inRow = 0;
    String last = "";
    while (inRow < 2) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the fabric did not converge in 90 s: " + last);
      }
      Thread.sleep(500);
      try {
        last = convergence(cluster, above);
      } catch (RuntimeException e) {
        last = e.toString();
      }
      inRow = last.isEmpty() ? inRow + 1 : 0;
    }
  }

  /** What is not converged yet; empty when all is. */
  private static String convergence(TenetCluster cluster, Map<String, Long> above) {
    int node = live(cluster);
    List<Resource> bindings = NorthboundGrpc.newBlockingStub(cluster.channel(node)).withDeadlineAfter(5, TimeUnit.SECONDS)
        .list(ListRequest.newBuilder().setKind(Kind.PORT_BINDING).build()).getItemsList();
    long plugged = bindings.stream().filter(b -> b.getPortBinding().getOfport() > 0).count();
    if (plugged != VMS) {
      return plugged + " of " + VMS + " ports bound";
    }
    Map<String, ChassisSync> sync = new HashMap<>();
    for (ChassisSync s : FabricGrpc.newBlockingStub(cluster.channel(node)).withDeadlineAfter(5, TimeUnit.SECONDS)
        .chassisSync(ChassisSyncRequest.getDefaultInstance()).getChassisList()) {
      sync.put(s.getChassis(), s);
    }
    for (String hv : HYPERVISORS) {
      ChassisSync s = sync.get(hv);
      if (s == null || !s.getConnected() || !s.getComplete() || s.getAppliedVersion() != s.getDesiredVersion()
          || s.getAppliedVersion() <= above.getOrDefault(hv, 0L)) {
        return hv + ": " + (s == null ? "unknown" : s.toString().replace('\n', ' '));
      }
    }
    return "";
  }

  private static int live(TenetCluster cluster) {
    for (int i = 0; i < 3; i++) {
      if (cluster.alive(i)) {
        return i;
      }
    }
    throw new IllegalStateException("no controller runs");
  }

  /**
   * The applied versions once they stop moving: after the controllers' restart their shards
   * rebalance, and a chassis' new owner sends a full set (same flows, a higher version).
   */
  private static Map<String, Long> settledAppliedVersions(Fabric fabric) throws Exception {
    // Pekko rebalances shards every 10 s: unchanged over 12 s is settled.
    Map<String, Long> last = appliedVersions(fabric);
    int unchanged = 0;
    for (int i = 0; i < 40 && unchanged < 4; i++) {
      Thread.sleep(3000);
      Map<String, Long> now = appliedVersions(fabric);
      unchanged = now.equals(last) ? unchanged + 1 : 0;
      last = now;
    }
    if (unchanged < 4) {
      throw new AssertionError("applied versions still moving after 120 s: " + last);
    }
    return last;
  }

  private static Map<String, Long> appliedVersions(Fabric fabric) throws Exception {
    Map<String, Long> out = new HashMap<>();
    for (String hv : HYPERVISORS) {
      out.put(hv, fabric.appliedVersion(hv));
    }
    return out;
  }

  /** Every controller's API, starting with the i-th, so the agents' streams spread. */
  private static String controllers(TenetCluster cluster, int first) {
    List<String> out = new ArrayList<>();
    for (int j = 0; j < 3; j++) {
      out.add(cluster.apiAddress((first + j) % 3));
    }
    return String.join(",", out);
  }

  private static void apply(TenetCluster cluster, Path file) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Tenetctl.run(new String[] {"--server", cluster.apiAddress(live(cluster)), "apply", "-f", file.toString()},
        Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
    assertThat(code).as("tenetctl apply -f %s: %s%s", file, out, err).isZero();
  }

  /** The flags this JVM runs with that the agents need too (native access, Unsafe on newer JDKs). */
  private static List<String> agentJvmFlags() {
    List<String> out = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED"));
    if (Runtime.version().feature() >= 23) {
      out.add("--sun-misc-unsafe-memory-access=allow");
    }
    return out;
  }

  private void step(String what) {
    System.out.printf("[fabric e2e %5.1f s] %s%n", (System.nanoTime() - started) / 1e9, what);
  }
}
