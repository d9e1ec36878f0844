package tenet.ops.cli;

import com.google.protobuf.Any;
import com.google.protobuf.Timestamp;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.ResourceInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import tenet.api.v1.CreateRequest;
import tenet.api.v1.DeleteRequest;
import tenet.api.v1.DeleteResponse;
import tenet.api.v1.Event;
import tenet.api.v1.EventType;
import tenet.api.v1.GetRequest;
import tenet.api.v1.Kind;
import tenet.api.v1.ListRequest;
import tenet.api.v1.ListResponse;
import tenet.api.v1.Metadata;
import tenet.api.v1.NorthboundGrpc;
import tenet.api.v1.ObjectRef;
import tenet.api.v1.Resource;
import tenet.api.v1.TxnOp;
import tenet.api.v1.TxnRequest;
import tenet.api.v1.TxnResponse;
import tenet.api.v1.UpdateRequest;
import tenet.api.v1.WatchRequest;
import tenet.api.v1.WatchResponse;

/**
 * An in-memory northbound server speaking the documented contract (revisions, expected-revision
 * checks, error details, paging, watch history), enough to drive tenetctl end to end until the
 * real controller is on this branch. No field validation or reference checks.
 */
final class FakeNorthbound extends NorthboundGrpc.NorthboundImplBase {
  private final TreeMap<String, Resource> objects = new TreeMap<>();
  private final List<WatchResponse> history = new ArrayList<>();
  private long revision;
  private int nextTunnelKey = 1;
  volatile long oldestKept = 1;
  final Deque<StatusRuntimeException> txnFailures = new ArrayDeque<>();
  private final List<TxnRequest> txns = new ArrayList<>();

  private static String key(ObjectRef ref) {
    String tenant = ref.getKind() == Kind.TENANT && ref.getTenant().isEmpty() ? ref.getName() : ref.getTenant();
    return String.format("%02d/%s/%s", ref.getKind().getNumber(), tenant, ref.getName());
  }

  synchronized Map<String, Resource> objects() {
    return Map.copyOf(objects);
  }

  synchronized List<TxnRequest> txns() {
    return List.copyOf(txns);
  }

  synchronized long revision() {
    return revision;
  }

  @Override
  public void create(CreateRequest request, StreamObserver<Resource> out) {
    reply(out, () -> commit(TxnRequest.newBuilder().addOps(TxnOp.newBuilder().setCreate(request)).build()).getResults(0));
  }

  @Override
  public void update(UpdateRequest request, StreamObserver<Resource> out) {
    reply(out, () -> commit(TxnRequest.newBuilder().addOps(TxnOp.newBuilder().setUpdate(request)).build()).getResults(0));
  }

  @Override
  public void delete(DeleteRequest request, StreamObserver<DeleteResponse> out) {
    reply(out, () -> DeleteResponse.newBuilder().setRevision(
        commit(TxnRequest.newBuilder().addOps(TxnOp.newBuilder().setDelete(request)).build()).getRevision()).build());
  }

  @Override
  public void txn(TxnRequest request, StreamObserver<TxnResponse> out) {
    reply(out, () -> {
      synchronized (this) {
        txns.add(request);
        StatusRuntimeException injected = txnFailures.poll();
        if (injected != null) {
          throw injected;
        }
      }
      return commit(request);
    });
  }

  @Override
  public void get(GetRequest request, StreamObserver<Resource> out) {
    reply(out, () -> {
      synchronized (this) {
        Resource r = objects.get(key(request.getRef()));
        if (r == null) {
          throw error(Code.NOT_FOUND, request.getRef(), "");
        }
        return r;
      }
    });
  }

  @Override
  public void list(ListRequest request, StreamObserver<ListResponse> out) {
    reply(out, () -> {
      synchronized (this) {
        int size = request.getPageSize() == 0 ? 500 : request.getPageSize();
        ListResponse.Builder page = ListResponse.newBuilder().setRevision(revision);
        String after = request.getPageToken();
        String last = null;
        for (Map.Entry<String, Resource> e : objects.entrySet()) {
          Resource r = e.getValue();
          Metadata m = Envelope.metadata(r);
          if (ResourceKind.of(r).kind() != request.getKind() || e.getKey().compareTo(after) <= 0
              || (!request.getTenant().isEmpty() && !request.getTenant().equals(m.getTenant()))
              || !selects(request.getLabelSelector(), m)) {
            continue;
          }
          if (page.getItemsCount() == size) {
            page.setNextPageToken(last);
            break;
          }
          page.addItems(r);
          last = e.getKey();
        }
        return page.build();
      }
    });
  }

  /** Equality terms only ("a=b,c=d"): enough for the tests. */
  private static boolean selects(String selector, Metadata m) {
    if (selector.isEmpty()) {
      return true;
    }
    for (String term : selector.split(",")) {
      String[] kv = term.split("=", 2);
      if (!kv[1].equals(m.getLabelsMap().get(kv[0]))) {
        return false;
      }
    }
    return true;
  }

  /** Replays the kept history from start_revision and ends the stream (the real one goes on). */
  @Override
  public void watch(WatchRequest request, StreamObserver<WatchResponse> out) {
    synchronized (this) {
      if (request.getStartRevision() != 0 && request.getStartRevision() < oldestKept) {
        out.onError(StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
            .setCode(Code.OUT_OF_RANGE_VALUE).setMessage("compacted")
            .addDetails(Any.pack(ErrorInfo.newBuilder().setReason("COMPACTED")
                .putMetadata("requested_revision", Long.toString(request.getStartRevision()))
                .putMetadata("oldest_revision", Long.toString(oldestKept)).build()))
            .build()));
        return;
      }
      for (WatchResponse response : history) {
        if (response.getRevision() < request.getStartRevision()) {
          continue;
        }
        List<Event> events = response.getEventsList().stream()
            .filter(e -> request.getKind() == Kind.KIND_UNSPECIFIED
                || ResourceKind.of(e.getResource()).kind() == request.getKind())
            .filter(e -> request.getTenant().isEmpty()
                || Envelope.metadata(e.getResource()).getTenant().equals(request.getTenant()))
            .toList();
        if (!events.isEmpty()) {
          out.onNext(response.toBuilder().clearEvents().addAllEvents(events).build());
        }
      }
    }
    out.onCompleted();
  }

  private synchronized TxnResponse commit(TxnRequest txn) {
    TreeMap<String, Resource> draft = new TreeMap<>(objects);
    long next = revision + 1;
    Timestamp now = Timestamp.newBuilder().setSeconds(System.currentTimeMillis() / 1000).build();
    TxnResponse.Builder response = TxnResponse.newBuilder().setRevision(next);
    List<Event> events = new ArrayList<>();
    for (TxnOp op : txn.getOpsList()) {
      switch (op.getOpCase()) {
        case CREATE -> {
          Resource in = op.getCreate().getResource();
          ObjectRef ref = ref(in);
          if (draft.containsKey(key(ref))) {
            throw error(Code.ALREADY_EXISTS, ref, "");
          }
          Metadata m = Envelope.metadata(in).toBuilder().setTenant(key(ref).split("/", -1)[1])
              .setId(UUID.randomUUID().toString()).setRevision(next).setCreateRevision(next)
              .setCreateTime(now).setUpdateTime(now).build();
          Resource stored = Envelope.withMetadata(in, m);
          if (stored.hasLogicalSwitch()) {
            stored = stored.toBuilder().setLogicalSwitch(stored.getLogicalSwitch().toBuilder()
                .setTunnelKey(nextTunnelKey++)).build();
          }
          draft.put(key(ref), stored);
          response.addResults(stored);
          events.add(Event.newBuilder().setType(EventType.PUT).setResource(stored).build());
        }
        case UPDATE -> {
          Resource in = op.getUpdate().getResource();
          ObjectRef ref = ref(in);
          Resource before = draft.get(key(ref));
          if (before == null) {
            throw error(Code.NOT_FOUND, ref, "");
          }
          long expected = op.getUpdate().getExpectedRevision();
          Metadata old = Envelope.metadata(before);
          if (expected != 0 && expected != old.getRevision()) {
            throw conflict(ref, expected, old.getRevision());
          }
          Resource stored = Envelope.withMetadata(in, old.toBuilder().clearLabels()
              .putAllLabels(Envelope.metadata(in).getLabelsMap()).setRevision(next).setUpdateTime(now).build());
          if (stored.hasLogicalSwitch()) {
            stored = stored.toBuilder().setLogicalSwitch(stored.getLogicalSwitch().toBuilder()
                .setTunnelKey(before.getLogicalSwitch().getTunnelKey())).build();
          }
          draft.put(key(ref), stored);
          response.addResults(stored);
          events.add(Event.newBuilder().setType(EventType.PUT).setResource(stored).build());
        }
        case DELETE -> {
          ObjectRef ref = op.getDelete().getRef();
          Resource before = draft.remove(key(ref));
          if (before == null) {
            throw error(Code.NOT_FOUND, ref, "");
          }
          long expected = op.getDelete().getExpectedRevision();
          if (expected != 0 && expected != Envelope.metadata(before).getRevision()) {
            throw conflict(ref, expected, Envelope.metadata(before).getRevision());
          }
          response.addResults(before);
          events.add(Event.newBuilder().setType(EventType.DELETE).setResource(before).build());
        }
        case OP_NOT_SET -> throw new IllegalArgumentException("empty op");
      }
    }
    objects.clear();
    objects.putAll(draft);
    revision = next;
    history.add(WatchResponse.newBuilder().setRevision(next).addAllEvents(events).build());
    return response.build();
  }

  private static ObjectRef ref(Resource r) {
    return Envelope.ref(r);
  }

  static StatusRuntimeException error(Code code, ObjectRef ref, String description) {
    String kind = ref.getKind().name().toLowerCase(java.util.Locale.ROOT);
    String name = ref.getTenant().isEmpty() || ref.getKind() == Kind.TENANT
        ? ref.getName() : ref.getTenant() + "/" + ref.getName();
    return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
        .setCode(code.getNumber()).setMessage(kind + " " + name)
        .addDetails(Any.pack(ResourceInfo.newBuilder().setResourceType(kind).setResourceName(name)
            .setOwner(ref.getTenant()).setDescription(description).build()))
        .build());
  }

  static StatusRuntimeException conflict(ObjectRef ref, long expected, long actual) {
    String object = ref.getKind().name().toLowerCase(java.util.Locale.ROOT) + " "
        + (ref.getTenant().isEmpty() || ref.getKind() == Kind.TENANT ? ref.getName() : ref.getTenant() + "/" + ref.getName());
    return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
        .setCode(Code.ABORTED_VALUE).setMessage(object + " is at revision " + actual)
        .addDetails(Any.pack(ErrorInfo.newBuilder().setReason("REVISION_CONFLICT").setDomain("tenet.dev")
            .putMetadata("object", object)
            .putMetadata("expected_revision", Long.toString(expected))
            .putMetadata("actual_revision", Long.toString(actual)).build()))
        .build());
  }

  private interface Call<T> {
    T get();
  }

  private static <T> void reply(StreamObserver<T> out, Call<T> call) {
    T value;
    try {
      value = call.get();
    } catch (StatusRuntimeException e) {
      out.onError(e);
      return;
    } catch (RuntimeException e) {
      out.onError(io.grpc.Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    out.onNext(value);
    out.onCompleted();
  }
}
