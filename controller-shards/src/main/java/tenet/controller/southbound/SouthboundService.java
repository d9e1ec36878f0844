package tenet.controller.southbound;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Props;
import tenet.agent.v1.AgentMessage;
import tenet.agent.v1.ControllerMessage;
import tenet.agent.v1.SouthboundGrpc;
import tenet.cluster.ControllerCluster;
import tenet.store.ratis.StoreClient;
import tenet.store.ratis.StoreStateMachine;

/** tenet.agent.v1.Southbound on this node: each stream becomes an {@link AgentSession}. */
public final class SouthboundService extends SouthboundGrpc.SouthboundImplBase {
  private final ControllerCluster cluster;
  private final NodeCompiler compiler;
  private final StoreStateMachine replica;
  private final StoreClient store;
  private final int maxWaitingRules;
  private final AtomicLong sessions = new AtomicLong();

  public SouthboundService(ControllerCluster cluster, NodeCompiler compiler, StoreStateMachine replica,
      StoreClient store, int maxWaitingRules) {
    this.maxWaitingRules = maxWaitingRules;
    this.cluster = cluster;
    this.compiler = compiler;
    this.replica = replica;
    this.store = store;
  }

  @Override
  public StreamObserver<AgentMessage> sync(StreamObserver<ControllerMessage> out) {
    ServerCallStreamObserver<ControllerMessage> stream = (ServerCallStreamObserver<ControllerMessage>) out;
    ActorRef<AgentSession.Command> session = cluster.system().systemActorOf(
        AgentSession.create(stream, compiler, replica, store, cluster, maxWaitingRules), "agent-session-" + sessions.incrementAndGet(),
        Props.empty());
    // The session writes while the stream is ready and comes back here for the rest: a slow
    // agent holds a page or so in gRPC's buffers, never its whole set.
    stream.setOnReadyHandler(() -> session.tell(AgentSession.Writable.INSTANCE));
    return new StreamObserver<>() {
      @Override
      public void onNext(AgentMessage message) {
        session.tell(new AgentSession.FromAgent(message));
      }

      @Override
      public void onError(Throwable error) {
        session.tell(new AgentSession.StreamEnded(error));
      }

      @Override
      public void onCompleted() {
        session.tell(new AgentSession.StreamEnded(null));
      }
    };
  }
}
