package tenet.ops.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tenet.api.v1.Consistency;

@Command(name = "get", description = "Show one object.")
final class GetCommand implements Callable<Integer> {
  @ParentCommand
  Tenetctl root;

  @Parameters(index = "0", paramLabel = "KIND", converter = KindConverter.class,
      description = "The kind of object (see tenetctl --help).")
  ResourceKind kind;

  @Parameters(index = "1", paramLabel = "NAME", description = "Its name.")
  String name;

  @Option(names = "--tenant", paramLabel = "TENANT", description = Tenetctl.TENANT_HELP)
  String tenant;

  @Option(names = "--stale", description = "Read the answering node's local state, which may lag behind.")
  boolean stale;

  @Override
  public Integer call() {
    var ref = ObjectRefs.of(kind, tenant, name);
    root.printer().resource(root.client().get(ref, stale ? Consistency.STALE : Consistency.LINEARIZABLE));
    return 0;
  }
}
