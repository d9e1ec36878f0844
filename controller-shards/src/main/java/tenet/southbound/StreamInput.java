package tenet.southbound;

import com.google.rpc.Status;
import tenet.agent.v1.AgentMessage;
import tenet.compiler.incremental.ChassisDelta;

/** What happens to an agent's stream, as {@link AgentStream#step} takes it. */
public sealed interface StreamInput {

  /** A message from the agent. */
  record FromAgent(AgentMessage message) implements StreamInput {}

  /** The agent's stream ended; {@code failed}: with an error, not completed by the agent. */
  record StreamEnded(boolean failed) implements StreamInput {}

  /** The session is over, however it ended. */
  record Stopped() implements StreamInput {}

  /** The stream can take more (gRPC's on-ready). */
  record Writable() implements StreamInput {}

  /** A timer started by {@link StreamEffect.StartTimer} (or the session's tick) went off. */
  record Due(StreamTimer timer) implements StreamInput {}

  /** From this node's compiler: the chassis' whole set. */
  record FullSet(FlowSource set) implements StreamInput {}

  /** From this node's compiler: what changed after the set or change before, bringing the chassis to {@code revision}. */
  record Delta(long revision, ChassisDelta delta) implements StreamInput {}

  /** A registration write was taken at {@code revision}. */
  record Written(long revision) implements StreamInput {}

  /** A registration write failed: the status the store answered; {@code failure} as the client threw it, for the log. */
  record WriteFailed(Status status, String failure) implements StreamInput {}

  /** A read through the store's leader came back: the leader was at {@code revision}. */
  record LeaderAt(long revision) implements StreamInput {}

  /** A read through the store's leader failed: {@code reason}, for the log. */
  record LeaderReadFailed(String reason) implements StreamInput {}
}
