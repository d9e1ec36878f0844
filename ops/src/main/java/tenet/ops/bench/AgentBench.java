package tenet.ops.bench;

import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import tenet.agent.v1.AgentMessage;
import tenet.agent.v1.ControllerMessage;
import tenet.agent.v1.Flow;
import tenet.agent.v1.FlowUpdate;
import tenet.agent.v1.SouthboundGrpc;
import tenet.api.FlowPages;
import tenet.rpc.GrpcEndpoints;

/**
 * {@code tenet bench agent --flows N}: N flows into a private ovs-vswitchd through a real
 * tenet-agent process (southbound stream in, one OVS bundle out, ack back), and in the same run
 * the same flows through raw {@code ovs-ofctl --bundle add-flows} on a second bridge. Then the
 * agent restarts with the N flows installed and nothing changed: the time until it has the full
 * set again and acks, and the proof that no flow was removed and added again. Ends with one
 * JSON line.
 */
public final class AgentBench {
  private AgentBench() {}

  public static void main(String[] args) throws Exception {
    int flows = parse(args);
    Path dir = Files.createTempDirectory("tenet-bench-agent");
    Children children = new Children();
    Runtime.getRuntime().addShutdownHook(new Thread(children::stopAll));
    try (PrivateOvs ovs = PrivateOvs.start(dir.resolve("ovs"));
         FakeController controller = new FakeController(flows(flows))) {
      progress("private ovs-vswitchd up; %d flows generated", flows);

      Path rawFile = dir.resolve("raw.of");
      List<String> lines = new ArrayList<>();
      for (Flow f : controller.flows) {
        lines.add("cookie=0x" + Long.toHexString(f.getCookie()) + ",table=" + f.getTable() + ",priority="
            + f.getPriority() + "," + f.getMatch() + " actions=" + f.getActions());
      }
      Files.write(rawFile, lines, StandardCharsets.UTF_8);
      ovs.run("ovs-vsctl", "add-br", "br-raw", "--", "set", "bridge", "br-raw", "datapath_type=netdev",
          "fail_mode=secure", "protocols=OpenFlow15");
      long t0 = System.nanoTime();
      ovs.run("ovs-ofctl", "-O", "OpenFlow15", "--bundle", "add-flows", "br-raw", rawFile.toString());
      double rawSeconds = (System.nanoTime() - t0) / 1e9;
      progress("raw ovs-ofctl --bundle add-flows: %.2f s", rawSeconds);
      ovs.run("ovs-vsctl", "del-br", "br-raw"); // each side measured with the switch otherwise empty

      Path config = dir.resolve("agent.conf");
      Files.writeString(config, """
          tenet.agent {
            chassis = "bench"
            tunnel-ip = "192.0.2.1"
            controllers = ["127.0.0.1:%d"]
            ovs { rundir = "%s", vif-poll-interval = 10s }
          }
          """.formatted(controller.port(), ovs.dir()), StandardCharsets.UTF_8);
      double agentSeconds = controller.timeNextFullSet(() -> startAgent(children, config, dir));
      int installed = count(ovs);
      progress("through tenet-agent: %.2f s (%d flows on br-int)", agentSeconds, installed);
      if (installed < flows) {
        throw new IllegalStateException("br-int holds " + installed + " flows, expected at least " + flows);
      }

      String before = ovs.run("ovs-ofctl", "-O", "OpenFlow15", "dump-flows", "br-int", "--no-stats");
      Children.stop(List.copyOf(children.all()));
      Thread.sleep(1000); // so a flow removed and added again would show a younger duration
      double resyncSeconds = controller.timeNextFullSet(() -> startAgent(children, config, dir));
      String after = ovs.run("ovs-ofctl", "-O", "OpenFlow15", "dump-flows", "br-int", "--no-stats");
      if (!before.equals(after)) {
        throw new IllegalStateException("the restarted agent changed flows it should have left alone");
      }
      double youngest = youngestFlowSeconds(ovs);
      if (youngest < 1.0) {
        throw new IllegalStateException("a flow is only " + youngest + " s old: the restart re-added it");
      }
      progress("agent restart with %d flows installed, nothing changed: %.2f s, no flow re-added (youngest %.1f s)",
          flows, resyncSeconds, youngest);

      System.out.printf(Locale.ROOT, "{\"flows\": %d, \"agent_s\": %.3f, \"ovs_ofctl_s\": %.3f, \"ratio\": %.2f, "
          + "\"resync_s\": %.3f}%n", flows, agentSeconds, rawSeconds, agentSeconds / rawSeconds, resyncSeconds);
    } finally {
      children.stopAll();
      if (Boolean.getBoolean("tenet.bench.keep-log")) {
        Files.copy(dir.resolve("agent.log"), Path.of("/tmp/tenet-bench-agent.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void startAgent(Children children, Path config, Path dir) {
    try {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
          .filter(a -> !a.startsWith("-agentlib") && !a.startsWith("-javaagent")).toList());
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), "tenet.agent.TenetAgent", "--config",
          config.toString()));
      children.start("tenet-agent", command, dir, dir.resolve("agent.log"), null);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Flows shaped like the compiler's: per-port rules over the logical tables, each its own match. */
  static List<Flow> flows(int n) {
    List<Flow> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int table = 8 + i % 24;
      int datapath = 1 + i / 1000;
      int port = 1 + i % 1000;
      out.add(Flow.newBuilder().setCookie((long) datapath << 40 | (i + 1)).setTable(table).setPriority(100)
          .setMatch("metadata=" + datapath + ",reg14=" + port + ",ip,nw_src=10." + (i >> 16 & 255) + "." + (i >> 8 & 255)
              + "." + (i & 255))
          .setActions("resubmit(," + (table + 1) + ")").build());
    }
    return out;
  }

  private static int count(PrivateOvs ovs) throws java.io.IOException {
    return (int) ovs.run("ovs-ofctl", "-O", "OpenFlow15", "dump-flows", "br-int", "--no-stats").lines()
        .filter(l -> l.contains("cookie=")).count();
  }

  private static double youngestFlowSeconds(PrivateOvs ovs) throws java.io.IOException {
    double youngest = Double.MAX_VALUE;
    var m = java.util.regex.Pattern.compile("duration=([0-9.]+)s")
        .matcher(ovs.run("ovs-ofctl", "-O", "OpenFlow15", "dump-flows", "br-int"));
    while (m.find()) {
      youngest = Math.min(youngest, Double.parseDouble(m.group(1)));
    }
    return youngest;
  }

  private static int parse(String[] args) {
    if (args.length == 2 && args[0].equals("--flows")) {
      try {
        int n = Integer.parseInt(args[1]);
        if (n >= 1 && n <= 1_000_000) {
          return n;
        }
      } catch (NumberFormatException e) {
        // below
      }
      System.err.println("tenet bench agent: --flows must be 1..1000000, got " + args[1]);
      System.exit(2);
    }
    System.err.println("usage: tenet bench agent --flows N");
    System.exit(2);
    return 0;
  }

  private static void progress(String format, Object... args) {
    System.err.printf(Locale.ROOT, "[bench agent] " + format + "%n", args);
  }

  /** The controller's side of the southbound stream, reduced to: a full set to whoever says hello. */
  private static final class FakeController extends SouthboundGrpc.SouthboundImplBase implements AutoCloseable {
    final List<Flow> flows;
    private final GrpcEndpoints.RunningServer server;
    private final AtomicReference<CompletableFuture<Double>> acked = new AtomicReference<>();
    private long version;

    FakeController(List<Flow> flows) throws java.io.IOException {
      this.flows = flows;
      this.server = GrpcEndpoints.startServer("127.0.0.1", 0, List.of(this));
    }

    int port() {
      return server.port();
    }

    /** Runs {@code start}, then: from the full set sent to the agent's hello until its ack, in seconds. */
    double timeNextFullSet(Runnable start) throws Exception {
      CompletableFuture<Double> done = new CompletableFuture<>();
      acked.set(done);
      start.run();
      return done.get(600, TimeUnit.SECONDS);
    }

    @Override
    public StreamObserver<AgentMessage> sync(StreamObserver<ControllerMessage> out) {
      return new StreamObserver<>() {
        private long sentAt;
        private long sentVersion;

        @Override
        public void onNext(AgentMessage m) {
          if (m.hasHello()) {
            sentVersion = ++version;
            sentAt = System.nanoTime();
            // As the controller does (AgentSession.relay): in pages to an agent that takes them.
            FlowUpdate header = FlowUpdate.newBuilder().setVersion(sentVersion).setFull(true).build();
            if (m.getHello().getPagedUpdates()) {
              FlowPages.send(header, flows, List.of(), f -> f,
                  page -> out.onNext(ControllerMessage.newBuilder().setUpdate(page).build()));
            } else {
              out.onNext(ControllerMessage.newBuilder().setUpdate(header.toBuilder().addAllAdd(flows)).build());
            }
          } else if (m.hasAck() && m.getAck().getVersion() == sentVersion) {
            CompletableFuture<Double> done = acked.get();
            if (done != null) {
              done.complete((System.nanoTime() - sentAt) / 1e9);
            }
          }
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          out.onCompleted();
        }
      };
    }

    @Override
    public void close() {
      server.close();
    }
  }
}
