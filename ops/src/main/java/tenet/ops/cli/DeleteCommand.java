package tenet.ops.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import tenet.api.v1.DeleteResponse;

@Command(name = "delete", description = "Delete one object. Refused while other objects still refer to it.")
final class DeleteCommand implements Callable<Integer> {
  @ParentCommand
  Tenetctl root;

  @Mixin
  ObjectArgs object;

  @Option(names = "--expected-revision", paramLabel = "R", description = "Delete only if the object is at this revision.")
  long expectedRevision;

  @Override
  public Integer call() {
    var ref = object.ref();
    DeleteResponse response = root.client().delete(ref, expectedRevision);
    root.printer().changed(ObjectRefs.describe(ref) + " deleted (revision " + response.getRevision() + ")", response);
    return 0;
  }
}
