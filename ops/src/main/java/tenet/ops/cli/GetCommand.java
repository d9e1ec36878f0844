package tenet.ops.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import tenet.api.v1.Consistency;

@Command(name = "get", description = "Show one object.")
final class GetCommand implements Callable<Integer> {
  @ParentCommand
  Tenetctl root;

  @Mixin
  ObjectArgs object;

  @Option(names = "--stale", description = "Read the answering node's local state, which may lag behind.")
  boolean stale;

  @Override
  public Integer call() {
    var ref = object.ref();
    root.printer().resource(root.client().get(ref, stale ? Consistency.STALE : Consistency.LINEARIZABLE));
    return 0;
  }
}
