package tenet.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tenet.agent.v1.AgentMessage;
import tenet.agent.v1.ControllerMessage;
import tenet.agent.v1.Flow;
import tenet.agent.v1.FlowUpdate;
import tenet.agent.v1.Hello;
import tenet.agent.v1.SouthboundGrpc;
import tenet.agent.v1.VirtualFunctions;
import tenet.rpc.GrpcEndpoints;

/** The agent's stream over real gRPC on loopback. */
class ControllerLinkTest {
  private static final int PAGES = 2_000;

  /**
   * A controller that sends pages as fast as the stream is ready for them, each about 100 kB: how
   * many it sent, and whether all went.
   */
  private static final class FastController extends SouthboundGrpc.SouthboundImplBase {
    final AtomicInteger sent = new AtomicInteger();
    final ControllerMessage page;

    FastController() {
      FlowUpdate.Builder update = FlowUpdate.newBuilder().setVersion(1).setFull(true).setMore(true);
      for (int i = 1; i <= 1_000; i++) {
        update.addAdd(Flow.newBuilder().setCookie(i).setTable(13).setPriority(50)
            .setMatch("metadata=1,dl_dst=02:00:00:00:00:" + String.format("%02x", i % 256))
            .setActions("set_field:0x" + Integer.toHexString(i) + "->reg15,resubmit(,14)"));
      }
      page = ControllerMessage.newBuilder().setUpdate(update).build();
    }

    @Override
    public StreamObserver<AgentMessage> sync(StreamObserver<ControllerMessage> responses) {
      var out = (ServerCallStreamObserver<ControllerMessage>) responses;
      out.setOnReadyHandler(() -> {
        while (out.isReady() && sent.get() < PAGES) {
          out.onNext(page);
          sent.incrementAndGet();
        }
      });
      return new StreamObserver<>() {
        @Override
        public void onNext(AgentMessage message) {}

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
  void anAgentThatDoesNotKeepUpHoldsTheControllerBackInsteadOfQueueing() throws Exception {
    FastController controller = new FastController();
    ScheduledExecutorService agentThread = Executors.newSingleThreadScheduledExecutor();
    CountDownLatch stalled = new CountDownLatch(1);
    AtomicInteger taken = new AtomicInteger();
    try (var server = GrpcEndpoints.startServer("127.0.0.1", 0, List.of(controller))) {
      ControllerLink link = new ControllerLink("hv1", List.of("127.0.0.1:" + server.port()), Duration.ofMillis(100),
          Duration.ofSeconds(1), agentThread, () -> Hello.newBuilder().setChassis("hv1").build(),
          new ControllerLink.Listener() {
            @Override
            public void update(FlowUpdate update) {
              taken.incrementAndGet();
              try {
                stalled.await(); // applying takes as long as the test says
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }

            @Override
            public void virtualFunctions(VirtualFunctions functions) {}

            @Override
            public void streamEnded() {}
          });
      agentThread.execute(link::start);
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> taken.get() == 1);
      Thread.sleep(1_000); // what the controller manages to push meanwhile
      int whileStalled = controller.sent.get();
      // The agent's page, the one asked for besides it, gRPC's flow-control window (1 MiB) and a
      // page or so of the server's own buffering: about a dozen pages of 100 kB, not 2,000.
      assertThat(whileStalled).isLessThan(40);

      stalled.countDown();
      Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> taken.get() == PAGES);
      assertThat(controller.sent.get()).isEqualTo(PAGES);
      agentThread.submit(link::close).get(10, TimeUnit.SECONDS);
    } finally {
      agentThread.shutdownNow();
    }
  }

  @Test
  void theAgentsOfADeadControllerSpreadOverTheOthers() {
    List<String> listed = List.of("c1", "c2", "c3");
    Map<String, Integer> next = new TreeMap<>();
    for (int c = 0; c < 300; c++) {
      List<String> order = ControllerLink.failoverOrder("hv" + c, listed);
      assertThat(order).first().isEqualTo("c1");
      assertThat(order).containsExactlyInAnyOrderElementsOf(listed);
      assertThat(ControllerLink.failoverOrder("hv" + c, listed)).isEqualTo(order); // the same at every start
      next.merge(order.get(1), 1, Integer::sum);
    }
    assertThat(next.keySet()).containsExactly("c2", "c3");
    assertThat(next.values()).allSatisfy(n -> assertThat(n).isBetween(120, 180));
    assertThat(ControllerLink.failoverOrder("hv1", List.of("c1"))).containsExactly("c1");
    assertThatThrownBy(() -> ControllerLink.failoverOrder("hv1", List.of()))
        .hasMessageContaining("controllers");
  }
}
