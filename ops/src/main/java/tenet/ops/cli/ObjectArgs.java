package tenet.ops.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tenet.api.v1.ObjectRef;

/** "KIND NAME [--tenant T]": how get, update and delete name one object. */
final class ObjectArgs {
  @Parameters(index = "0", paramLabel = "KIND", converter = KindConverter.class,
      description = "The kind of object (see tenetctl --help).")
  ResourceKind kind;

  @Parameters(index = "1", paramLabel = "NAME", description = "Its name.")
  String name;

  @Option(names = "--tenant", paramLabel = "TENANT", description = Tenetctl.TENANT_HELP)
  String tenant;

  ObjectRef ref() {
    return ObjectRefs.of(kind, tenant, name);
  }
}
