package tenet.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tenet.agent.v1.AgentMessage;
import tenet.agent.v1.ControllerMessage;
import tenet.agent.v1.FlowUpdate;
import tenet.agent.v1.Hello;
import tenet.agent.v1.SouthboundGrpc;
import tenet.api.v1.AdminGrpc;
import tenet.api.v1.ClusterStatusRequest;
import tenet.api.v1.ClusterStatusResponse;

class DeferredServiceTest {
  private Server server;
  private ManagedChannel channel;

  private void serve(io.grpc.BindableService service) throws Exception {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).addService(service).build().start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  /** Answers each hello with an update named after the hello's chassis, in order. */
  private static final class Echo extends SouthboundGrpc.SouthboundImplBase {
    @Override
    public StreamObserver<AgentMessage> sync(StreamObserver<ControllerMessage> out) {
      return new StreamObserver<>() {
        @Override
        public void onNext(AgentMessage m) {
          out.onNext(ControllerMessage.newBuilder().setUpdate(FlowUpdate.newBuilder()
              .setController(m.getHello().getChassis())).build());
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          out.onCompleted();
        }
      };
    }
  }

  @Test
  void aStreamOpenedBeforeTheServiceIsReadyKeepsItsMessagesInOrderAndRunsOnItOnceReady() throws Exception {
    CompletableFuture<Echo> ready = new CompletableFuture<>();
    serve(GrpcEndpoints.deferred(SouthboundGrpc.getServiceDescriptor(), ready));
    LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
    StreamObserver<AgentMessage> in = SouthboundGrpc.newStub(channel).sync(new StreamObserver<>() {
      @Override
      public void onNext(ControllerMessage m) {
        received.add(m.getUpdate().getController());
      }

      @Override
      public void onError(Throwable t) {
        received.add(t);
      }

      @Override
      public void onCompleted() {
        received.add("completed");
      }
    });
    for (String chassis : List.of("hv1", "hv2", "hv3")) {
      in.onNext(AgentMessage.newBuilder().setHello(Hello.newBuilder().setChassis(chassis)).build());
    }
    in.onCompleted();
    assertThat(received.poll(200, TimeUnit.MILLISECONDS)).as("nothing before the service is ready").isNull();

    ready.complete(new Echo());
    List<Object> got = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 4; i++) {
      got.add(received.poll(5, TimeUnit.SECONDS));
    }
    assertThat(got).containsExactly("hv1", "hv2", "hv3", "completed");
  }

  @Test
  void callsAfterTheServiceIsReadyGoStraightToIt() throws Exception {
    serve(GrpcEndpoints.deferred(AdminGrpc.getServiceDescriptor(), CompletableFuture.completedFuture(
        new AdminGrpc.AdminImplBase() {
          @Override
          public void clusterStatus(ClusterStatusRequest request, StreamObserver<ClusterStatusResponse> out) {
            out.onNext(ClusterStatusResponse.newBuilder().setLeaderId("c2").build());
            out.onCompleted();
          }
        })));
    assertThat(AdminGrpc.newBlockingStub(channel).clusterStatus(ClusterStatusRequest.getDefaultInstance())
        .getLeaderId()).isEqualTo("c2");
  }

  @Test
  void waitingCallsEndUnavailableWhenTheServiceFailsToStart() throws Exception {
    CompletableFuture<AdminGrpc.AdminImplBase> ready = new CompletableFuture<>();
    serve(GrpcEndpoints.deferred(AdminGrpc.getServiceDescriptor(), ready));
    var answer = CompletableFuture.supplyAsync(() ->
        AdminGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
            .clusterStatus(ClusterStatusRequest.getDefaultInstance()));
    Thread.sleep(100);
    ready.completeExceptionally(new IllegalStateException("no cluster"));
    assertThatThrownBy(answer::join).cause().isInstanceOf(StatusRuntimeException.class)
        .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE))
        .hasMessageContaining("no cluster");
  }
}
