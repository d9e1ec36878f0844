package tenet.ops.cli;

import tenet.api.Resources;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import tenet.api.v1.Consistency;
import tenet.api.v1.Resource;

@Command(name = "update",
    description = {"Change fields or labels of one object. Reads it, applies the changes, and writes it back"
        + " only if nobody changed it in between (or at --expected-revision).",
        "  tenetctl update lsp web-1 --tenant acme --set ips=10.0.0.11,10.0.0.12 --label app=web --label old-"})
final class UpdateCommand implements Callable<Integer> {
  @ParentCommand
  Tenetctl root;

  @Mixin
  ObjectArgs object;

  @Option(names = "--label", paramLabel = "KEY=VALUE|KEY-", description = "Set a label, or remove it with KEY-.")
  List<String> labels;

  @Option(names = "--set", paramLabel = "FIELD=VALUE", description = "Replace a field (see create --help).")
  List<String> sets;

  @Option(names = "--expected-revision", paramLabel = "R",
      description = "Write only if the object is at this revision (default: the revision just read).")
  Long expectedRevision;

  @Override
  public Integer call() {
    ResourceEdit edit = ResourceEdit.parse(sets, labels);
    if (edit.isEmpty()) {
      throw new UsageException("nothing to update: give --set FIELD=VALUE or --label KEY=VALUE");
    }
    var ref = object.ref();
    Resource current = root.client().get(ref, Consistency.LINEARIZABLE);
    Resource wanted = edit.applyTo(current);
    long revision = Resources.metadata(current).getRevision();
    if (wanted.equals(current) && expectedRevision == null) {
      root.printer().changed(ObjectRefs.describe(ref) + " unchanged (revision " + revision + ")", current);
      return 0;
    }
    Resource updated = root.client().update(wanted, expectedRevision != null ? expectedRevision : revision);
    root.printer().changed(ObjectRefs.describe(ref) + " updated (revision "
        + Resources.metadata(updated).getRevision() + ")", updated);
    return 0;
  }
}
