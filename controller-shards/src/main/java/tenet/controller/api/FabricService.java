package tenet.controller.api;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import tenet.api.v1.ChassisSync;
import tenet.api.v1.ChassisSyncRequest;
import tenet.api.v1.ChassisSyncResponse;
import tenet.api.v1.FabricGrpc;
import tenet.api.v1.Kind;
import tenet.api.v1.Tunnel;
import tenet.cluster.ChassisEntity;
import tenet.cluster.ControllerCluster;
import tenet.store.ratis.StoreStateMachine;

/**
 * tenet.v1.Fabric: asks each chassis entity, wherever it runs, for desired vs applied and for
 * BFD on its tunnels (the other end named by its tunnel IP), as the stream serving the chassis
 * last reported.
 */
public final class FabricService extends FabricGrpc.FabricImplBase {
  private static final Duration ASK = Duration.ofSeconds(5);
  private final ControllerCluster cluster;
  private final StoreStateMachine replica;

  public FabricService(ControllerCluster cluster, StoreStateMachine replica) {
    this.cluster = cluster;
    this.replica = replica;
  }

  @Override
  public void chassisSync(ChassisSyncRequest request, StreamObserver<ChassisSyncResponse> out) {
    List<String> names = request.getChassis().isEmpty()
        ? replica.read(state -> state.objects(Kind.CHASSIS, "").keySet().stream().map(k -> k.name()).toList())
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
      // One read for every chassis: the other ends of tunnels (by tunnel IP), and which are registered.
      Map<String, String> byTunnelIp = new HashMap<>();
      java.util.Set<String> registeredNames = new java.util.HashSet<>();
      replica.read(state -> {
        state.objects(Kind.CHASSIS, "").forEach((k, r) -> {
          byTunnelIp.put(r.getChassis().getTunnelIp(), k.name());
          registeredNames.add(k.name());
        });
        return null;
      });
      for (var ask : asks) {
        ChassisEntity.Status s = ask.join();
        boolean registered = registeredNames.contains(s.chassis());
        ChassisSync.Builder sync = ChassisSync.newBuilder().setChassis(s.chassis()).setRegistered(registered)
            .setComplete(s.sync().complete()).setDesiredVersion(s.sync().desiredVersion())
            .setAppliedVersion(s.sync().appliedVersion()).setConnected(s.connected()).setStreamNode(s.streamNode())
            .setOwnerNode(s.ownerNode()).setDatapaths(s.sync().datapaths()).setFlows((int) s.sync().flows());
        for (ChassisEntity.Tunnel t : s.tunnels()) {
          sync.addTunnels(Tunnel.newBuilder().setRemoteChassis(byTunnelIp.getOrDefault(t.remoteIp(), ""))
              .setRemoteIp(t.remoteIp()).setBfdState(t.bfdState()).setForwarding(t.forwarding()));
        }
        response.addChassis(sync);
      }
      out.onNext(response.build());
      out.onCompleted();
    });
  }
}
