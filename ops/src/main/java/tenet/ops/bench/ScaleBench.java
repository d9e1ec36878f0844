package tenet.ops.bench;

import it.unimi.dsi.fastutil.ints.IntSet;
import it.unimi.dsi.fastutil.longs.LongList;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tenet.api.v1.ChassisSync;
import tenet.api.v1.ChassisSyncRequest;
import tenet.api.v1.FabricGrpc;
import tenet.api.v1.TxnResponse;

/**
 * The Tenet side of {@code tenet bench scale}: the controllers' real path, as ovn-heater measures
 * OVN. Three tenet-controller processes on loopback and C {@link SimulatedAgent}s in this JVM,
 * then, in order:
 * <ol>
 *   <li>the agents connect with nothing plugged in (their hellos register the chassis) and each
 *       acks its first, empty, set;</li>
 *   <li><b>converge</b>: the topology of bench compile declared through the northbound API in
 *       transactions of {@value #TENANTS_PER_TXN} tenants, no bindings; right after the last one
 *       every agent reports its ports plugged in (the controllers write the bindings);
 *       {@code converge_s} runs from the last write's answer until every agent has acked a set
 *       holding each of its ports and a tunnel to every other port of its tenants;</li>
 *   <li><b>port_add</b>: W + K times one VM port created through the API and then reported
 *       plugged in by its agent; from the create until every affected agent acked a set holding
 *       it (its own: the port's classification; every other chassis hosting that tenant: the
 *       tunnel to it); the K after the W count;</li>
 *   <li><b>failover</b>: SIGKILL of the controller serving the most agents' streams, then one
 *       transaction adding a port to the tenant of each chassis' first port (C/40 ports, every
 *       chassis reached); from the kill until every agent acked a set holding its tenant's new
 *       port; then the killed controller restarted on its data, until it answers with a leader
 *       ({@code restart_serving_s}, not part of failover).</li>
 * </ol>
 * The controllers' peak RSS is sampled throughout. Progress goes to stderr, one JSON line to
 * stdout; every process started is stopped by PID and its directory removed, also on failure or
 * Ctrl-C. The OVN side runs after this process (ops/lib/bench-scale.sh).
 */
public final class ScaleBench {
  private static final int CONTROLLERS = 3;
  static final int TENANTS_PER_TXN = 100;
  /** Three JVMs starting on two shared cores: under load (other builds) this took over 2 minutes. */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(300);
  private static final Duration PORT_ADD_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration WRITE_DEADLINE = Duration.ofSeconds(120);

  private final ScaleBenchArgs args;
  private final long startedAt = System.nanoTime();
  private final Json json = new Json();
  /** Set once the controllers are up: waits stop when one of them dies unasked. */
  private TenetCluster cluster;
  /** The controller the failover killed; -1 before. */
  private int killed = -1;

  private ScaleBench(ScaleBenchArgs args) {
    this.args = args;
  }

  public static void main(String[] argv) {
    ScaleBenchArgs args = BenchCommandLine.parse(new ScaleBenchArgs(), argv);
    if (args == null) {
      return;
    }
    // The controllers' logback.xml is on the class path: the agents' links would log every hello
    // and every lost stream (a third of them at the failover); the bench counts what matters.
    if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
      root.setLevel(ch.qos.logback.classic.Level.WARN);
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("tenet.agent.link")).setLevel(ch.qos.logback.classic.Level.ERROR);
    }
    System.exit(new ScaleBench(args).run());
  }

  private void progress(String format, Object... values) {
    System.err.printf(Locale.ROOT, "[scale %6.1fs] %s%n", (System.nanoTime() - startedAt) / 1e9,
        String.format(Locale.ROOT, format, values));
  }

  /** Why a phase stopped the run; the figures measured before it are printed all the same. */
  private static final class Stopped extends Exception {
    Stopped(String message) {
      super(message);
    }
  }

  private int run() {
    Path root;
    try {
      root = Files.createTempDirectory("tenet-bench-scale-");
    } catch (IOException e) {
      System.err.println("tenet bench scale: cannot create a temporary directory: " + e.getMessage());
      return 1;
    }
    Children children = new Children();
    AtomicBoolean cleaned = new AtomicBoolean();
    Runnable cleanup = () -> {
      if (cleaned.compareAndSet(false, true)) {
        children.stopAll();
        if (args.keep()) {
          System.err.println("tenet bench scale: kept " + root + " (each controller's log is cN/controller.log)");
        } else {
          StoreBench.deleteTree(root);
        }
      }
    };
    // Ctrl-C, kill (TERM) or any failure: every started process is stopped by PID, the directory removed.
    Thread hook = new Thread(cleanup, "bench-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);

    describe();
    String error = null;
    TenetCluster cluster = null;
    try {
      long t = System.nanoTime();
      String run = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36, 36L * 36 * 36 * 36), 36);
      cluster = TenetCluster.start(CONTROLLERS, root, new Ports(), children, run, START_TIMEOUT, "",
          controllerJavaOptions());
      this.cluster = cluster;
      progress("%d controllers up in %.1f s (%s); JVM options %s", CONTROLLERS, seconds(System.nanoTime() - t), root,
          String.join(" ", controllerJavaOptions()));
      TenetCluster c = cluster;
      try (RssSampler rss = new RssSampler(500, () -> c.pid(0), () -> c.pid(1), () -> c.pid(2));
           AgentFleet fleet = AgentFleet.start(args.chassis(), addresses(cluster))) {
        try {
          phases(cluster, fleet);
        } catch (Stopped e) {
          error = e.getMessage();
          progress("stopped: %s", error);
          tails(cluster);
        } finally {
          fleet.agents().stream().map(SimulatedAgent::stats).map(CompletableFuture::join)
              .reduce((a, b) -> new SimulatedAgent.Stats("", 0, a.flows() + b.flows(), a.acks() + b.acks(),
                  a.fullSets() + b.fullSets(), a.refused() + b.refused(), "", ""))
              .ifPresent(sum -> {
                json.field("agent_acks", sum.acks());
                json.field("agent_full_sets", sum.fullSets());
                json.field("agent_refused_updates", sum.refused());
              });
          json.field("controller_rss_mib_max", rss.maxMib());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error = "interrupted";
    } catch (Exception e) {
      // After Ctrl-C the hook has stopped the processes under our feet: say so, not what broke.
      error = cleaned.get() ? "interrupted" : e.toString();
      progress("failed: %s", error);
      if (cluster != null && !cleaned.get()) {
        tails(cluster);
      }
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
    cleanup.run();
    Runtime.getRuntime().removeShutdownHook(hook);
    progress("every process stopped%s", args.keep() ? "" : ", " + root + " removed");
    if (error != null) {
      json.field("error", error.lines().findFirst().orElse(error)); // the rest (log tails) went to stderr
    }
    json.raw("ovn_requested", Boolean.toString(args.ovn()));
    json.field("ovn_increments", args.ovnIncrements());
    System.out.println(json);
    return error == null ? 0 : 1;
  }

  private void describe() {
    String load = CompileBench.loadAverage();
    json.field("ports", args.ports());
    json.field("chassis", args.chassis());
    json.field("tenants", args.ports() / CompileTopology.PORTS_PER_TENANT);
    json.field("controllers", CONTROLLERS);
    json.field("cores", Runtime.getRuntime().availableProcessors());
    json.field("java", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"));
    json.field("load_average_at_start", load);
    json.field("seed", args.seed());
    json.field("controller_java_opts", String.join(" ", controllerJavaOptions()));
    progress("tenet: %d ports = %d tenants x 1 router x %d switches x %d ports, %d simulated chassis, %d controllers;"
        + " load average %s", args.ports(), args.ports() / CompileTopology.PORTS_PER_TENANT, CompileTopology.SWITCHES,
        CompileTopology.PORTS_PER_SWITCH, args.chassis(), CONTROLLERS, load);
  }

  private void phases(TenetCluster cluster, AgentFleet fleet) throws Exception {
    ScaleTopology topology = new ScaleTopology(args.ports(), args.chassis());
    NorthboundWriter writer = new NorthboundWriter(cluster, 0);
    connect(fleet);
    converge(cluster, fleet, topology, writer);
    portAdds(fleet, topology, writer);
    failover(cluster, fleet, topology, writer);
  }

  /** Every agent connected and acked its first set (nothing plugged in yet: the table defaults). */
  private void connect(AgentFleet fleet) throws Exception {
    long t = System.nanoTime();
    List<CompletableFuture<Long>> first = new ArrayList<>();
    for (SimulatedAgent agent : fleet.agents()) {
      first.add(agent.reach(LongList.of()));
    }
    awaitAll("first set", fleet, first, args.timeout(), chassis -> "");
    progress("%d agents connected, each acked its first set, in %.1f s; streams per controller %s", args.chassis(),
        seconds(System.nanoTime() - t), streams(fleet));
  }

  private void converge(TenetCluster cluster, AgentFleet fleet, ScaleTopology topology, NorthboundWriter writer)
      throws Exception {
    long cpuControllers = cluster.cpu().toNanos();
    long cpuBench = processCpuNanos();
    long t0 = System.nanoTime();
    for (int t = 0; t < topology.tenants(); t += TENANTS_PER_TXN) {
      TxnResponse answer = writer.txn(topology.declared(t, Math.min(topology.tenants(), t + TENANTS_PER_TXN)),
          WRITE_DEADLINE);
      topology.learn(answer);
    }
    long loaded = System.nanoTime();
    double loadS = seconds(loaded - t0);
    json.field("load_s", loadS);

    // What every agent must hold, before any of them reports a port (computed from the keys the
    // answers gave; this is the bench's own time, and it is inside converge_s: kept short).
    List<CompletableFuture<Long>> whole = new ArrayList<>();
    List<CompletableFuture<Long>> local = new ArrayList<>();
    for (int c = 0; c < args.chassis(); c++) {
      whole.add(fleet.agent(c).reach(topology.marks(c, true)));
      local.add(fleet.agent(c).reach(topology.marks(c, false)));
    }
    long goals = System.nanoTime();
    for (int c = 0; c < args.chassis(); c++) {
      fleet.agent(c).report(topology.hosted(c));
    }
    progress("declared through the API in %.1f s (%d transactions of %d tenants, no bindings); every agent reported"
        + " its ports %.0f ms after the last answer", loadS, (topology.tenants() + TENANTS_PER_TXN - 1) / TENANTS_PER_TXN,
        TENANTS_PER_TXN, (System.nanoTime() - loaded) / 1e6);
    long[] wholeAt = awaitAll("converge", fleet, whole, args.timeout(),
        c -> topology.marks(c, true).size() + " marks wanted");
    long[] localAt = awaitAll("converge (own ports)", fleet, local, Duration.ofSeconds(1), c -> "");
    double convergeS = seconds(max(wholeAt) - loaded);
    double localS = seconds(max(localAt) - loaded);
    double controllersCpu = (cluster.cpu().toNanos() - cpuControllers) / 1e9;
    double benchCpu = (processCpuNanos() - cpuBench) / 1e9;
    long flows = 0;
    for (SimulatedAgent agent : fleet.agents()) {
      flows += agent.stats().join().flows();
    }
    json.field("converge_s", convergeS);
    json.field("converge_local_s", localS);
    json.field("converge_goals_ms", (goals - loaded) / 1e6);
    json.field("flows_total", flows);
    json.field("flows_per_chassis_avg", flows / args.chassis());
    json.field("load_and_converge_controllers_cpu_s", controllersCpu);
    json.field("load_and_converge_bench_cpu_s", benchCpu);
    progress("converged %.2f s after the last write (every agent holding its own ports: %.2f s); %d flows over %d"
        + " chassis (%d each on average); CPU from the load's start: controllers %.1f s, this JVM (agents) %.1f s",
        convergeS, localS, flows, args.chassis(), flows / args.chassis(), controllersCpu, benchCpu);
  }

  private void portAdds(AgentFleet fleet, ScaleTopology topology, NorthboundWriter writer) throws Exception {
    SplittableRandom random = new SplittableRandom(args.seed());
    // Each sample three ways: the create answered; the port's own chassis acked it; every affected one.
    long[] api = new long[args.samples()];
    long[] own = new long[args.samples()];
    long[] samples = new long[args.samples()];
    int[] affected = new int[args.samples()];
    for (int i = 0; i < args.warmup() + args.samples(); i++) {
      ScaleTopology.Added port = topology.nextPort(random);
      long t0 = System.nanoTime();
      TxnResponse answer = writer.txn(port.create(), WRITE_DEADLINE);
      long created = System.nanoTime();
      topology.created(port, answer);
      IntSet chassis = topology.affected(port);
      List<CompletableFuture<Long>> reached = new ArrayList<>();
      List<SimulatedAgent> agents = new ArrayList<>();
      int ownIndex = -1;
      for (int c : chassis) {
        if (c == port.chassis()) {
          ownIndex = agents.size();
        }
        agents.add(fleet.agent(c));
        reached.add(fleet.agent(c).reach(LongList.of(topology.mark(port, c))));
      }
      SimulatedAgent plugging = fleet.agent(port.chassis());
      plugging.plug(port.hosted());
      boolean warm = i < args.warmup();
      long[] at = awaitAll("port " + port.name() + " (" + (warm ? "warm-up " + (i + 1)
          : "sample " + (i - args.warmup() + 1)) + ")", agents, reached, PORT_ADD_TIMEOUT, c -> "");
      if (args.verbose()) {
        progress("port %s on %s (stream on %s, API through %s): created %.1f ms, its chassis acked %.1f ms, all %d"
            + " affected %.1f ms%s", port.name(), plugging.chassis(), plugging.controller(), writer.nodeId(),
            (created - t0) / 1e6, (at[ownIndex] - t0) / 1e6, chassis.size(), (max(at) - t0) / 1e6, warm ? " (warm-up)" : "");
      }
      if (!warm) {
        int k = i - args.warmup();
        api[k] = created - t0;
        own[k] = at[ownIndex] - t0;
        samples[k] = max(at) - t0;
        affected[k] = chassis.size();
      }
    }
    Arrays.sort(api);
    Arrays.sort(own);
    Arrays.sort(samples);
    Arrays.sort(affected);
    double p50 = Latencies.percentileMs(samples, 50);
    double p99 = Latencies.percentileMs(samples, 99);
    json.field("port_add_p50_ms", p50);
    json.field("port_add_p99_ms", p99);
    json.field("port_add_max_ms", samples[samples.length - 1] / 1e6);
    json.field("port_add_samples", args.samples());
    json.field("port_add_warmup", args.warmup());
    json.field("port_add_chassis_median", affected[affected.length / 2]);
    json.field("port_add_api_p50_ms", Latencies.percentileMs(api, 50));
    json.field("port_add_own_chassis_p50_ms", Latencies.percentileMs(own, 50));
    json.field("port_add_own_chassis_p99_ms", Latencies.percentileMs(own, 99));
    progress("port add, %d after %d unmeasured: p50 %.1f ms, p99 %.1f ms, max %.1f ms (create through the API,"
        + " plugged in, until every affected agent acked it: %d chassis median); the create answered: p50 %.1f ms;"
        + " the port's own chassis acked: p50 %.1f ms, p99 %.1f ms", args.samples(), args.warmup(), p50, p99,
        samples[samples.length - 1] / 1e6, affected[affected.length / 2], Latencies.percentileMs(api, 50),
        Latencies.percentileMs(own, 50), Latencies.percentileMs(own, 99));
  }

  private void failover(TenetCluster cluster, AgentFleet fleet, ScaleTopology topology, NorthboundWriter writer)
      throws Exception {
    Map<String, Integer> streams = streams(fleet);
    int victim = 0;
    for (int i = 1; i < cluster.size(); i++) {
      if (streams.getOrDefault(cluster.nodeId(i), 0) > streams.getOrDefault(cluster.nodeId(victim), 0)) {
        victim = i;
      }
    }
    if (writer.node() == victim) {
      writer.avoid(victim); // the portal's endpoint is not the one that dies: a write still takes its time
    }
    List<CompletableFuture<Long>> reached = new ArrayList<>();
    for (int c = 0; c < args.chassis(); c++) {
      reached.add(fleet.agent(c).reach(LongList.of(topology.failoverMark(c))));
    }
    json.field("failover_killed", cluster.nodeId(victim));
    json.raw("streams_per_controller", streamsJson(streams));
    progress("killing %s (SIGKILL), which serves %d of the %d agents' streams (%s)", cluster.nodeId(victim),
        streams.getOrDefault(cluster.nodeId(victim), 0), args.chassis(), streams);
    long kill = System.nanoTime();
    killed = victim;
    cluster.kill(victim);
    writer.createUntilDone(topology.failoverPorts(), args.timeout());
    long written = System.nanoTime();
    long[] at = awaitAll("failover", fleet, reached, args.timeout(), c -> "");
    double failoverS = seconds(max(at) - kill);
    json.field("failover_s", failoverS);
    json.field("failover_write_s", seconds(written - kill));
    progress("failover: every agent acked the change made after the kill %.2f s after it (the transaction was"
        + " answered after %.2f s); streams per controller now %s", failoverS, seconds(written - kill), streams(fleet));

    long t = System.nanoTime();
    cluster.restart(List.of(victim), START_TIMEOUT);
    double restartS = seconds(System.nanoTime() - t);
    killed = -1;
    json.field("restart_serving_s", restartS);
    progress("%s restarted on its data: answering with a leader after %.1f s", cluster.nodeId(victim), restartS);
  }

  /** What the agents' last updates say about who serves them: node id to streams. */
  private static Map<String, Integer> streams(AgentFleet fleet) {
    Map<String, Integer> out = new TreeMap<>();
    for (SimulatedAgent agent : fleet.agents()) {
      out.merge(agent.controller().isEmpty() ? "none" : agent.controller(), 1, Integer::sum);
    }
    return out;
  }

  private static String streamsJson(Map<String, Integer> streams) {
    Json j = new Json();
    streams.forEach((node, n) -> j.field(node, n));
    return j.toString();
  }

  private long[] awaitAll(String what, AgentFleet fleet, List<CompletableFuture<Long>> reached, Duration timeout,
      java.util.function.IntFunction<String> detail) throws Exception {
    return awaitAll(what, fleet.agents(), reached, timeout, detail);
  }

  /**
   * The times at which each agent reached its goal; progress every 10 s while waiting. Past
   * {@code timeout} the run stops, saying which agents are missing and what the controllers
   * (Fabric.ChassisSync) and the agents say of the first few of them.
   */
  private long[] awaitAll(String what, List<SimulatedAgent> agents, List<CompletableFuture<Long>> reached,
      Duration timeout, java.util.function.IntFunction<String> detail) throws Exception {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    long nextProgress = start + TimeUnit.SECONDS.toNanos(10);
    CompletableFuture<Void> all = CompletableFuture.allOf(reached.toArray(CompletableFuture[]::new));
    while (true) {
      long now = System.nanoTime();
      try {
        all.get(Math.max(1, Math.min(deadline, nextProgress) - now), TimeUnit.NANOSECONDS);
        break;
      } catch (TimeoutException e) {
        checkControllers(what);
        long done = reached.stream().filter(CompletableFuture::isDone).count();
        if (System.nanoTime() >= deadline) {
          throw new Stopped(what + ": " + (reached.size() - done) + " of " + reached.size() + " agents not there after "
              + timeout.toSeconds() + " s" + missing(agents, reached, detail));
        }
        progress("%s: %d of %d agents there after %.0f s", what, done, reached.size(), seconds(System.nanoTime() - start));
        nextProgress += TimeUnit.SECONDS.toNanos(10);
      }
    }
    long[] out = new long[reached.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = reached.get(i).join();
    }
    return out;
  }

  /** A controller that exited unasked (downed, out of memory) ends the wait: nothing will come. */
  private void checkControllers(String what) throws Stopped {
    for (int i = 0; i < cluster.size(); i++) {
      if (i != killed && !cluster.alive(i)) {
        throw new Stopped(what + ": controller " + cluster.nodeId(i) + " exited; the last lines of the logs follow");
      }
    }
  }

  private String missing(List<SimulatedAgent> agents, List<CompletableFuture<Long>> reached,
      java.util.function.IntFunction<String> detail) {
    StringBuilder out = new StringBuilder();
    int shown = 0;
    for (int i = 0; i < reached.size() && shown < 5; i++) {
      if (reached.get(i).isDone()) {
        continue;
      }
      shown++;
      SimulatedAgent.Stats s = agents.get(i).stats().join();
      out.append(String.format(Locale.ROOT, "%n  %s: agent holds version %d, %d flows, %d acks (%d full sets, %d"
          + " refused), last update from %s, stream to %s%s", s.chassis(), s.version(), s.flows(), s.acks(), s.fullSets(),
          s.refused(), s.controller().isEmpty() ? "nobody yet" : s.controller(), s.stream(),
          detail.apply(i).isEmpty() ? "" : "; " + detail.apply(i)));
    }
    return out.toString();
  }

  /** Each controller's last log lines, and what Fabric.ChassisSync says, after a stop. */
  private void tails(TenetCluster cluster) {
    for (int i = 0; i < cluster.size(); i++) {
      System.err.println("---- " + cluster.nodeId(i) + (cluster.alive(i) ? "" : " (not running)")
          + ": the last lines of its log ----");
      System.err.println(cluster.logTail(i, 15));
    }
    for (int i = 0; i < cluster.size(); i++) {
      if (!cluster.alive(i)) {
        continue;
      }
      try {
        var sync = FabricGrpc.newBlockingStub(cluster.channel(i)).withDeadlineAfter(10, TimeUnit.SECONDS)
            .chassisSync(ChassisSyncRequest.getDefaultInstance());
        int shown = 0;
        for (ChassisSync s : sync.getChassisList()) {
          if (s.getDesiredVersion() != s.getAppliedVersion() || !s.getComplete() || !s.getConnected()) {
            if (shown++ < 10) {
              System.err.printf(Locale.ROOT, "fabric: %s registered=%s complete=%s desired %d applied %d connected=%s"
                  + " stream on %s, entity on %s, %d datapaths, %d flows%n", s.getChassis(), s.getRegistered(),
                  s.getComplete(), s.getDesiredVersion(), s.getAppliedVersion(), s.getConnected(), s.getStreamNode(),
                  s.getOwnerNode(), s.getDatapaths(), s.getFlows());
            }
          }
        }
        System.err.printf(Locale.ROOT, "fabric (asked %s): %d chassis, %d not in sync%n", cluster.nodeId(i),
            sync.getChassisCount(), shown);
      } catch (RuntimeException e) {
        System.err.println("fabric (asked " + cluster.nodeId(i) + "): " + e.getMessage());
      }
      return;
    }
  }

  private static List<String> addresses(TenetCluster cluster) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < cluster.size(); i++) {
      out.add(cluster.apiAddress(i));
    }
    return out;
  }

  /** From -Dtenet.bench.controller-java-opts (ops/lib/bench-scale.sh sets it), else this JVM's own. */
  private static List<String> controllerJavaOptions() {
    String opts = System.getProperty("tenet.bench.controller-java-opts", "").trim();
    if (opts.isEmpty()) {
      return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
          .filter(a -> !a.startsWith("-Dtenet.bench.")).toList();
    }
    return Arrays.asList(opts.split("\\s+"));
  }

  private static long max(long[] values) {
    return Arrays.stream(values).max().orElseThrow();
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime() : 0;
  }
}
