package tenet.ops.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tenet.api.v1.Consistency;
import tenet.api.v1.ListRequest;
import tenet.api.v1.ListResponse;

@Command(name = "list", description = "List objects of one kind, in every tenant unless --tenant is given.")
final class ListCommand implements Callable<Integer> {
  @ParentCommand
  Tenetctl root;

  @Parameters(index = "0", paramLabel = "KIND", converter = KindConverter.class,
      description = "The kind of object (see tenetctl --help).")
  ResourceKind kind;

  @Option(names = "--tenant", paramLabel = "TENANT", description = "Only this tenant's objects (default: every tenant).")
  String tenant;

  @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR",
      description = "Label selector, e.g. 'app=web,tier!=db,env in (prod,stage),!legacy'.")
  String selector;

  @Option(names = "--page-size", paramLabel = "N", description = "Objects per call (server default 500, at most 5000).")
  int pageSize;

  @Option(names = "--all-pages", arity = "0..1", defaultValue = "true", fallbackValue = "true", paramLabel = "BOOL",
      description = "Follow page tokens to the end (default: ${DEFAULT-VALUE}); --all-pages=false prints one page.")
  boolean allPages;

  @Option(names = "--page-token", paramLabel = "TOKEN", description = "Continue from a previous page.")
  String pageToken;

  @Option(names = "--stale", description = "Read the answering node's local state, which may lag behind.")
  boolean stale;

  @Override
  public Integer call() {
    ListRequest request = ListRequest.newBuilder()
        .setKind(kind.kind())
        .setTenant(tenant == null ? "" : tenant)
        .setLabelSelector(selector == null ? "" : selector)
        .setPageSize(pageSize)
        .setPageToken(pageToken == null ? "" : pageToken)
        .setConsistency(stale ? Consistency.STALE : Consistency.LINEARIZABLE)
        .build();
    ListResponse list = allPages ? root.client().listAll(request) : root.client().list(request);
    if (list.getItemsCount() == 0 && root.printer().format() == OutputFormat.TABLE) {
      root.err().println("no " + kind.cliName() + " objects" + (tenant == null ? "" : " in tenant " + tenant));
      return 0;
    }
    root.printer().list(kind, list);
    if (!list.getNextPageToken().isEmpty() && root.printer().format() == OutputFormat.TABLE) {
      root.err().println("more objects: add --page-token " + list.getNextPageToken());
    }
    return 0;
  }
}
