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

/** The whole command line against an in-memory northbound server over real gRPC. */
class TenetctlTest {
  private static final Path DEMO = Path.of(System.getProperty("user.dir")).getParent()
      .resolve("docs/examples/demo-topology.yaml");

  @TempDir
  Path dir;

  private FakeNorthbound fake;
  private GrpcEndpoints.RunningServer server;

  record Result(int code, String out, String err) {}

  @BeforeEach
  void start() throws Exception {
    fake = new FakeNorthbound();
    server = GrpcEndpoints.startServer("127.0.0.1", 0, List.of(fake));
  }

  @AfterEach
  void stop() {
    server.close();
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
    Result created = run("create", "ls", "web", "--tenant", "acme", "--set", "subnets=10.0.0.0/24,fd00::/64",
        "--label", "zone=a");
    assertThat(created.code()).as(created.err()).isZero();
    assertThat(created.out()).isEqualTo("logical-switch acme/web created (revision 1)\n");

    Result got = run("get", "logical-switch", "web", "--tenant", "acme", "-o", "json");
    assertThat(got.code()).isZero();
    Resource.Builder parsed = Resource.newBuilder();
    JsonFormat.parser().merge(got.out(), parsed);
    assertThat(parsed.getLogicalSwitch().getSubnetsList()).containsExactly("10.0.0.0/24", "fd00::/64");
    assertThat(parsed.getLogicalSwitch().getMetadata().getLabelsMap()).isEqualTo(Map.of("zone", "a"));

    assertThat(run("get", "ls", "web", "--tenant", "acme").out())
        .startsWith("TENANT   NAME   SUBNETS                 MTU   TUNNEL-KEY   REVISION   AGE\n")
        .contains("acme     web    10.0.0.0/24,fd00::/64   -     1            1          ");

    Result updated = run("update", "ls", "web", "--tenant", "acme", "--set", "mtu=1400", "--label", "zone-");
    assertThat(updated.code()).as(updated.err()).isZero();
    assertThat(updated.out()).isEqualTo("logical-switch acme/web updated (revision 2)\n");
    Resource stored = fake.objects().values().iterator().next();
    assertThat(stored.getLogicalSwitch().getMtu()).isEqualTo(1400);
    assertThat(stored.getLogicalSwitch().getSubnetsCount()).isEqualTo(2);
    assertThat(stored.getLogicalSwitch().getMetadata().getLabelsMap()).isEmpty();

    assertThat(run("update", "ls", "web", "--tenant", "acme", "--set", "mtu=1400").out())
        .isEqualTo("logical-switch acme/web unchanged (revision 2)\n");

    Result yaml = run("list", "ls", "-o", "yaml");
    assertThat(yaml.out()).contains("items:", "- logicalSwitch:", "mtu: 1400", "revision: '2'");

    Result deleted = run("delete", "ls", "web", "--tenant", "acme");
    assertThat(deleted.out()).isEqualTo("logical-switch acme/web deleted (revision 3)\n");
    assertThat(fake.objects()).isEmpty();
  }

  @Test
  void apiErrorsExitOneAndSayWhatIsWrong() {
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
    assertThat(conflict.err()).isEqualTo("error: revision conflict: logical-switch acme/web is at revision 1,"
        + " not the expected 7: someone changed it; read it again and retry\n");

    Result deleteConflict = run("delete", "ls", "web", "--tenant", "acme", "--expected-revision", "9");
    assertThat(deleteConflict.code()).isEqualTo(1);
    assertThat(fake.objects()).hasSize(1);
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
    assertThat(fake.revision()).isZero();
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
    int objects = fake.objects().size();
    assertThat(objects).isEqualTo(TopologyParser.parse(DEMO).size());
    assertThat(first.out().lines().filter(l -> l.endsWith(" created"))).hasSize(objects);
    assertThat(first.out()).contains("tenant acme created", "logical-switch globex/frontend created",
        "chassis hv1 created", "port-binding acme/web-1 created");
    assertThat(first.err()).isEqualTo("applied at revision 1\n");
    assertThat(fake.txns()).hasSize(1);

    Result second = run("apply", "-f", DEMO.toString());
    assertThat(second.code()).isZero();
    assertThat(second.out().lines()).hasSize(objects).allMatch(l -> l.endsWith(" unchanged"));
    assertThat(fake.txns()).as("nothing to send").hasSize(1);
    assertThat(fake.revision()).isEqualTo(1);
  }

  @Test
  void applyUpdatesOnlyWhatChangedAndNeverDeletes() throws Exception {
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
    long before = fake.revision();
    int txns = fake.txns().size();
    Result dry = run("apply", "-f", file.toString(), "--dry-run");
    assertThat(dry.out()).isEqualTo("tenant acme unchanged\nlogical-switch acme/web would be updated (mtu, labels)\n");
    assertThat(fake.txns()).hasSize(txns);
    assertThat(fake.revision()).isEqualTo(before);

    Result applied = run("apply", "-f", file.toString());
    assertThat(applied.out()).isEqualTo("tenant acme unchanged\nlogical-switch acme/web updated (mtu, labels)\n");
    assertThat(applied.err()).isEqualTo("applied at revision " + (before + 1) + "\n");
    var web = fake.objects().values().stream().filter(Resource::hasLogicalSwitch).findFirst().orElseThrow();
    assertThat(web.getLogicalSwitch().getTunnelKey()).as("store-owned field kept").isEqualTo(1);
    assertThat(fake.objects().values().stream().filter(Resource::hasLogicalRouter)).as("not in the file, kept").hasSize(1);
  }

  @Test
  void applyRereadsAndRetriesAfterAConflict() throws Exception {
    Path file = Files.writeString(dir.resolve("t.yaml"), "tenant: acme\nlogicalRouters: [{name: edge}]\n");
    fake.txnFailures.add(FakeNorthbound.conflict(
        ObjectRef.newBuilder().setKind(Kind.LOGICAL_ROUTER).setTenant("acme").setName("edge").build(), 3, 4));

    Result result = run("apply", "-f", file.toString());

    assertThat(result.code()).as(result.err()).isZero();
    assertThat(result.err()).contains("reading again (attempt 2 of 5)");
    assertThat(fake.txns()).hasSize(2);
    assertThat(fake.objects()).hasSize(2);
  }

  @Test
  void applyGivesUpAfterRepeatedConflicts() throws Exception {
    Path file = Files.writeString(dir.resolve("t.yaml"), "tenant: acme\n");
    ObjectRef ref = ObjectRef.newBuilder().setKind(Kind.TENANT).setTenant("acme").setName("acme").build();
    for (int i = 0; i < ApplyCommand.ATTEMPTS; i++) {
      fake.txnFailures.add(FakeNorthbound.conflict(ref, 1, 2));
    }
    Result result = run("apply", "-f", file.toString());
    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err()).endsWith("error: revision conflict: tenant acme is at revision 2, not the expected 1:"
        + " someone changed it; read it again and retry\n");
  }

  @Test
  void aBadTopologyFileIsAUsageErrorAndSendsNothing() throws Exception {
    Path file = Files.writeString(dir.resolve("bad.yaml"), "tenant: acme\nlogicalRouters: [{name: r, colour: red}]\n");
    Result result = run("apply", "-f", file.toString());
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).isEqualTo("error: " + file + ": document 1, logicalRouters[0]: unknown field \"colour\"\n");
    assertThat(fake.txns()).isEmpty();
  }

  @Test
  void createFromAFileIsOneTransactionOfCreates() {
    Result result = run("create", "-f", DEMO.toString());
    assertThat(result.code()).as(result.err()).isZero();
    assertThat(fake.txns()).hasSize(1);
    assertThat(fake.txns().get(0).getOpsList()).allMatch(op -> op.hasCreate());

    Result again = run("create", "-f", DEMO.toString());
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).startsWith("error: tenant acme already exists");
  }

  @Test
  void listsFollowPages() {
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
    run("create", "ls", "web", "--tenant", "acme");
    run("create", "lr", "edge", "--tenant", "acme");
    run("delete", "ls", "web", "--tenant", "acme");

    assertThat(run("watch", "--from-revision", "1").out()).isEqualTo("""
        1        PUT    logical-switch      acme/web
        2        PUT    logical-router      acme/edge
        3        DELETE logical-switch      acme/web
        """);
    assertThat(run("watch", "ls", "--from-revision", "1").out().lines()).hasSize(2);
    assertThat(run("watch", "--from-revision", "2", "-o", "json").out().lines())
        .hasSize(2)
        .first().asString().startsWith("{\"revision\":2,\"type\":\"PUT\",\"resource\":{\"logicalRouter\":");
  }

  @Test
  void watchFromACompactedRevisionSaysToRelist() {
    fake.oldestKept = 50;
    Result result = run("watch", "ls", "--from-revision", "3");
    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("""
        error: revision 3 is no longer kept (the oldest kept is 50).
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
        "--set", "hostname=hv1", "--set", "encapsulations=GENEVE"},
        Map.of(), new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
    assertThat(code).isZero();
    assertThat(out.toString()).isEqualTo("chassis hv1 created (revision 1)\n");
  }
}
