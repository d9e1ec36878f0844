package tenet.rpc;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The one place Tenet makes gRPC servers and channels. Transport security and authorization
 * switch on here (a later issue), so no other code builds a server or a channel itself.
 */
public final class GrpcEndpoints {
  private GrpcEndpoints() {}

  /** A running server with health and reflection; {@link #health()} flips serving status. */
  public record RunningServer(Server server, HealthStatusManager health) implements AutoCloseable {
    public int port() {
      return server.getPort();
    }

    @Override
    public void close() {
      health.enterTerminalState();
      server.shutdown();
      try {
        if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
          server.shutdownNow();
        }
      } catch (InterruptedException e) {
        server.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Starts a server on host:port (port 0 picks a free one) serving the given services plus
   * {@code grpc.health.v1} and server reflection, so grpcurl works against every Tenet process.
   */
  public static RunningServer startServer(String host, int port, List<BindableService> services)
      throws IOException {
    var health = new HealthStatusManager();
    var builder = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
        .permitKeepAliveTime(10, TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true)
        .addService(health.getHealthService())
        .addService(ProtoReflectionServiceV1.newInstance());
    for (BindableService service : services) {
      ServerServiceDefinition definition = service.bindService();
      builder.addService(definition);
      health.setStatus(definition.getServiceDescriptor().getName(), ServingStatus.SERVING);
    }
    Server server = builder.build().start();
    return new RunningServer(server, health);
  }

  /**
   * A service to serve now whose implementation comes when {@code implementation} completes: calls
   * that arrive before wait for it (see {@link DeferredService}); if it fails, they end UNAVAILABLE.
   */
  public static BindableService deferred(ServiceDescriptor descriptor,
      CompletionStage<? extends BindableService> implementation) {
    ServerServiceDefinition definition = DeferredService.of(descriptor, implementation);
    return () -> definition;
  }

  /** A plaintext channel to "host:port"; keepalives notice a dead peer within seconds. */
  public static ManagedChannel channel(String target) {
    return NettyChannelBuilder.forTarget(target)
        .usePlaintext()
        .keepAliveTime(10, TimeUnit.SECONDS)
        .keepAliveTimeout(5, TimeUnit.SECONDS)
        .keepAliveWithoutCalls(true)
        .maxInboundMessageSize(64 * 1024 * 1024)
        .build();
  }
}
