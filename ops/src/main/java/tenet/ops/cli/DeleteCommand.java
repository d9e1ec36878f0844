package tenet.ops.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tenet.api.v1.DeleteResponse;

@Command(name = "delete", description = "Delete one object. Refused while other objects still refer to it.")
final class DeleteCommand implements Callable<Integer> {
  @ParentCommand
  Tenetctl root;

  @Parameters(index = "0", paramLabel = "KIND", converter = KindConverter.class,
      description = "The kind of object (see tenetctl --help).")
  ResourceKind kind;

  @Parameters(index = "1", paramLabel = "NAME", description = "Its name.")
  String name;

  @Option(names = "--tenant", paramLabel = "TENANT", description = Tenetctl.TENANT_HELP)
  String tenant;

  @Option(names = "--expected-revision", paramLabel = "R", description = "Delete only if the object is at this revision.")
  long expectedRevision;

  @Override
  public Integer call() {
    var ref = ObjectRefs.of(kind, tenant, name);
    DeleteResponse response = root.client().delete(ref, expectedRevision);
    root.printer().changed(ObjectRefs.describe(ref) + " deleted (revision " + response.getRevision() + ")", response);
    return 0;
  }
}
