package tenet.ops.cli;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import tenet.api.v1.AdminGrpc;
import tenet.api.v1.FabricGrpc;
import tenet.api.v1.Consistency;
import tenet.api.v1.CreateRequest;
import tenet.api.v1.DeleteRequest;
import tenet.api.v1.DeleteResponse;
import tenet.api.v1.GetRequest;
import tenet.api.v1.ListRequest;
import tenet.api.v1.ListResponse;
import tenet.api.v1.NorthboundGrpc;
import tenet.api.v1.ObjectRef;
import tenet.api.v1.Resource;
import tenet.api.v1.TxnRequest;
import tenet.api.v1.TxnResponse;
import tenet.api.v1.UpdateRequest;
import tenet.api.v1.WatchRequest;
import tenet.api.v1.WatchResponse;
import tenet.rpc.GrpcEndpoints;

/**
 * The northbound calls tenetctl makes, each unary call with its own deadline (--timeout).
 * Failures surface as {@link StatusRuntimeException} for {@link ApiErrors} to explain.
 */
public final class NorthboundClient implements AutoCloseable {
  private final ManagedChannel channel;
  private final NorthboundGrpc.NorthboundBlockingStub stub;
  private final Duration timeout;

  public NorthboundClient(String target, Duration timeout) {
    this.channel = GrpcEndpoints.channel(target);
    this.stub = NorthboundGrpc.newBlockingStub(channel);
    this.timeout = timeout;
  }

  /** The Admin service on the same controller, with the same deadline per call. */
  public FabricGrpc.FabricBlockingStub fabric() {
    return FabricGrpc.newBlockingStub(channel).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public AdminGrpc.AdminBlockingStub admin() {
    return AdminGrpc.newBlockingStub(channel).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private NorthboundGrpc.NorthboundBlockingStub unary() {
    return stub.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public Resource get(ObjectRef ref, Consistency consistency) {
    return unary().get(GetRequest.newBuilder().setRef(ref).setConsistency(consistency).build());
  }

  /** A linearizable read that treats NOT_FOUND as absence: what `apply` plans against. */
  public Optional<Resource> find(ObjectRef ref) {
    try {
      return Optional.of(get(ref, Consistency.LINEARIZABLE));
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  public ListResponse list(ListRequest request) {
    return unary().list(request);
  }

  /**
   * Every page, with the revision of the first: later pages are read at their own revisions, so
   * watching from the first one's + 1 misses nothing.
   */
  public ListResponse listAll(ListRequest request) {
    ListResponse first = list(request);
    List<Resource> items = new ArrayList<>(first.getItemsList());
    String token = first.getNextPageToken();
    while (!token.isEmpty()) {
      ListResponse page = list(request.toBuilder().setPageToken(token).build());
      items.addAll(page.getItemsList());
      token = page.getNextPageToken();
    }
    return ListResponse.newBuilder().addAllItems(items).setRevision(first.getRevision()).build();
  }

  public Resource create(Resource resource) {
    return unary().create(CreateRequest.newBuilder().setResource(resource).build());
  }

  public Resource update(Resource resource, long expectedRevision) {
    return unary().update(UpdateRequest.newBuilder()
        .setResource(resource).setExpectedRevision(expectedRevision).build());
  }

  public DeleteResponse delete(ObjectRef ref, long expectedRevision) {
    return unary().delete(DeleteRequest.newBuilder().setRef(ref).setExpectedRevision(expectedRevision).build());
  }

  public TxnResponse txn(TxnRequest request) {
    return unary().txn(request);
  }

  /**
   * Runs until the server ends the stream or fails it, or after {@code seconds} when positive
   * (DEADLINE_EXCEEDED); by default no deadline, a watch is meant to last.
   */
  public Iterator<WatchResponse> watch(WatchRequest request, long seconds) {
    return seconds > 0 ? stub.withDeadlineAfter(seconds, TimeUnit.SECONDS).watch(request) : stub.watch(request);
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
