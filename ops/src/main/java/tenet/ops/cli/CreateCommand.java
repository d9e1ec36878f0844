package tenet.ops.cli;

import tenet.api.Resources;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tenet.api.v1.Resource;
import tenet.api.v1.TxnResponse;

@Command(name = "create",
    description = {"Create one object, or every object of a topology file in one transaction.",
        "Fields are set by their proto JSON names (camelCase or snake_case); repeated fields take a"
            + " comma list, message fields JSON, nested fields a dotted path:",
        "  tenetctl create ls web --tenant acme --set subnets=10.0.0.0/24,fd00::/64",
        "  tenetctl create sg ssh --tenant acme --set portSelector.expression=app=web \\",
        "      --set 'rules=[{\"direction\":\"INGRESS\",\"action\":\"ALLOW\",",
        "                     \"protocol\":\"TCP\",\"portMin\":22}]'",
        "  tenetctl create -f topology.yaml      (fails if any object exists; see apply)"})
final class CreateCommand implements Callable<Integer> {
  @ParentCommand
  Tenetctl root;

  @Parameters(index = "0", arity = "0..1", paramLabel = "KIND", converter = KindConverter.class,
      description = "The kind of object (see Kinds below).")
  ResourceKind kind;

  @Parameters(index = "1", arity = "0..1", paramLabel = "NAME",
      description = "Its name; a port binding's name is the port it binds.")
  String name;

  @Option(names = "--tenant", paramLabel = "TENANT", description = Tenetctl.TENANT_HELP)
  String tenant;

  @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label; repeat for more.")
  List<String> labels;

  @Option(names = "--set", paramLabel = "FIELD=VALUE", description = "A field; repeat for more.")
  List<String> sets;

  @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "A topology file (see apply --help).")
  Path file;

  @Override
  public Integer call() {
    if (file != null) {
      if (kind != null || name != null || tenant != null || labels != null || sets != null) {
        throw new UsageException("create -f takes everything from the file: drop KIND, NAME and the options");
      }
      return fromFile();
    }
    if (kind == null || name == null) {
      throw new UsageException("create needs KIND and NAME, or -f FILE");
    }
    Resource resource = ResourceEdit.parse(sets, labels).create(ObjectRefs.of(kind, tenant, name));
    Resource created = root.client().create(resource);
    root.printer().changed(ObjectRefs.describe(Resources.ref(created)) + " created (revision "
        + Resources.metadata(created).getRevision() + ")", created);
    return 0;
  }

  private int fromFile() {
    // Planned against an empty store, every object is a create: the transaction then fails
    // with ALREADY_EXISTS rather than touching anything that is there.
    ApplyPlan plan = ApplyPlanner.plan(TopologyParser.parse(file), ref -> Optional.empty());
    if (!plan.hasChanges()) {
      throw new UsageException(file + ": declares no objects");
    }
    TxnResponse response;
    try {
      response = root.client().txn(plan.txn());
    } catch (io.grpc.StatusRuntimeException e) {
      throw new TxnRejected(e, plan.changes().stream().map(ApplyPlan.Step::ref).toList());
    }
    Printer printer = root.printer();
    if (printer.format() != OutputFormat.TABLE) {
      printer.changed("", response);
      return 0;
    }
    for (ApplyPlan.Step step : plan.changes()) {
      printer.line(ObjectRefs.describe(step.ref()) + " created");
    }
    root.err().println("created at revision " + response.getRevision());
    return 0;
  }
}
