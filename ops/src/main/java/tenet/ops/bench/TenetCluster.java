package tenet.ops.bench;

import io.grpc.ManagedChannel;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.atomic.AtomicReferenceArray;
import tenet.api.v1.AdminGrpc;
import tenet.api.v1.ClusterStatusRequest;
import tenet.api.v1.ClusterStatusResponse;
import tenet.api.v1.CreateRequest;
import tenet.api.v1.Metadata;
import tenet.api.v1.NorthboundGrpc;
import tenet.api.v1.Resource;
import tenet.api.v1.Tenant;
import tenet.rpc.GrpcEndpoints;

/**
 * N real tenet-controller processes on loopback, each with its own generated HOCON file, data
 * directory and free ports, started with this JVM's java binary, options and class path.
 * Writes are northbound Creates of new Tenants named {@code b<run>-<n>}.
 */
public final class TenetCluster extends ProcessCluster {

  private record Node(String id, int apiPort, int raftPort, int compilerPort, Path dir, Path config) {}

  private final List<Node> nodes;
  private final Children children;
  private final AtomicReferenceArray<ManagedChannel> channels;
  private final String run;
  /** The controllers' JVM options; null: this JVM's ({@link #jvmOptions}). */
  private final List<String> javaOptions;
  private final AtomicLong sequence = new AtomicLong();
  /** Where each node's log stood when it was last launched: its start is what follows. */
  private final AtomicLongArray logStart;
  /** Where every node's log stood when a node was last launched. */
  private final AtomicLongArray logAtLaunch;

  private TenetCluster(List<Node> nodes, Children children, String run, List<String> javaOptions) {
    super(nodes.size());
    this.nodes = nodes;
    this.children = children;
    this.run = run;
    this.javaOptions = javaOptions == null ? null : List.copyOf(javaOptions);
    this.channels = new AtomicReferenceArray<>(nodes.size());
    this.logStart = new AtomicLongArray(nodes.size());
    this.logAtLaunch = new AtomicLongArray(nodes.size());
  }

  public static TenetCluster start(int size, Path root, Ports ports, Children children, String run, Duration timeout)
      throws Exception {
    return start(size, root, ports, children, run, timeout, "");
  }

  /** {@code extraConfig}: more HOCON inside each controller's {@code tenet.controller} section. */
  public static TenetCluster start(int size, Path root, Ports ports, Children children, String run, Duration timeout,
      String extraConfig) throws Exception {
    return start(size, root, ports, children, run, timeout, extraConfig, null);
  }

  /** {@code javaOptions}: the controllers' JVM options; null: this JVM's. */
  public static TenetCluster start(int size, Path root, Ports ports, Children children, String run, Duration timeout,
      String extraConfig, List<String> javaOptions) throws Exception {
    List<Node> nodes = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      Path dir = root.resolve("c" + i);
      nodes.add(new Node("c" + i, ports.next(), ports.next(), ports.next(), dir, dir.resolve("controller.conf")));
    }
    StringBuilder peers = new StringBuilder();
    StringBuilder seeds = new StringBuilder();
    for (Node n : nodes) {
      peers.append(peers.isEmpty() ? "" : ", ").append(quote(n.id() + "@127.0.0.1:" + n.raftPort()));
      seeds.append(seeds.isEmpty() ? "" : ", ").append(quote("127.0.0.1:" + n.compilerPort()));
    }
    for (Node n : nodes) {
      Files.createDirectories(n.dir());
      Files.writeString(n.config(), """
          tenet.controller {
            node-id = %s
            data-dir = %s
            api { host = "127.0.0.1", port = %d }
            raft { host = "127.0.0.1", port = %d }
            peers = [%s]
            compiler { host = "127.0.0.1", port = %d, seeds = [%s] }
            %s
          }
          """.formatted(quote(n.id()), quote(n.dir().resolve("data").toString()), n.apiPort(), n.raftPort(), peers,
              n.compilerPort(), seeds, extraConfig),
          StandardCharsets.UTF_8);
    }
    TenetCluster cluster = new TenetCluster(List.copyOf(nodes), children, run, javaOptions);
    try {
      for (int i = 0; i < size; i++) {
        cluster.launch(i);
      }
      long deadline = System.nanoTime() + timeout.toNanos();
      for (int i = 0; i < size; i++) {
        cluster.awaitServing(i, deadline);
      }
      return cluster;
    } catch (Exception | Error e) {
      cluster.close();
      throw e;
    }
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** This JVM's options minus agents and debuggers: what bench-store.sh gave it (TENET_JAVA_OPTS). */
  private static List<String> jvmOptions() {
    List<String> out = new ArrayList<>();
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("-agentlib") || a.startsWith("-agentpath") || a.startsWith("-javaagent")
          || a.startsWith("-Xrunjdwp") || a.equals("-Xdebug")) {
        continue;
      }
      out.add(a);
    }
    return out;
  }

  /**
   * The controllers' class-data archive that bench-store.sh names ({@value #CDS_PROPERTY}), if it
   * exists: controllers map the classes they load from it and start in half the CPU.
   */
  static final String CDS_PROPERTY = "tenet.controller.cds-archive";

  private static Path cdsArchive() {
    String name = System.getProperty(CDS_PROPERTY, "");
    return !name.isEmpty() && Files.isRegularFile(Path.of(name)) ? Path.of(name) : null;
  }

  private static String jarsOnly(String classPath) {
    List<String> jars = new ArrayList<>();
    for (String entry : classPath.split(File.pathSeparator)) {
      if (!entry.isEmpty() && !Files.isDirectory(Path.of(entry))) {
        jars.add(entry);
      }
    }
    return String.join(File.pathSeparator, jars);
  }

  @Override
  void launch(int i) throws IOException {
    Node n = nodes.get(i);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(javaOptions == null ? jvmOptions() : javaOptions);
    String classPath = System.getProperty("java.class.path");
    Path archive = cdsArchive();
    if (archive != null) {
      // The archive was recorded with the jars alone on the class path (ops/lib/cluster.sh).
      command.add("-XX:SharedArchiveFile=" + archive);
      classPath = jarsOnly(classPath);
    }
    command.add("-cp");
    command.add(classPath);
    command.add("tenet.controller.TenetController");
    command.add("--config");
    command.add(n.config().toString());
    for (int j = 0; j < nodes.size(); j++) {
      Path log = nodes.get(j).dir().resolve("controller.log");
      logAtLaunch.set(j, Files.exists(log) ? Files.size(log) : 0);
    }
    Path log = n.dir().resolve("controller.log");
    logStart.set(i, logAtLaunch.get(i));
    processes.set(i, children.start("tenet " + n.id(), command, n.dir(), log, null));
    ManagedChannel old = channels.getAndSet(i, GrpcEndpoints.channel("127.0.0.1:" + n.apiPort()));
    if (old != null) {
      old.shutdownNow();
    }
  }

  private ClusterStatusResponse status(int i, Duration deadline) {
    return AdminGrpc.newBlockingStub(channels.get(i))
        .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
        .clusterStatus(ClusterStatusRequest.getDefaultInstance());
  }

  /** Until node i answers ClusterStatus naming a leader and every member. */
  @Override
  void awaitServing(int i, long deadlineNanos) throws Exception {
    Node n = nodes.get(i);
    String last = "no answer yet";
    while (true) {
      Children.Child child = processes.get(i);
      if (!child.alive()) {
        throw new IOException("controller " + n.id() + " (pid " + child.pid() + ") exited with "
            + child.process().exitValue() + "; its log ends with:\n" + Children.tail(child, 30));
      }
      try {
        ClusterStatusResponse s = status(i, Duration.ofSeconds(1));
        if (!s.getLeaderId().isEmpty() && s.getPeersCount() == nodes.size()) {
          return;
        }
        last = "leader '" + s.getLeaderId() + "', " + s.getPeersCount() + " peers";
      } catch (RuntimeException e) {
        last = e.getMessage();
        // Else the channel waits out gRPC's reconnect back-off (1 s, 1.6 s, 2.6 s, ...) after each
        // refused connection while the controller starts, and that wait would count as its start.
        channels.get(i).resetConnectBackoff();
      }
      if (System.nanoTime() > deadlineNanos) {
        throw new IOException("controller " + n.id() + " not ready in time (" + last + "); its log ends with:\n"
            + Children.tail(child, 30));
      }
      Thread.sleep(20); // a status call is cheap; the rejoin time is measured to this step
    }
  }

  @Override
  public String system() {
    return "tenet";
  }

  @Override
  public int size() {
    return nodes.size();
  }

  @Override
  public void write(int node, Duration deadline) {
    String name = "b" + run + "-" + sequence.incrementAndGet();
    Resource tenant = Resource.newBuilder().setTenant(Tenant.newBuilder()
        .setMetadata(Metadata.newBuilder().setTenant(name).setName(name))
        .setDescription(PAYLOAD)).build();
    NorthboundGrpc.newBlockingStub(channels.get(node))
        .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
        .create(CreateRequest.newBuilder().setResource(tenant).build());
  }

  @Override
  public int leader(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (int i = 0; i < nodes.size(); i++) {
        if (!processes.get(i).alive()) {
          continue;
        }
        try {
          String leader = status(i, Duration.ofSeconds(1)).getLeaderId();
          for (int j = 0; j < nodes.size(); j++) {
            if (nodes.get(j).id().equals(leader) && processes.get(j).alive()) {
              return j;
            }
          }
        } catch (RuntimeException e) {
          // next node
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("the tenet cluster names no live leader");
      }
      Thread.sleep(50);
    }
  }

  /** The channel to node i's northbound API (replaced when the node restarts). */
  public ManagedChannel channel(int node) {
    return channels.get(node);
  }

  /** Node i's process id now; 0 while it is not running. */
  public long pid(int node) {
    Children.Child child = processes.get(node);
    return child == null || !child.alive() ? 0 : child.pid();
  }

  /** Node i's id in the cluster ("c1"): what FlowUpdate.controller names. */
  public String nodeId(int node) {
    return nodes.get(node).id();
  }

  /** The last lines of node i's log. */
  public String logTail(int node, int lines) {
    Children.Child child = processes.get(node);
    return child == null ? "(not started)" : Children.tail(child, lines);
  }

  public boolean alive(int node) {
    return processes.get(node).alive();
  }

  /** Node i's API endpoint, "127.0.0.1:port" (what agents connect to). */
  public String apiAddress(int node) {
    return "127.0.0.1:" + nodes.get(node).apiPort();
  }

  /** Starts the stopped nodes again with their configuration and data, side by side, and waits until each serves. */
  public void restart(List<Integer> which, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int i : which) {
      launch(i);
    }
    for (int i : which) {
      awaitServing(i, deadline);
    }
  }

  private static final Duration GOSSIP_SETTLE = Duration.ofSeconds(3);

  /**
   * Until a live node's log says the compiler cluster moved the restarted node to Up. A restarted
   * controller serves its store before its compiler node has joined; killing another controller
   * meanwhile leaves the joining node unable to become Up (no convergence with a node unreachable),
   * the split-brain resolver of the one node left Up sees no majority and downs itself and the
   * joining node, and both controllers exit: the store loses its majority (seen in a quick run).
   * The trials measure the store's failover, so the next one waits for this, and for the news to
   * spread.
   */
  @Override
  String awaitSettled(int i, long deadlineNanos) throws Exception {
    long start = System.nanoTime();
    String up = "Leader is moving node [pekko://tenet@127.0.0.1:" + nodes.get(i).compilerPort() + "] to [Up]";
    while (true) {
      for (int j = 0; j < nodes.size(); j++) {
        if (processes.get(j).alive() && logSince(j, logAtLaunch.get(j)).contains(up)) {
          double upMs = (System.nanoTime() - start) / 1e6;
          // The Pekko leader's word must reach the others by gossip (every 500 ms) before a kill:
          // killed at once, it left the last node seeing the restarted one still joining (seen).
          Thread.sleep(GOSSIP_SETTLE.toMillis());
          return String.format(Locale.ROOT, "compiler node Up %.0f ms after it caught up", upMs);
        }
      }
      if (System.nanoTime() > deadlineNanos) {
        throw new IOException("restarted controller " + nodes.get(i).id() + ": its compiler node never became Up");
      }
      Thread.sleep(50);
    }
  }

  private String logSince(int i, long offset) {
    try (var in = Files.newInputStream(nodes.get(i).dir().resolve("controller.log"))) {
      in.skipNBytes(offset);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static final Pattern PHASE = Pattern.compile(
      "(controller \\S+ starting|store peer \\S+ started|store leader: (?!none)|serving the API|controller cluster node started)"
      + ".*?\\b(\\d+) ms after process start, (\\d+) ms CPU\\)");

  /**
   * The controller's start as its log tells it (ms after process start: main entered, store peer
   * up, first leader known, API serving, compiler node up; CPU used by the last of them).
   */
  @Override
  String startPhases(int i) {
    String text = logSince(i, logStart.get(i));
    Map<String, String> first = new LinkedHashMap<>();
    String cpu = "?";
    for (String line : text.split("\n")) {
      Matcher m = PHASE.matcher(line);
      if (m.find()) {
        String matched = m.group(1);
        String phase = matched.startsWith("controller") ? "main"
            : matched.startsWith("store peer") ? "store"
            : matched.startsWith("store leader") ? "leader"
            : matched.startsWith("serving") ? "API" : "compiler";
        if (first.putIfAbsent(phase, m.group(2)) == null) {
          cpu = m.group(3);
        }
      }
    }
    StringBuilder out = new StringBuilder();
    first.forEach((phase, ms) -> out.append(out.isEmpty() ? "" : ", ").append(phase).append(' ').append(ms));
    return out.isEmpty() ? "" : out + " ms after its process started (" + cpu + " ms CPU by the last)";
  }

  @Override
  long applied(int i) throws Exception {
    return status(i, Duration.ofSeconds(1)).getRevision();
  }

  @Override
  String nodeName(int i) {
    return "controller " + nodes.get(i).id();
  }

  @Override
  public void close() {
    List<Children.Child> all = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      ManagedChannel ch = channels.get(i);
      if (ch != null) {
        ch.shutdownNow();
      }
      if (processes.get(i) != null) {
        all.add(processes.get(i));
      }
    }
    Children.stop(all);
  }
}
