package tenet.ops.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import tenet.api.v1.Resource;
import tenet.api.v1.TxnResponse;

@Command(name = "apply",
    description = {
        "Make the store match a topology file: create what is missing, update what differs, leave the rest.",
        "Reads every declared object, then submits all creates and updates in ONE transaction, each update"
            + " conditional on the revision read; if someone changed an object in between, reads again and"
            + " retries. Applying the same file twice changes nothing the second time.",
        "Each declared object is the whole object: a field or label it leaves out is reset to its default."
            + " Store-assigned fields (tunnelKey, portKey, revisions) are neither declared nor compared.",
        "apply NEVER deletes: objects in the store that the file does not mention are left alone."
            + " Remove them with `tenetctl delete`.",
        "",
        "File format (YAML; one document per tenant, separated by ---):",
        "  tenant: acme                 # the document declares this tenant",
        "  description: Acme Corp       # optional",
        "  labels: {tier: gold}         # optional",
        "  logicalSwitches:    [{name: web, subnets: [10.0.1.0/24]}]",
        "  logicalSwitchPorts: [{name: web-1, logicalSwitch: web, mac: \"02:00:00:00:00:01\", ips: [10.0.1.11],"
            + " labels: {app: web}}]",
        "  logicalRouters, logicalRouterPorts, staticRoutes, securityGroups, natRules, announcedPrefixes,"
            + " portBindings: likewise",
        "  ---",
        "  chassis:                     # a document without tenant: declares infrastructure",
        "    - {name: hv1, hostname: hv1, tunnelIp: 192.0.2.1, encapsulations: [GENEVE]}",
        "Items are the resource's proto JSON fields (camelCase or snake_case), with name and labels at the"
            + " top instead of under metadata. A port binding's name defaults to its logicalPort.",
        ""})
final class ApplyCommand implements Callable<Integer> {
  static final int ATTEMPTS = 5;

  @ParentCommand
  Tenetctl root;

  @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The topology file.")
  Path file;

  @Option(names = "--dry-run", description = "Print what would be done; change nothing.")
  boolean dryRun;

  @Override
  public Integer call() {
    List<Resource> declared = TopologyParser.parse(file);
    if (declared.isEmpty()) {
      throw new UsageException(file + ": declares no objects");
    }
    NorthboundClient client = root.client();
    Printer printer = root.printer();
    for (int attempt = 1; ; attempt++) {
      ApplyPlan plan = ApplyPlanner.plan(declared, client::find);
      if (dryRun || !plan.hasChanges()) {
        plan.steps().forEach(s -> printer.line(line(s, dryRun)));
        return 0;
      }
      TxnResponse response;
      try {
        response = client.txn(plan.txn());
      } catch (StatusRuntimeException e) {
        if (attempt < ATTEMPTS && raced(e)) {
          root.err().println("someone changed the objects meanwhile (" + e.getStatus().getCode()
              + "); reading again (attempt " + (attempt + 1) + " of " + ATTEMPTS + ")");
          continue;
        }
        throw new TxnRejected(e, plan.changes().stream().map(ApplyPlan.Step::ref).toList());
      }
      plan.steps().forEach(s -> printer.line(line(s, false)));
      // stdout stays one line per object for scripts; the revision is for people.
      root.err().println("applied at revision " + response.getRevision());
      return 0;
    }
  }

  /**
   * A conflict on an update's revision, or a create beaten by someone else's: the plan was
   * right when made, so make it again. Anything else would fail the same way twice.
   */
  private static boolean raced(StatusRuntimeException e) {
    Status.Code code = e.getStatus().getCode();
    return code == Status.Code.ABORTED || code == Status.Code.ALREADY_EXISTS;
  }

  /** "logical-switch acme/web updated (subnets, labels)"; under --dry-run, "would be updated". */
  static String line(ApplyPlan.Step step, boolean dryRun) {
    String action = step.action() == ApplyPlan.Action.UNCHANGED || !dryRun
        ? step.action().done() : "would be " + step.action().done();
    String fields = step.changedFields().isEmpty() ? "" : " (" + String.join(", ", step.changedFields()) + ")";
    return ObjectRefs.describe(step.ref()) + " " + action + fields;
  }
}
