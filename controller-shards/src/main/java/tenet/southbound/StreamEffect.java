package tenet.southbound;

import com.google.rpc.Code;
import com.google.rpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import tenet.agent.v1.ControllerMessage;
import tenet.api.v1.TxnRequest;

/** What {@link AgentStream#step} asks its session to do, in the order given. */
public sealed interface StreamEffect {

  /** Send the agent this message. */
  record Send(ControllerMessage message) implements StreamEffect {}

  /** Send the agent pages ({@link AgentStream#nextPage}) while the stream is ready for them. */
  record SendPages() implements StreamEffect {}

  /** End the stream with this error: what the agent sent is wrong, and the description names the field. */
  record Reject(Code code, String description) implements StreamEffect {}

  /** End the stream with the store's refusal of what the agent reported, as the store gave it. */
  record PassOnRefusal(Status refusal) implements StreamEffect {}

  /** Complete the stream: the agent completed its side. */
  record Complete() implements StreamEffect {}

  /** The session is over: nothing more is stepped. */
  record Stop() implements StreamEffect {}

  /** Write this registration to the store; its answer comes back as {@link StreamInput.Written} or {@link StreamInput.WriteFailed}. */
  record Write(TxnRequest txn) implements StreamEffect {}

  /** Read the store's leader's revision; it comes back as {@link StreamInput.LeaderAt} or {@link StreamInput.LeaderReadFailed}. */
  record AskLeader() implements StreamEffect {}

  /** The chassis' first set from this node's compiler once it has reached {@code minRevision}; then each change. */
  record Subscribe(String chassis, long minRevision) implements StreamEffect {}

  /** The chassis' whole set again from this node's compiler. */
  record Resend(String chassis) implements StreamEffect {}

  record Unsubscribe(String chassis) implements StreamEffect {}

  /** {@link StreamInput.Due} with {@code timer} after {@code after}, instead of any such timer running. */
  record StartTimer(StreamTimer timer, Duration after) implements StreamEffect {}

  /**
   * Tell the chassis' entity in the cluster how the stream stands; {@code attach}: this stream
   * takes the chassis over.
   */
  record Report(String chassis, boolean attach, boolean complete, long desiredVersion, long appliedVersion, int datapaths,
      long flows, List<Tunnel> tunnels) implements StreamEffect {
    public Report {
      tunnels = List.copyOf(tunnels);
    }

    /** BFD on one tunnel of the chassis, as its agent reported it. */
    public record Tunnel(String remoteIp, String bfdState, boolean forwarding) {}
  }

  enum Level { DEBUG, INFO, WARN }

  /** A line for the operator. */
  record Log(Level level, String message) implements StreamEffect {}

  /**
   * The operator's line for a full set from this node's compiler: its {@code flows}, and the
   * {@code toSend} they come to for the stream; {@code firstWait}: for the stream's first set, or null.
   */
  record LogFullSet(String chassis, long flows, long revision, long toSend, FirstSetWait firstWait)
      implements StreamEffect {
    /** The line, {@code now} (nanoseconds, like the wait's times) just after the set was taken. */
    public String message(long now) {
      return "chassis " + chassis + ": full set of " + flows + " flows (revision " + revision + ") for the stream"
          + (toSend == flows ? "" : ", as a delta of " + toSend + " on the flows it holds")
          + (firstWait == null ? "" : firstWait.describe(now));
    }
  }

  /**
   * The first set's wait, for the operator (a failover's time is these, agent by agent): times in
   * nanoseconds of the hello, of subscribing, and of the set's arrival; {@code revisionSaid}: the
   * hello named the revision its flows are of (else the leader's was read).
   */
  record FirstSetWait(long helloAt, long subscribedAt, long setAt, boolean revisionSaid) {
    String describe(long now) {
      return String.format(Locale.ROOT, "; %d ms after the hello: revision known %d (%s), compiler %d, diff %d",
          ms(now - helloAt), ms(subscribedAt - helloAt), revisionSaid ? "said by the agent" : "the leader's",
          ms(setAt - subscribedAt), ms(now - setAt));
    }

    private static long ms(long nanos) {
      return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
  }
}
