package tenet.ops.bench;

import com.google.protobuf.Timestamp;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import tenet.api.v1.TxnRequest;
import tenet.compiler.incremental.ChassisDelta;
import tenet.compiler.incremental.IncrementalSpecializer;
import tenet.store.core.Plan;
import tenet.store.core.PlanResult;
import tenet.store.core.StoreState;
import tenet.store.core.TxnPlanner;

/**
 * The Tenet side of {@code tenet bench compile}, in process: loads the topology into a store
 * state through the store's own planner (keys allocated as in production), then times
 * <ul>
 *   <li><b>full</b>: what a controller does after a bulk load: every logical flow, every
 *       datapath's rules, every chassis' own rules and span, so that every chassis' flow set is
 *       known ({@code flows_total} is their sum, counted as the agents would hold them);</li>
 *   <li><b>incremental</b>: one VM port more (the port and its binding, one transaction), from
 *       the committed changes to the deltas of every chassis they affect, K times after W
 *       unmeasured ones.</li>
 * </ul>
 * Progress goes to stderr; one JSON line to stdout.
 */
public final class CompileBench {
  private static final int TENANTS_PER_TXN = 100;
  private static final int CHASSIS_PER_TXN = 5000;

  private final CompileBenchArgs args;
  private final long startedAt = System.nanoTime();
  private long nextId;

  private CompileBench(CompileBenchArgs args) {
    this.args = args;
  }

  public static void main(String[] argv) {
    CompileBenchArgs args = BenchCommandLine.parse(new CompileBenchArgs(), argv);
    if (args == null) {
      return;
    }
    new CompileBench(args).run();
  }

  private void progress(String message) {
    System.err.printf(Locale.ROOT, "[bench %6.1fs] %s%n", (System.nanoTime() - startedAt) / 1e9, message);
  }

  private void run() {
    String load = loadAverage();
    CompileTopology topology = new CompileTopology(args.ports(), args.chassis());
    progress(String.format(Locale.ROOT, "tenet: %d ports = %d tenants x 1 router x %d switches x %d ports, on %d chassis; load average %s",
        args.ports(), topology.tenants(), CompileTopology.SWITCHES, CompileTopology.PORTS_PER_SWITCH, args.chassis(), load));

    StoreState state = new StoreState();
    long t0 = System.nanoTime();
    for (int c = 0; c < args.chassis(); c += CHASSIS_PER_TXN) {
      commit(state, topology.chassis(c, Math.min(args.chassis(), c + CHASSIS_PER_TXN)));
    }
    for (int t = 0; t < topology.tenants(); t += TENANTS_PER_TXN) {
      commit(state, topology.tenants(t, Math.min(topology.tenants(), t + TENANTS_PER_TXN)));
    }
    double loadS = seconds(System.nanoTime() - t0);
    long storeHeap = heapAfterGc();
    progress(String.format(Locale.ROOT, "store loaded through the planner: %d objects in %.1f s, %d MiB of heap",
        state.size(), loadS, storeHeap >> 20));

    t0 = System.nanoTime();
    long cpu0 = processCpuNanos();
    IncrementalSpecializer compiler = IncrementalSpecializer.full(state);
    double fullS = seconds(System.nanoTime() - t0);
    double fullCpuS = seconds(processCpuNanos() - cpu0);
    long logicalFlows = compiler.logical().flows().values().stream().mapToLong(List::size).sum();
    long flowsTotal = compiler.ruleCount();
    progress(String.format(Locale.ROOT, "full: %.2f s (%.2f s of CPU, GC and JIT included): %d logical flows; "
        + "%d OpenFlow rules over %d chassis (%d each on average)",
        fullS, fullCpuS, logicalFlows, flowsTotal, args.chassis(), flowsTotal / args.chassis()));

    SplittableRandom random = new SplittableRandom(args.seed());
    // Warm-up: the JIT compiles the incremental paths (a small full run leaves them cold); each
    // port added is removed again, so the measured additions see the topology as loaded.
    for (int i = 0; i < args.warmup(); i++) {
      compiler.apply(state, commit(state, topology.onePortMore(random)).changes());
      compiler.apply(state, commit(state, topology.withoutLastPort()).changes());
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long[] compile = new long[args.increments()];
    long[] compileCpu = new long[args.increments()];
    long[] store = new long[args.increments()];
    int[] chassis = new int[args.increments()];
    int[] rules = new int[args.increments()];
    for (int i = 0; i < args.increments(); i++) {
      TxnRequest txn = topology.onePortMore(random);
      long a = System.nanoTime();
      Plan plan = commit(state, txn);
      long b = System.nanoTime();
      long cpu = threads.getCurrentThreadCpuTime();
      Map<String, ChassisDelta> deltas = compiler.apply(state, plan.changes());
      compileCpu[i] = threads.getCurrentThreadCpuTime() - cpu;
      long c = System.nanoTime();
      store[i] = b - a;
      compile[i] = c - b;
      chassis[i] = deltas.size();
      rules[i] = deltas.values().stream().mapToInt(ChassisDelta::size).sum();
    }
    Arrays.sort(compile);
    Arrays.sort(compileCpu);
    Arrays.sort(store);
    Arrays.sort(chassis);
    Arrays.sort(rules);
    double p50 = Latencies.percentileMs(compile, 50);
    double p99 = Latencies.percentileMs(compile, 99);
    progress(String.format(Locale.ROOT, "incremental, %d one-port additions after %d unmeasured additions and removals: p50 %.2f ms, p99 %.2f ms, max %.2f ms; "
        + "the thread's CPU time p50 %.2f ms, p99 %.2f ms; per addition (median) %d chassis, %d rules in their deltas; "
        + "the store's plan + commit p50 %.2f ms",
        args.increments(), args.warmup(), p50, p99, compile[compile.length - 1] / 1e6,
        Latencies.percentileMs(compileCpu, 50), Latencies.percentileMs(compileCpu, 99), chassis[chassis.length / 2],
        rules[rules.length / 2], Latencies.percentileMs(store, 50)));

    long heap = heapAfterGc();
    progress(String.format(Locale.ROOT, "heap after a full GC: %d MiB (store %d MiB, compiler %d MiB); -Xmx %d MiB",
        heap >> 20, storeHeap >> 20, (heap - storeHeap) >> 20, Runtime.getRuntime().maxMemory() >> 20));

    Json j = new Json();
    j.field("ports", args.ports());
    j.field("chassis", args.chassis());
    j.field("tenants", topology.tenants());
    j.field("tenet_store_load_s", loadS);
    j.field("tenet_full_s", fullS);
    j.field("tenet_full_cpu_s", fullCpuS);
    j.field("tenet_logical_flows", logicalFlows);
    j.field("flows_total", flowsTotal);
    j.field("tenet_incr_p50_ms", p50);
    j.field("tenet_incr_p99_ms", p99);
    j.field("tenet_incr_max_ms", compile[compile.length - 1] / 1e6);
    j.field("tenet_incr_cpu_p50_ms", Latencies.percentileMs(compileCpu, 50));
    j.field("tenet_incr_cpu_p99_ms", Latencies.percentileMs(compileCpu, 99));
    j.field("tenet_incr_samples", args.increments());
    j.field("tenet_incr_chassis_median", chassis[chassis.length / 2]);
    j.field("tenet_incr_rules_median", rules[rules.length / 2]);
    j.field("tenet_store_commit_p50_ms", Latencies.percentileMs(store, 50));
    j.field("heap_mib", heap >> 20);
    j.field("heap_store_mib", storeHeap >> 20);
    j.field("xmx_mib", Runtime.getRuntime().maxMemory() >> 20);
    j.field("gc", String.join("+", ManagementFactory.getGarbageCollectorMXBeans().stream().map(g -> g.getName()).toList()));
    j.field("cores", Runtime.getRuntime().availableProcessors());
    j.field("java", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"));
    j.field("load_average_at_start", load);
    j.field("seed", args.seed());
    j.raw("ovn_requested", Boolean.toString(args.ovn()));
    j.field("ovn_increments", args.ovnIncrements());
    System.out.println(j);
  }

  /** Plans and commits as the store's leader would; the benchmark's topology is always accepted. */
  private Plan commit(StoreState state, TxnRequest txn) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < TxnPlanner.createCount(txn); i++) {
      ids.add("b-" + nextId++);
    }
    PlanResult result = TxnPlanner.plan(state, txn, Timestamp.getDefaultInstance(), ids);
    if (!(result instanceof PlanResult.Accepted accepted)) {
      throw new IllegalStateException("the store refused the benchmark topology: " + result);
    }
    state.commit(accepted.plan());
    return accepted.plan();
  }

  /** Live heap: used after a full collection (System.gc() is a full GC in G1 unless told otherwise). */
  private static long heapAfterGc() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** CPU time of the whole process (every thread: the compiler's, GC, JIT). */
  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime() : 0;
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  /** /proc/loadavg's three figures, for the JSON line: wall-clock figures on a shared machine need it. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (Exception e) {
      return "unknown";
    }
  }
}
