package tenet.store.rpc;

import io.grpc.stub.ServerCallStreamObserver;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import tenet.api.v1.Event;
import tenet.api.v1.Kind;
import tenet.api.v1.WatchRequest;
import tenet.api.v1.WatchResponse;
import tenet.store.core.WatchHistory;
import tenet.api.Resources;
import tenet.store.model.ResourceKey;
import tenet.store.ratis.StoreStateMachine;
import tenet.store.status.StatusCodec;

/**
 * Serves watches from this peer's {@link WatchHistory}. The history is the only buffer: each
 * stream keeps a cursor and sends while the client keeps up (gRPC flow control), so a slow
 * watcher costs no memory; one that falls behind the kept history is told to relist.
 */
final class WatchHub {
  private static final int BATCH = 256;

  private final WatchHistory history;
  private final Executor executor;
  private final Set<Stream> streams = ConcurrentHashMap.newKeySet();

  WatchHub(StoreStateMachine stateMachine, Executor executor) {
    this.history = stateMachine.history();
    this.executor = executor;
    stateMachine.addListener(r -> streams.forEach(Stream::schedule));
  }

  void open(WatchRequest request, ServerCallStreamObserver<WatchResponse> out) {
    if (request.getStartRevision() < 0) {
      out.onError(io.grpc.Status.INVALID_ARGUMENT
          .withDescription("start_revision: must be 0 (from now on) or a revision, got " + request.getStartRevision())
          .asRuntimeException());
      return;
    }
    long from = request.getStartRevision() == 0 ? history.latest() + 1 : request.getStartRevision();
    Stream stream = new Stream(request, out, from);
    out.setOnCancelHandler(stream::close);
    out.setOnReadyHandler(stream::schedule);
    streams.add(stream);
    stream.schedule();
  }

  private final class Stream {
    private final WatchRequest filter;
    private final ServerCallStreamObserver<WatchResponse> out;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile boolean closed;
    private long next;

    Stream(WatchRequest filter, ServerCallStreamObserver<WatchResponse> out, long from) {
      this.filter = filter;
      this.out = out;
      this.next = from;
    }

    void schedule() {
      if (!closed && pending.getAndIncrement() == 0) {
        executor.execute(this::drain);
      }
    }

    void close() {
      closed = true;
      streams.remove(this);
    }

    // Runs on one thread at a time: schedule() only starts it when no drain is pending.
    private void drain() {
      do {
        try {
          while (!closed && out.isReady()) {
            var batch = history.read(next, BATCH);
            if (batch.isEmpty()) {
              break;
            }
            for (WatchResponse r : batch) {
              WatchResponse selected = select(r);
              if (selected != null) {
                out.onNext(selected);
              }
              next = r.getRevision() + 1;
            }
          }
        } catch (WatchHistory.CompactedException e) {
          close();
          out.onError(GrpcStatuses.of(StatusCodec.toStatus(e.error())));
          return;
        } catch (RuntimeException e) {
          // The call was cancelled or failed underneath us; stop serving it.
          close();
          return;
        }
      } while (pending.decrementAndGet() != 0);
    }

    private WatchResponse select(WatchResponse r) {
      boolean byKind = filter.getKind() != Kind.KIND_UNSPECIFIED;
      boolean byTenant = !filter.getTenant().isEmpty();
      if (!byKind && !byTenant) {
        return r;
      }
      WatchResponse.Builder b = WatchResponse.newBuilder().setRevision(r.getRevision());
      for (Event e : r.getEventsList()) {
        var key = ResourceKey.of(e.getResource());
        if ((!byKind || key.kind() == filter.getKind()) && (!byTenant || key.tenant().equals(filter.getTenant()))) {
          b.addEvents(e);
        }
      }
      return b.getEventsCount() == 0 ? null : b.build();
    }
  }
}
