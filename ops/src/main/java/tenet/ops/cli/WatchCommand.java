package tenet.ops.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Iterator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tenet.api.v1.Event;
import tenet.api.v1.WatchRequest;
import tenet.api.v1.WatchResponse;

@Command(name = "watch",
    description = {"Print changes as they happen, one line per event: revision, PUT or DELETE, kind, tenant/name.",
        "With --from-revision, first replays the kept history from there. If that revision is no longer kept,"
            + " list again and watch from the listed revision + 1."})
final class WatchCommand implements Callable<Integer> {
  @ParentCommand
  Tenetctl root;

  @Parameters(index = "0", arity = "0..1", paramLabel = "KIND", converter = KindConverter.class,
      description = "Only this kind (default: every kind).")
  ResourceKind kind;

  @Option(names = "--tenant", paramLabel = "TENANT", description = "Only this tenant's objects.")
  String tenant;

  @Option(names = "--from-revision", paramLabel = "R", description = "Start at revision R (default: from now on).")
  long fromRevision;

  @Option(names = "--for", paramLabel = "SECONDS",
      description = "Stop after this many seconds and exit 0 (default: watch until interrupted).")
  long forSeconds;

  @Override
  public Integer call() {
    if (fromRevision < 0) {
      throw new UsageException("--from-revision must be 0 (from now on) or a revision");
    }
    WatchRequest.Builder request = WatchRequest.newBuilder().setStartRevision(fromRevision);
    if (kind != null) {
      request.setKind(kind.kind());
    }
    if (tenant != null) {
      request.setTenant(tenant);
    }
    Printer printer = root.printer();
    if (forSeconds < 0) {
      throw new UsageException("--for must be a positive number of seconds");
    }
    Iterator<WatchResponse> stream = root.client().watch(request.build(), forSeconds);
    try {
      while (stream.hasNext()) {
        WatchResponse response = stream.next();
        for (Event event : response.getEventsList()) {
          printer.event(response.getRevision(), event);
        }
      }
    } catch (StatusRuntimeException e) {
      // The time asked for with --for is up: a normal end, not an error.
      if (forSeconds > 0 && e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
        return 0;
      }
      throw e;
    }
    return 0;
  }
}
