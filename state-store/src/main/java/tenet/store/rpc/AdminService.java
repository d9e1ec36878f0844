package tenet.store.rpc;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import tenet.api.v1.AddPeerRequest;
import tenet.api.v1.AdminGrpc;
import tenet.api.v1.ClusterStatusRequest;
import tenet.api.v1.ClusterStatusResponse;
import tenet.api.v1.RemovePeerRequest;
import tenet.api.v1.SnapshotRequest;
import tenet.api.v1.SnapshotResponse;
import tenet.store.ratis.StoreNode;

/** Membership and maintenance of the store's Raft group. */
public final class AdminService extends AdminGrpc.AdminImplBase {
  private final StoreNode node;

  public AdminService(StoreNode node) {
    this.node = node;
  }

  @Override
  public void clusterStatus(ClusterStatusRequest request, StreamObserver<ClusterStatusResponse> out) {
    run(out, node::status);
  }

  @Override
  public void addPeer(AddPeerRequest request, StreamObserver<ClusterStatusResponse> out) {
    if (request.getPeer().getId().isEmpty() || request.getPeer().getRaftAddress().isEmpty()) {
      out.onError(Status.INVALID_ARGUMENT.withDescription(
          "peer.id and peer.raft_address (host:port) are required").asRuntimeException());
      return;
    }
    run(out, () -> node.addPeer(request.getPeer().getId(), request.getPeer().getRaftAddress()));
  }

  @Override
  public void removePeer(RemovePeerRequest request, StreamObserver<ClusterStatusResponse> out) {
    if (request.getId().isEmpty()) {
      out.onError(Status.INVALID_ARGUMENT.withDescription("id is required").asRuntimeException());
      return;
    }
    run(out, () -> node.removePeer(request.getId()));
  }

  @Override
  public void snapshot(SnapshotRequest request, StreamObserver<SnapshotResponse> out) {
    run(out, () -> SnapshotResponse.newBuilder().setIndex(node.snapshot()).build());
  }

  private interface Call<T> {
    T call() throws IOException;
  }

  private static <T> void run(StreamObserver<T> out, Call<T> call) {
    T result;
    try {
      result = call.call();
    } catch (IllegalArgumentException e) {
      out.onError(Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException());
      return;
    } catch (IOException e) {
      out.onError(Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    out.onNext(result);
    out.onCompleted();
  }
}
