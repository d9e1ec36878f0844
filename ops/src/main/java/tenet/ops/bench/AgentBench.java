package tenet.ops.bench;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import tenet.agent.ovs.PrivateSwitch;
import tenet.agent.v1.Ack;
import tenet.agent.v1.AgentMessage;
import tenet.agent.v1.ControllerMessage;
import tenet.agent.v1.Flow;
import tenet.agent.v1.FlowUpdate;
import tenet.agent.v1.Hello;
import tenet.agent.v1.SouthboundGrpc;
import tenet.api.FlowPages;
import tenet.rpc.GrpcEndpoints;

/**
 * {@code tenet bench agent --flows N [--rounds R]}: N flows into a private ovs-vswitchd through a
 * real tenet-agent process (southbound stream in, one OVS bundle out, ack back), and in the same
 * run the same flows through raw {@code ovs-ofctl --bundle add-flows} on a bridge of their own:
 * R rounds, alternating, each side's median reported. Then the agent restarts with the N flows
 * installed and nothing changed: the time until it has the full set again and acks, and the
 * proof that no flow was removed and added again. Ends with one JSON line.
 */
public final class AgentBench {
  private AgentBench() {}

  public static void main(String[] args) throws Exception {
    AgentBenchArgs parsed = BenchCommandLine.parse(new AgentBenchArgs(), args);
    if (parsed == null) {
      return;
    }
    int flows = parsed.flows;
    Path dir = Files.createTempDirectory("tenet-bench-agent");
    Children children = new Children();
    Runtime.getRuntime().addShutdownHook(new Thread(children::stopAll));
    try (PrivateSwitch ovs = PrivateSwitch.start(Duration.ofMinutes(2)); // a million flows take ~10 s
         FakeController controller = new FakeController(flows(flows))) {
      progress("private ovs-vswitchd up; %d flows generated", flows);
      Path rawFile = dir.resolve("raw.of");
      try (var raw = Files.newBufferedWriter(rawFile, StandardCharsets.UTF_8)) {
        for (Flow f : controller.flows) {
          raw.write("cookie=0x" + Long.toHexString(f.getCookie()) + ",table=" + f.getTable() + ",priority="
              + f.getPriority() + "," + f.getMatch() + " actions=" + f.getActions() + "\n");
        }
      }
      Path config = dir.resolve("agent.conf");
      Files.writeString(config, """
          tenet.agent {
            chassis = "bench"
            tunnel-ip = "192.0.2.1"
            controllers = ["127.0.0.1:%d"]
            ovs { rundir = "%s", audit-interval = 10s }
          }
          """.formatted(controller.port(), ovs.dir()), StandardCharsets.UTF_8);

      // Alternating, each side on a bridge of its own in an otherwise empty switch.
      double[] raw = new double[parsed.rounds];
      double[] agent = new double[parsed.rounds];
      for (int round = 0; round < parsed.rounds; round++) {
        ovs.vsctl("add-br", "br-raw", "--", "set", "bridge", "br-raw", "datapath_type=netdev",
            "fail_mode=secure", "protocols=OpenFlow15");
        long t0 = System.nanoTime();
        ovs.ofctl("--bundle", "add-flows", "br-raw", rawFile.toString());
        raw[round] = (System.nanoTime() - t0) / 1e9;
        ovs.vsctl("del-br", "br-raw");
        settle();

        Children.stop(List.copyOf(children.all()));
        ovs.vsctl("--if-exists", "del-br", "br-int"); // the agent makes it again, empty
        settle();
        agent[round] = controller.timeNextFullSet(() -> startAgent(children, config, dir));
        int installed = count(ovs);
        if (installed < flows) {
          throw new IllegalStateException("br-int holds " + installed + " flows, expected at least " + flows);
        }
        progress("round %d: raw ovs-ofctl --bundle add-flows %.2f s, through tenet-agent %.2f s (%d flows on br-int)",
            round + 1, raw[round], agent[round], installed);
      }

      FlowDump before = dump(ovs);
      Children.stop(List.copyOf(children.all()));
      Thread.sleep(1000); // so a flow removed and added again would show a younger duration
      double resyncSeconds = controller.timeNextFullSet(() -> startAgent(children, config, dir));
      FlowDump after = dump(ovs);
      if (!after.equals(before)) {
        throw new IllegalStateException("the restarted agent changed flows it should have left alone: before " + before
            + ", after " + after);
      }
      double youngest = youngestFlowSeconds(ovs);
      if (youngest < 1.0) {
        throw new IllegalStateException("a flow is only " + youngest + " s old: the restart re-added it");
      }
      progress("agent restart with %d flows installed, nothing changed: %.2f s, no flow re-added (youngest %.1f s)",
          flows, resyncSeconds, youngest);

      double agentSeconds = median(agent);
      double rawSeconds = median(raw);
      Json j = new Json();
      j.field("flows", flows);
      j.field("agent_s", agentSeconds);
      j.field("ovs_ofctl_s", rawSeconds);
      j.raw("ratio", String.format(Locale.ROOT, "%.2f", agentSeconds / rawSeconds));
      j.field("resync_s", resyncSeconds);
      j.field("rounds", parsed.rounds);
      j.raw("agent_rounds_s", list(agent));
      j.raw("ovs_ofctl_rounds_s", list(raw));
      System.out.println(j);
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

  /**
   * ovs-vswitchd frees a deleted bridge's flows after the deletion has returned (RCU): the next
   * measurement should not share the CPU with that.
   */
  private static void settle() throws InterruptedException {
    Thread.sleep(1500);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static String list(double[] values) {
    StringBuilder out = new StringBuilder("[");
    for (double v : values) {
      out.append(out.length() > 1 ? "," : "").append(Json.number(v));
    }
    return out.append(']').toString();
  }

  private static void startAgent(Children children, Path config, Path dir) {
    try {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      // As the sandbox starts agents (ops/lib/env.sh, tenet_agent_java_opts), not as this JVM runs.
      for (String option : System.getProperty("tenet.bench.agent-java-opts", "").split("\\s+")) {
        if (!option.isEmpty()) {
          command.add(option);
        }
      }
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), "tenet.agent.TenetAgent", "--config",
          config.toString()));
      children.start("tenet-agent", command, dir, dir.resolve("agent.log"), null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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

  private static int count(PrivateSwitch ovs) throws IOException {
    return (int) dump(ovs).lines();
  }

  /**
   * What br-int holds, order aside (a dump's order is the classifier's, not a contract): how many
   * flows, and the sum of their lines' 64-bit FNV-1a hashes.
   */
  record FlowDump(long lines, long digest) {}

  private static FlowDump dump(PrivateSwitch ovs) throws IOException {
    long[] lines = {0};
    long[] digest = {0};
    ovs.lines(l -> {
      if (l.contains("cookie=")) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < l.length(); i++) {
          h = (h ^ l.charAt(i)) * 0x100000001b3L;
        }
        lines[0]++;
        digest[0] += h;
      }
    }, "ovs-ofctl", "-O", "OpenFlow15", "dump-flows", "br-int", "--no-stats");
    return new FlowDump(lines[0], digest[0]);
  }

  private static double youngestFlowSeconds(PrivateSwitch ovs) throws IOException {
    double[] youngest = {Double.MAX_VALUE};
    var duration = java.util.regex.Pattern.compile("duration=([0-9.]+)s");
    ovs.lines(l -> {
      var m = duration.matcher(l);
      if (m.find()) {
        youngest[0] = Math.min(youngest[0], Double.parseDouble(m.group(1)));
      }
    }, "ovs-ofctl", "-O", "OpenFlow15", "dump-flows", "br-int");
    return youngest[0];
  }

  private static void progress(String format, Object... args) {
    System.err.printf(Locale.ROOT, "[bench agent] " + format + "%n", args);
  }

  /**
   * The controller's side of the southbound stream, reduced to: a full set to whoever says hello.
   * A controller runs on machines of its own and has served agents before; here it shares the
   * agent's two cores. So that the figure is the agent's, its pages are serialized before the
   * hello (the bytes are those {@link FlowPages} makes for the controller) and its gRPC send path
   * is warmed up once on a throwaway stream.
   */
  private static final class FakeController implements AutoCloseable {
    /** Sync with the controller's messages as ready-made bytes. */
    private static final MethodDescriptor<AgentMessage, byte[]> SYNC = SouthboundGrpc.getSyncMethod()
        .toBuilder(ProtoUtils.marshaller(AgentMessage.getDefaultInstance()), new Bytes()).build();

    final List<Flow> flows;
    private final GrpcEndpoints.RunningServer server;
    private final AtomicReference<CompletableFuture<Double>> acked = new AtomicReference<>();
    /** The next full set, serialized: the version it carries and its pages. */
    private volatile long preparedVersion;
    private volatile List<byte[]> preparedPages;

    FakeController(List<Flow> flows) throws Exception {
      this.flows = flows;
      ServerServiceDefinition service = ServerServiceDefinition.builder(SouthboundGrpc.SERVICE_NAME)
          .addMethod(SYNC, ServerCalls.asyncBidiStreamingCall(this::sync)).build();
      this.server = GrpcEndpoints.startServer("127.0.0.1", 0, List.of(() -> service));
      warmUp();
    }

    int port() {
      return server.port();
    }

    /** Runs {@code start}, then: from the full set sent to the agent's hello until its ack, in seconds. */
    double timeNextFullSet(Runnable start) throws Exception {
      prepare(preparedVersion + 1);
      CompletableFuture<Double> done = new CompletableFuture<>();
      acked.set(done);
      start.run();
      return done.get(600, TimeUnit.SECONDS);
    }

    private void prepare(long version) {
      List<byte[]> pages = new ArrayList<>();
      // As the controller does (ChassisSync.nextPage, as AgentSession sends them): in pages to an agent that takes them.
      FlowPages.send(FlowUpdate.newBuilder().setVersion(version).setFull(true).build(), flows, List.of(), f -> f,
          page -> pages.add(ControllerMessage.newBuilder().setUpdate(page).build().toByteArray()));
      preparedPages = pages;
      preparedVersion = version;
    }

    /** One full set to a client in this process, which reads the bytes and acks. */
    private void warmUp() throws Exception {
      ManagedChannel channel = GrpcEndpoints.channel("127.0.0.1:" + port());
      AtomicReference<StreamObserver<AgentMessage>> toController = new AtomicReference<>();
      try {
        timeNextFullSet(() -> {
          toController.set(ClientCalls.asyncBidiStreamingCall(channel.newCall(SYNC, CallOptions.DEFAULT),
              new StreamObserver<byte[]>() {
                private int pages;

                @Override
                public void onNext(byte[] page) {
                  if (++pages == preparedPages.size()) {
                    toController.get().onNext(AgentMessage.newBuilder()
                        .setAck(Ack.newBuilder().setVersion(preparedVersion)).build());
                  }
                }

                @Override
                public void onError(Throwable t) {
                  acked.get().completeExceptionally(t);
                }

                @Override
                public void onCompleted() {}
              }));
          toController.get().onNext(AgentMessage.newBuilder().setHello(Hello.newBuilder().setChassis("warm-up")
              .setPagedUpdates(true)).build());
        });
        toController.get().onCompleted();
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }

    private StreamObserver<AgentMessage> sync(StreamObserver<byte[]> out) {
      return new StreamObserver<>() {
        private long sentAt;
        private long sentVersion;

        @Override
        public void onNext(AgentMessage m) {
          if (m.hasHello()) {
            if (!m.getHello().getPagedUpdates()) {
              out.onError(Status.FAILED_PRECONDITION.withDescription("the bench serves paged updates only")
                  .asRuntimeException());
              return;
            }
            sentVersion = preparedVersion;
            sentAt = System.nanoTime();
            preparedPages.forEach(out::onNext);
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

    /** Messages that are bytes already. */
    private static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {
      @Override
      public InputStream stream(byte[] value) {
        return new ByteArrayInputStream(value);
      }

      @Override
      public byte[] parse(InputStream stream) {
        try {
          return stream.readAllBytes();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }
}
