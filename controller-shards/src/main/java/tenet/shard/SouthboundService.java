package tenet.shard;

import io.grpc.stub.StreamObserver;
import org.apache.pekko.actor.typed.ActorRef;
import tenet.agent.v1.AgentMessage;
import tenet.agent.v1.ControllerMessage;
import tenet.agent.v1.SouthboundGrpc;

/** tenet.agent.v1.Southbound on this node: each stream becomes an {@link AgentSession}. */
public final class SouthboundService extends SouthboundGrpc.SouthboundImplBase {
  private final CompilerCluster cluster;

  public SouthboundService(CompilerCluster cluster) {
    this.cluster = cluster;
  }

  @Override
  public StreamObserver<AgentMessage> sync(StreamObserver<ControllerMessage> out) {
    ActorRef<AgentSession.Command> session = cluster.openSession(out);
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
