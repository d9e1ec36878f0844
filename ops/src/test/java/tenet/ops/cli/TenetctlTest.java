package tenet.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tenet.api.v1.Kind;
import tenet.api.v1.ObjectRef;
import tenet.api.v1.Resource;
import tenet.rpc.GrpcEndpoints;
import tenet.api.v1.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import tenet.api.v1.CreateRequest;
import tenet.api.v1.LogicalRouter;
import tenet.api.v1.Tenant;
import tenet.api.v1.TxnOp;
import tenet.api.v1.TxnRequest;
import tenet.api.v1.UpdateRequest;
import tenet.store.ratis.StoreConfig;
import tenet.store.ratis.StoreNode;
import tenet.store.rpc.AdminService;
import tenet.store.rpc.NorthboundService;

/**
 * The whole command line against a real single-peer store and the real northbound services.
 * Conflicts are real too: a hook writes through the store just before tenetctl's Txn arrives.
 */
class TenetctlTest {
  private static final Path DEMO = Path.of(System.getProperty("user.dir")).getParent()
      .resolve("docs/examples/demo-topology.yaml");

  @TempDir
  Path dir;

  private StoreNode store;
  private GrpcEndpoints.RunningServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  /** Runs before each Txn call reaches the service, as a concurrent writer would. */
  private volatile Runnable beforeTxn = () -> { };

  record Result(int code, String out, String err) {}

  @BeforeEach
  void start() throws Exception {
    int raftPort;
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      raftPort = socket.getLocalPort();
    }
    store = StoreNode.start(new StoreConfig("c1", dir.resolve("store"), "127.0.0.1", raftPort,
        List.of(new StoreConfig.PeerAddress("c1", "127.0.0.1:" + raftPort)), false, "test",
        100_000, 32L << 20, 5, Duration.ofMillis(150), Duration.ofMillis(300)));
    ServerInterceptor hook = new ServerInterceptor() {
      @Override
      public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, io.grpc.Metadata headers, ServerCallHandler<Q, A> next) {
        if (call.getMethodDescriptor().getBareMethodName().equals("Txn")) {
          beforeTxn.run();
        }
        return next.startCall(call, headers);
      }
    };
    var northbound = ServerInterceptors.intercept(new NorthboundService(store, executor), hook);
    server = GrpcEndpoints.startServer("127.0.0.1", 0, List.of(() -> northbound, new AdminService(store)));
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(store::isLeader);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    store.close();
    executor.shutdownNow();
  }

  private long revision() {
    return store.stateMachine().revision();
  }

  private List<Resource> objects() {
    return store.stateMachine().read(s -> List.copyOf(s.objects().values()));
  }

  /** A write straight through the store, as another client's would be. */
  private void write(TxnOp op) {
    store.client().write(TxnRequest.newBuilder().addOps(op).build()).join();
  }

  private Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Tenetctl.run(args, Map.of("TENET_SERVER", "127.0.0.1:" + server.port()),
        new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void createGetListUpdateDelete() throws Exception {
    assertThat(run("create", "tenant", "acme").out()).isEqualTo("tenant acme created (revision 1)\n");
    Result created = run("create", "ls", "web", "--tenant", "acme", "--set", "subnets=10.0.0.0/24,fd00::/64",
        "--label", "zone=a");
    assertThat(created.code()).as(created.err()).isZero();
    assertThat(created.out()).isEqualTo("logical-switch acme/web created (revision 2)\n");

    Result got = run("get", "logical-switch", "web", "--tenant", "acme", "-o", "json");
    assertThat(got.code()).isZero();
    Resource.Builder parsed = Resource.newBuilder();
    JsonFormat.parser().merge(got.out(), parsed);
    assertThat(parsed.getLogicalSwitch().getSubnetsList()).containsExactly("10.0.0.0/24", "fd00::/64");
    assertThat(parsed.getLogicalSwitch().getMetadata().getLabelsMap()).isEqualTo(Map.of("zone", "a"));

    assertThat(run("get", "ls", "web", "--tenant", "acme").out())
        .startsWith("TENANT   NAME   SUBNETS                 MTU   TUNNEL-KEY   REVISION   AGE\n")
        .contains("acme     web    10.0.0.0/24,fd00::/64   -     1            2          ");

    Result updated = run("update", "ls", "web", "--tenant", "acme", "--set", "mtu=1400", "--label", "zone-");
    assertThat(updated.code()).as(updated.err()).isZero();
    assertThat(updated.out()).isEqualTo("logical-switch acme/web updated (revision 3)\n");
    Resource stored = objects().stream().filter(Resource::hasLogicalSwitch).findFirst().orElseThrow();
    assertThat(stored.getLogicalSwitch().getMtu()).isEqualTo(1400);
    assertThat(stored.getLogicalSwitch().getSubnetsCount()).isEqualTo(2);
    assertThat(stored.getLogicalSwitch().getMetadata().getLabelsMap()).isEmpty();

    assertThat(run("update", "ls", "web", "--tenant", "acme", "--set", "mtu=1400").out())
        .isEqualTo("logical-switch acme/web unchanged (revision 3)\n");

    Result yaml = run("list", "ls", "-o", "yaml");
    assertThat(yaml.out()).contains("items:", "- logicalSwitch:", "mtu: 1400", "revision: '3'");

    Result deleted = run("delete", "ls", "web", "--tenant", "acme");
    assertThat(deleted.out()).isEqualTo("logical-switch acme/web deleted (revision 4)\n");
    assertThat(objects()).extracting(Resource::hasLogicalSwitch).containsOnly(false);
  }

  @Test
  void apiErrorsExitOneAndSayWhatIsWrong() {
    run("create", "tenant", "acme");
    run("create", "ls", "web", "--tenant", "acme");

    Result exists = run("create", "ls", "web", "--tenant", "acme");
    assertThat(exists.code()).isEqualTo(1);
    assertThat(exists.err()).isEqualTo("error: logical-switch acme/web already exists: change it with"
        + " `tenetctl update` or `tenetctl apply`\n");

    Result missing = run("get", "lsp", "nope", "--tenant", "acme");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).isEqualTo("error: logical-switch-port acme/nope does not exist (check the name and --tenant)\n");

    Result conflict = run("update", "ls", "web", "--tenant", "acme", "--set", "mtu=1500", "--expected-revision", "7");
    assertThat(conflict.code()).isEqualTo(1);
    assertThat(conflict.err()).isEqualTo("error: revision conflict: logical-switch acme/web is at revision 2,"
        + " not the expected 7: someone changed it; read it again and retry\n");

    Result deleteConflict = run("delete", "ls", "web", "--tenant", "acme", "--expected-revision", "9");
    assertThat(deleteConflict.code()).isEqualTo(1);
    assertThat(objects()).hasSize(2);

    Result invalid = run("create", "lsp", "web-1", "--tenant", "acme", "--set", "logicalSwitch=web",
        "--set", "mac=01:00:5e:00:00:01", "--set", "ips=10.0.0.5");
    assertThat(invalid.code()).isEqualTo(1);
    assertThat(invalid.err()).contains("logical_switch_port.mac", "multicast");
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(run("get", "ls", "web").code()).isEqualTo(2);
    assertThat(run("get", "ls", "web").err()).isEqualTo("error: logical-switch objects belong to a tenant: give --tenant\n");
    assertThat(run("get", "switch", "web").code()).isEqualTo(2);
    assertThat(run("create", "ls", "web", "--tenant", "acme", "--set", "subnet=10.0.0.0/24").err())
        .startsWith("error: --set subnet: unknown field \"subnet\"");
    assertThat(run("update", "ls", "web", "--tenant", "acme").code()).isEqualTo(2);
    assertThat(run("frobnicate").code()).isEqualTo(2);
    assertThat(run().code()).isEqualTo(2);
    assertThat(run("apply").code()).as("-f is required").isEqualTo(2);
    assertThat(run("list", "ls", "-o", "xml").code()).isEqualTo(2);
    assertThat(revision()).isZero();
  }

  @Test
  void clusterStatusShowsPeersAndLeader() {
    run("create", "tenant", "acme");
    Result status = run("cluster", "status");
    assertThat(status.code()).as(status.err()).isZero();
    assertThat(status.out()).startsWith("leader c1, term ").contains("revision 1 (answered by c1)")
        .containsPattern("c1 +127\\.0\\.0\\.1:\\d+ +leader");
    assertThat(run("cluster", "add-peer", "c9", "nowhere").code()).isEqualTo(2);
    Result snapshot = run("cluster", "snapshot");
    assertThat(snapshot.out()).startsWith("snapshot taken at log index ");
  }

  @Test
  void helpSaysApplyNeverDeletes() {
    Result help = run("apply", "--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("apply NEVER deletes");
  }

  @Test
  void applyTwiceChangesNothingTheSecondTime() {
    Result first = run("apply", "-f", DEMO.toString());
    assertThat(first.code()).as(first.err()).isZero();
    int objects = objects().size();
    assertThat(objects).isEqualTo(TopologyParser.parse(DEMO).size());
    assertThat(first.out().lines().filter(l -> l.endsWith(" created"))).hasSize(objects);
    assertThat(first.out()).contains("tenant acme created", "logical-switch globex/frontend created",
        "security-group acme/db created", "logical-router-port globex/gw-backend created");
    assertThat(first.err()).as("one transaction").isEqualTo("applied at revision 1\n");

    Result second = run("apply", "-f", DEMO.toString());
    assertThat(second.code()).isZero();
    assertThat(second.out().lines()).hasSize(objects).allMatch(l -> l.endsWith(" unchanged"));
    assertThat(revision()).as("nothing sent").isEqualTo(1);
  }

  @Test
  void applyUpdatesOnlyWhatChangedAndNeverDeletes() throws Exception {
    run("create", "tenant", "acme");
    run("create", "lr", "extra", "--tenant", "acme");
    Path file = Files.writeString(dir.resolve("t.yaml"), """
        tenant: acme
        logicalSwitches: [{name: web, subnets: [10.0.1.0/24]}]
        """);
    assertThat(run("apply", "-f", file.toString()).code()).isZero();

    Files.writeString(file, """
        tenant: acme
        logicalSwitches: [{name: web, subnets: [10.0.1.0/24], mtu: 1400, labels: {zone: a}}]
        """);
    long before = revision();
    int tunnelKey = objects().stream().filter(Resource::hasLogicalSwitch).findFirst().orElseThrow()
        .getLogicalSwitch().getTunnelKey();
    Result dry = run("apply", "-f", file.toString(), "--dry-run");
    assertThat(dry.out()).isEqualTo("tenant acme unchanged\nlogical-switch acme/web would be updated (mtu, labels)\n");
    assertThat(revision()).isEqualTo(before);

    Result applied = run("apply", "-f", file.toString());
    assertThat(applied.out()).isEqualTo("tenant acme unchanged\nlogical-switch acme/web updated (mtu, labels)\n");
    assertThat(applied.err()).isEqualTo("applied at revision " + (before + 1) + "\n");
    var web = objects().stream().filter(Resource::hasLogicalSwitch).findFirst().orElseThrow();
    assertThat(web.getLogicalSwitch().getTunnelKey()).as("store-owned field kept").isEqualTo(tunnelKey);
    assertThat(objects().stream().filter(Resource::hasLogicalRouter)).as("not in the file, kept").hasSize(1);
  }

  @Test
  void applyRereadsAndRetriesAfterAConflict() throws Exception {
    Path file = Files.writeString(dir.resolve("t.yaml"), "tenant: acme\nlogicalRouters: [{name: edge}]\n");
    AtomicInteger raced = new AtomicInteger();
    beforeTxn = () -> {
      if (raced.getAndIncrement() == 0) {
        // Another client creates the same objects first: tenetctl's creates now collide.
        write(TxnOp.newBuilder().setCreate(CreateRequest.newBuilder().setResource(tenant("acme"))).build());
        write(TxnOp.newBuilder().setCreate(CreateRequest.newBuilder().setResource(router("acme", "edge"))).build());
      }
    };

    Result result = run("apply", "-f", file.toString());

    assertThat(result.code()).as(result.err()).isZero();
    assertThat(result.err()).contains("reading again (attempt 2 of 5)");
    assertThat(result.out()).isEqualTo("tenant acme unchanged\nlogical-router acme/edge unchanged\n");
    assertThat(objects()).hasSize(2);
  }

  @Test
  void applyGivesUpAfterRepeatedConflicts() throws Exception {
    run("create", "tenant", "acme", "--set", "description=old");
    Path file = Files.writeString(dir.resolve("t.yaml"), "tenant: acme\ndescription: new\n");
    AtomicInteger bumps = new AtomicInteger();
    // Someone changes the tenant each time just before tenetctl's update arrives.
    beforeTxn = () -> write(TxnOp.newBuilder().setUpdate(UpdateRequest.newBuilder()
        .setResource(Resource.newBuilder().setTenant(Tenant.newBuilder()
            .setMetadata(Metadata.newBuilder().setTenant("acme").setName("acme"))
            .setDescription("racer " + bumps.incrementAndGet())))).build());
    Result result = run("apply", "-f", file.toString());
    assertThat(result.code()).isEqualTo(1);
    assertThat(bumps.get()).isEqualTo(ApplyCommand.ATTEMPTS);
    assertThat(result.err()).containsPattern("error: revision conflict: tenant acme is at revision \\d+, not the expected \\d+:"
        + " someone changed it; read it again and retry\n$");
  }

  private static Resource tenant(String name) {
    return Resource.newBuilder().setTenant(Tenant.newBuilder()
        .setMetadata(Metadata.newBuilder().setTenant(name).setName(name))).build();
  }

  private static Resource router(String tenant, String name) {
    return Resource.newBuilder().setLogicalRouter(LogicalRouter.newBuilder()
        .setMetadata(Metadata.newBuilder().setTenant(tenant).setName(name))).build();
  }

  @Test
  void aBadTopologyFileIsAUsageErrorAndSendsNothing() throws Exception {
    Path file = Files.writeString(dir.resolve("bad.yaml"), "tenant: acme\nlogicalRouters: [{name: r, colour: red}]\n");
    Result result = run("apply", "-f", file.toString());
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).isEqualTo("error: " + file + ": document 1, logicalRouters[0]: unknown field \"colour\"\n");
    assertThat(revision()).isZero();
  }

  @Test
  void createFromAFileIsOneTransactionOfCreates() {
    Result result = run("create", "-f", DEMO.toString());
    assertThat(result.code()).as(result.err()).isZero();
    assertThat(revision()).as("one transaction").isEqualTo(1);

    Result again = run("create", "-f", DEMO.toString());
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).startsWith("error: tenant acme already exists");
  }

  @Test
  void listsFollowPages() {
    run("create", "tenant", "acme");
    for (String name : List.of("a", "b", "c")) {
      run("create", "lr", name, "--tenant", "acme", "--label", "app=" + (name.equals("b") ? "db" : "web"));
    }
    assertThat(run("list", "lr", "--page-size", "1").out().lines()).hasSize(4);
    Result onePage = run("list", "lr", "--page-size", "2", "--all-pages=false");
    assertThat(onePage.out().lines()).hasSize(3);
    assertThat(onePage.err()).startsWith("more objects: add --page-token ");
    assertThat(run("list", "lr", "-l", "app=web").out().lines()).hasSize(3);
    assertThat(run("list", "lr", "--tenant", "globex").err()).isEqualTo("no logical-router objects in tenant globex\n");
  }

  @Test
  void watchPrintsOneLinePerEvent() {
    run("create", "tenant", "acme");
    run("create", "ls", "web", "--tenant", "acme");
    run("create", "lr", "edge", "--tenant", "acme");
    run("delete", "ls", "web", "--tenant", "acme");

    // Watches follow live changes; --timeout bounds how long this one listens for more.
    assertThat(run("watch", "--from-revision", "2", "--for", "2").out()).isEqualTo("""
        2        PUT    logical-switch      acme/web
        3        PUT    logical-router      acme/edge
        4        DELETE logical-switch      acme/web
        """);
    assertThat(run("watch", "ls", "--from-revision", "1", "--for", "2").out().lines()).hasSize(2);
    assertThat(run("watch", "--from-revision", "3", "-o", "json", "--for", "2").out().lines())
        .hasSize(2)
        .first().asString().startsWith("{\"revision\":3,\"type\":\"PUT\",\"resource\":{\"logicalRouter\":");
  }

  @Test
  void watchFromACompactedRevisionSaysToRelist() {
    // This store keeps the last 5 revisions.
    for (int i = 0; i < 8; i++) {
      run("create", "tenant", "t" + i);
    }
    Result result = run("watch", "tenant", "--from-revision", "3");
    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("""
        error: revision 3 is no longer kept (the oldest kept is 4).
        List again (`tenetctl list <kind> -o yaml` shows the revision it read at), then watch with\
         --from-revision <that revision + 1>.
        """);
  }

  @Test
  void anUnreachableServerIsNamed() throws Exception {
    int port;
    try (var gone = GrpcEndpoints.startServer("127.0.0.1", 0, List.of())) {
      port = gone.port();
    }
    StringWriter err = new StringWriter();
    int code = Tenetctl.run(new String[] {"list", "ls", "--server", "127.0.0.1:" + port, "--timeout", "5"},
        Map.of(), new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).startsWith("error: cannot reach the server at 127.0.0.1:" + port
        + " (is the controller running?)");
  }

  @Test
  void serverComesFromTheConfigFile() throws Exception {
    Path config = Files.writeString(dir.resolve("tenetctl.yaml"), "server: 127.0.0.1:" + server.port() + "\n");
    StringWriter out = new StringWriter();
    int code = Tenetctl.run(new String[] {"create", "chassis", "hv1", "--config", config.toString(),
        "--set", "hostname=hv1", "--set", "tunnelIp=192.0.2.1", "--set", "encapsulations=GENEVE"},
        Map.of(), new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
    assertThat(code).isZero();
    assertThat(out.toString()).isEqualTo("chassis hv1 created (revision 1)\n");
  }
}
