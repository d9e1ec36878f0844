package tenet.agent.link;

import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tenet.agent.v1.AgentMessage;
import tenet.agent.v1.ControllerMessage;
import tenet.agent.v1.FlowUpdate;
import tenet.agent.v1.Hello;
import tenet.agent.v1.SouthboundGrpc;
import tenet.agent.v1.VirtualFunctions;
import tenet.rpc.GrpcEndpoints;

/**
 * The agent's one southbound stream, to one controller of the list at a time. When the stream
 * breaks it moves to the next controller after a backoff and says hello again (with what it has
 * applied), so the controller sends a full set. Every callback runs on {@code executor}, the
 * agent's one thread.
 *
 * <p>The first controller listed is tried first (the operator's choice: the nearest, or a share of
 * the agents each); the others follow in an order of the chassis' own ({@link #failoverOrder}), so
 * the agents of a controller that dies spread over the survivors instead of all moving to the next
 * one listed, which then took them one after another (at 40,000 ports, 134 agents on one survivor).
 */
public final class ControllerLink implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControllerLink.class);
  /**
   * Messages taken off the stream and not yet handled on the agent's thread. The next is asked
   * for only when one is done, so a controller sending faster than the agent applies fills the
   * stream's flow-control window and waits (its session sends on gRPC readiness), instead of
   * the agent queueing pages without bound: 400 simulated agents in one JVM, taking a 40,000-port
   * load faster than they could apply it, queued gigabytes and stalled in garbage collection.
   */
  static final int IN_FLIGHT = 2;

  /** What the agent does with the stream's events (called on the agent's thread). */
  public interface Listener {
    /** The next message of the stream: an update, or a page of one (FlowUpdate.more). */
    void update(FlowUpdate update);

    void virtualFunctions(VirtualFunctions functions);

    /**
     * The stream that brought the updates so far ended (lost, or dropped to start over): an update
     * whose last page has not come will not be completed. The next stream starts with a full set.
     */
    void streamEnded();
  }

  private final List<String> controllers;
  private final Backoff backoff;
  private final ScheduledExecutorService executor;
  private final Supplier<Hello> hello;
  private final Listener listener;
  private final Map<String, ManagedChannel> channels = new HashMap<>();
  private StreamObserver<AgentMessage> stream;
  private int current = -1;
  private long generation;
  private boolean closed;

  /** {@code chassis}: this agent's, which orders the controllers after the first ({@link #failoverOrder}). */
  public ControllerLink(String chassis, List<String> controllers, Duration min, Duration max,
      ScheduledExecutorService executor, Supplier<Hello> hello, Listener listener) {
    this.controllers = failoverOrder(chassis, controllers);
    this.backoff = new Backoff(min, max);
    this.executor = executor;
    this.hello = hello;
    this.listener = listener;
  }

  /**
   * {@code listed} with its first controller first and the others shuffled by a seed drawn from
   * {@code chassis}: the same order at every start of this chassis' agent, a different one from
   * chassis to chassis.
   */
  static List<String> failoverOrder(String chassis, List<String> listed) {
    if (listed.isEmpty()) {
      throw new IllegalArgumentException("controllers: at least one host:port");
    }
    List<String> rest = new ArrayList<>(listed.subList(1, listed.size()));
    Collections.shuffle(rest, new SplittableRandom(chassis.hashCode()));
    List<String> out = new ArrayList<>(listed.size());
    out.add(listed.get(0));
    out.addAll(rest);
    return List.copyOf(out);
  }

  /** Opens the first stream (call on the agent's thread). */
  public void start() {
    connect();
  }

  public boolean connected() {
    return stream != null;
  }

  public String controller() {
    return current < 0 ? "" : controllers.get(current);
  }

  /** Sends on the current stream; dropped when there is none (the next hello says it all again). */
  public void send(AgentMessage message) {
    if (stream != null) {
      stream.onNext(message);
    }
  }

  /** Ends this stream and opens another (to ask for a full set after something went wrong). */
  public void restart(String why) {
    log.warn("southbound: starting over with {}: {}", controller(), why);
    drop();
    connect();
  }

  private void connect() {
    if (closed) {
      return;
    }
    current = (current + 1) % controllers.size();
    String target = controllers.get(current);
    long mine = ++generation;
    ManagedChannel channel = channels.computeIfAbsent(target, GrpcEndpoints::channel);
    stream = SouthboundGrpc.newStub(channel).sync(new ClientResponseObserver<AgentMessage, ControllerMessage>() {
      private ClientCallStreamObserver<AgentMessage> call;

      @Override
      public void beforeStart(ClientCallStreamObserver<AgentMessage> call) {
        this.call = call;
        call.disableAutoRequestWithInitial(IN_FLIGHT);
      }

      @Override
      public void onNext(ControllerMessage message) {
        executor.execute(() -> {
          try {
            if (mine == generation) {
              backoff.reset();
              switch (message.getBodyCase()) {
                case UPDATE -> listener.update(message.getUpdate());
                case VIRTUAL_FUNCTIONS -> listener.virtualFunctions(message.getVirtualFunctions());
                case BODY_NOT_SET -> log.warn("controller {}: a message of a kind this agent does not know; ignored", target);
              }
            }
          } finally {
            call.request(1);
          }
        });
      }

      @Override
      public void onError(Throwable t) {
        executor.execute(() -> lost(mine, target, t.getMessage()));
      }

      @Override
      public void onCompleted() {
        executor.execute(() -> lost(mine, target, "the controller ended the stream"));
      }
    });
    Hello h = hello.get();
    stream.onNext(AgentMessage.newBuilder().setHello(h).build());
    log.info("southbound: hello sent to {} (applied version {}, {} ports)", target, h.getAppliedVersion(),
        h.getPorts().getPortsCount());
  }

  private void lost(long which, String target, String why) {
    if (which != generation || closed) {
      return;
    }
    stream = null;
    listener.streamEnded();
    Duration delay = backoff.next();
    log.warn("southbound: stream to {} lost ({}); trying the next controller in {} ms", target, why, delay.toMillis());
    executor.schedule(() -> {
      if (which == generation) {
        connect();
      }
    }, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void drop() {
    generation++;
    listener.streamEnded();
    if (stream != null) {
      try {
        stream.onCompleted();
      } catch (RuntimeException ignored) {
        // already broken
      }
      stream = null;
    }
  }

  @Override
  public void close() {
    closed = true;
    drop();
    channels.values().forEach(ManagedChannel::shutdownNow);
  }
}
