package tenet.shard;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import tenet.api.v1.ChassisSync;
import tenet.api.v1.ChassisSyncRequest;
import tenet.api.v1.ChassisSyncResponse;
import tenet.api.v1.FabricGrpc;
import tenet.api.v1.Kind;

/** tenet.v1.Fabric: asks each chassis entity, wherever it runs, for desired vs applied. */
public final class FabricService extends FabricGrpc.FabricImplBase {
  private static final Duration ASK = Duration.ofSeconds(5);
  private final CompilerCluster cluster;
  private final NodeFeed feed;

  public FabricService(CompilerCluster cluster, NodeFeed feed) {
    this.cluster = cluster;
    this.feed = feed;
  }

  @Override
  public void chassisSync(ChassisSyncRequest request, StreamObserver<ChassisSyncResponse> out) {
    List<String> names = request.getChassis().isEmpty()
        ? feed.read(state -> state.objects(Kind.CHASSIS, "").keySet().stream().map(k -> k.name()).toList())
        : List.of(request.getChassis());
    List<CompletableFuture<ChassisEntity.Status>> asks = new ArrayList<>();
    for (String name : names) {
      asks.add(cluster.status(name, ASK).toCompletableFuture());
    }
    CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).whenComplete((ok, failure) -> {
      if (failure != null) {
        out.onError(Status.UNAVAILABLE.withDescription("a chassis entity did not answer within " + ASK.toSeconds()
            + " s (its node may be failing over): " + failure.getMessage()).asRuntimeException());
        return;
      }
      ChassisSyncResponse.Builder response = ChassisSyncResponse.newBuilder();
      for (var ask : asks) {
        ChassisEntity.Status s = ask.join();
        response.addChassis(ChassisSync.newBuilder().setChassis(s.chassis()).setRegistered(s.registered())
            .setComplete(s.complete()).setDesiredVersion(s.desiredVersion()).setAppliedVersion(s.appliedVersion())
            .setConnected(s.connected()).setStreamNode(s.streamNode()).setOwnerNode(s.ownerNode())
            .setDatapaths(s.datapaths()).setFlows(s.flows()));
      }
      out.onNext(response.build());
      out.onCompleted();
    });
  }
}
