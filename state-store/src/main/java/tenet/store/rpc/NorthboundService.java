package tenet.store.rpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import tenet.api.v1.Consistency;
import tenet.api.v1.CreateRequest;
import tenet.api.v1.DeleteRequest;
import tenet.api.v1.DeleteResponse;
import tenet.api.v1.GetRequest;
import tenet.api.v1.ListRequest;
import tenet.api.v1.ListResponse;
import tenet.api.v1.NorthboundGrpc;
import tenet.api.v1.Resource;
import tenet.api.v1.TxnOp;
import tenet.api.v1.TxnRequest;
import tenet.api.v1.TxnResponse;
import tenet.api.v1.UpdateRequest;
import tenet.api.v1.WatchRequest;
import tenet.api.v1.WatchResponse;
import tenet.store.ratis.StoreNode;
import tenet.store.wire.ReadReply;
import tenet.store.wire.ReadRequest;

/** The northbound API on one controller node; every write goes through the Raft group. */
public final class NorthboundService extends NorthboundGrpc.NorthboundImplBase {
  private final StoreNode node;
  private final WatchHub watches;

  public NorthboundService(StoreNode node, Executor watchExecutor) {
    this.node = node;
    this.watches = new WatchHub(node.stateMachine(), watchExecutor);
  }

  @Override
  public void create(CreateRequest request, StreamObserver<Resource> out) {
    write(TxnOp.newBuilder().setCreate(request).build(), out, r -> r.getResults(0));
  }

  @Override
  public void update(UpdateRequest request, StreamObserver<Resource> out) {
    write(TxnOp.newBuilder().setUpdate(request).build(), out, r -> r.getResults(0));
  }

  @Override
  public void delete(DeleteRequest request, StreamObserver<DeleteResponse> out) {
    write(TxnOp.newBuilder().setDelete(request).build(), out,
        r -> DeleteResponse.newBuilder().setRevision(r.getRevision()).build());
  }

  @Override
  public void txn(TxnRequest request, StreamObserver<TxnResponse> out) {
    reply(node.client().write(request), out, Function.identity());
  }

  @Override
  public void get(GetRequest request, StreamObserver<Resource> out) {
    reply(read(ReadRequest.newBuilder().setGet(request).build(), request.getConsistency()), out, reply -> {
      if (reply.hasError()) {
        throw GrpcStatuses.of(reply.getError());
      }
      return reply.getResource();
    });
  }

  @Override
  public void list(ListRequest request, StreamObserver<ListResponse> out) {
    reply(read(ReadRequest.newBuilder().setList(request).build(), request.getConsistency()), out, reply -> {
      if (reply.hasError()) {
        throw GrpcStatuses.of(reply.getError());
      }
      return reply.getList();
    });
  }

  @Override
  public void watch(WatchRequest request, StreamObserver<WatchResponse> out) {
    watches.open(request, (ServerCallStreamObserver<WatchResponse>) out);
  }

  private CompletableFuture<ReadReply> read(ReadRequest request, Consistency consistency) {
    return consistency == Consistency.STALE
        ? CompletableFuture.completedFuture(node.client().readLocal(request))
        : node.client().readLinearizable(request);
  }

  private <T> void write(TxnOp op, StreamObserver<T> out, Function<TxnResponse, T> result) {
    reply(node.client().write(TxnRequest.newBuilder().addOps(op).build()), out, result);
  }

  private static <A, B> void reply(CompletableFuture<A> future, StreamObserver<B> out, Function<A, B> result) {
    future.whenComplete((value, failure) -> {
      if (failure != null) {
        out.onError(GrpcStatuses.of(failure));
        return;
      }
      B answer;
      try {
        answer = result.apply(value);
      } catch (RuntimeException e) {
        out.onError(GrpcStatuses.of(e));
        return;
      }
      out.onNext(answer);
      out.onCompleted();
    });
  }
}
