package tenet.ops.bench;

import it.unimi.dsi.fastutil.longs.LongCollection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import tenet.agent.link.ControllerLink;
import tenet.agent.v1.Ack;
import tenet.agent.v1.AgentMessage;
import tenet.agent.v1.FlowUpdate;
import tenet.agent.v1.Hello;
import tenet.agent.v1.HostedPort;
import tenet.agent.v1.Ports;
import tenet.agent.v1.VirtualFunctions;
import tenet.api.v1.Encapsulation;

/**
 * One hypervisor without OVS: a real southbound stream through the agent's own
 * {@link ControllerLink} (the controller list, the move to the next controller when the stream
 * breaks, the reconnect backoff), a hello as tenet-agent sends it (chassis, tunnel IP, Geneve,
 * paged updates, the applied version, the ports plugged in), and the flows kept as cookies
 * ({@link AgentFlows}) where the agent would put them in OVS; each update acked once whole, a
 * refused one answered with a new stream, as the agent does. Every call runs on the agent's
 * thread (shared with other agents), as the real agent's events run on its one thread.
 *
 * <p>The bench waits on {@link #reach}: the time of the first ack at which the set held every
 * one of a group of {@link FlowMarks}.
 */
final class SimulatedAgent implements AutoCloseable {
  /** What the agent has done so far, for progress and diagnostics. */
  record Stats(String chassis, long version, int flows, int acks, int fullSets, int refused, String controller,
      String stream) {}

  private record Goal(LongCollection marks, CompletableFuture<Long> reached) {}

  private final String chassis;
  private final String tunnelIp;
  private final ScheduledExecutorService thread;
  private final ControllerLink link;
  private final AgentFlows flows = new AgentFlows();
  private final List<Goal> goals = new ArrayList<>();
  private List<HostedPort> ports = List.of();
  private long lastAck;
  private int acks;
  private int fullSets;
  private int refused;
  /** The node that served the last update (FlowUpdate.controller). */
  private volatile String controller = "";

  SimulatedAgent(String chassis, String tunnelIp, List<String> controllers, Duration reconnectMin,
      Duration reconnectMax, ScheduledExecutorService thread) {
    this.chassis = chassis;
    this.tunnelIp = tunnelIp;
    this.thread = thread;
    this.link = new ControllerLink(chassis, controllers, reconnectMin, reconnectMax, thread, this::hello,
        new ControllerLink.Listener() {
          @Override
          public void update(FlowUpdate page) {
            SimulatedAgent.this.update(page);
          }

          @Override
          public void virtualFunctions(VirtualFunctions functions) {
            // no SR-IOV here
          }

          @Override
          public void streamEnded() {
            flows.abandon();
          }
        });
  }

  String chassis() {
    return chassis;
  }

  /** The node serving this agent's stream, as its last update said; "" before the first. */
  String controller() {
    return controller;
  }

  /** Opens the first stream, to the first controller of its list. */
  void start() {
    thread.execute(link::start);
  }

  /** Reports {@code plugged} as every port plugged in now (southbound Ports), as the agent's VIF poll does. */
  void report(List<HostedPort> plugged) {
    thread.execute(() -> {
      ports = List.copyOf(plugged);
      sendPorts();
    });
  }

  /** One more VIF plugged in: reports every port again, with it. */
  void plug(HostedPort port) {
    thread.execute(() -> {
      List<HostedPort> next = new ArrayList<>(ports);
      next.add(port);
      ports = List.copyOf(next);
      sendPorts();
    });
  }

  /**
   * Completes with the time ({@link System#nanoTime}) of the first ack after which the applied
   * set holds every mark of {@code marks}: the last ack already, when it does now (an empty
   * {@code marks}: the first ack of all).
   */
  CompletableFuture<Long> reach(LongCollection marks) {
    CompletableFuture<Long> reached = new CompletableFuture<>();
    thread.execute(() -> {
      if (acks > 0 && flows.holdsAll(marks)) {
        reached.complete(lastAck);
      } else {
        goals.add(new Goal(marks, reached));
      }
    });
    return reached;
  }

  CompletableFuture<Stats> stats() {
    return CompletableFuture.supplyAsync(
        () -> new Stats(chassis, flows.version(), flows.size(), acks, fullSets, refused, controller,
            link.connected() ? link.controller() : "none"), thread);
  }

  /** Whether the applied set holds {@code mark} now (for diagnostics). */
  CompletableFuture<Boolean> holds(long mark) {
    return CompletableFuture.supplyAsync(() -> flows.holds(mark), thread);
  }

  /** As tenet-agent's: the cookies held go with it, so that a new stream brings what changed. */
  private Hello hello() {
    Hello.Builder hello = Hello.newBuilder().setChassis(chassis).setHostname(chassis).setTunnelIp(tunnelIp)
        .addEncapsulations(Encapsulation.GENEVE).setAppliedVersion(flows.version())
        .setPorts(Ports.newBuilder().addAllPorts(ports)).setPagedUpdates(true);
    flows.heldCookies(hello::addHeldCookies);
    hello.setHeldRevision(flows.heldRevision());
    return hello.build();
  }

  private void sendPorts() {
    link.send(AgentMessage.newBuilder().setPorts(Ports.newBuilder().addAllPorts(ports)).build());
  }

  private void update(FlowUpdate page) {
    switch (flows.page(page)) {
      case AgentFlows.Incomplete more -> {
        // acked with its last page
      }
      case AgentFlows.Applied done -> {
        link.send(AgentMessage.newBuilder().setAck(Ack.newBuilder().setVersion(done.version())).build());
        lastAck = System.nanoTime();
        acks++;
        if (done.full()) {
          fullSets++;
        }
        controller = page.getController();
        for (Iterator<Goal> it = goals.iterator(); it.hasNext(); ) {
          Goal g = it.next();
          if (flows.holdsAll(g.marks())) {
            g.reached().complete(lastAck);
            it.remove();
          }
        }
      }
      case AgentFlows.Refused why -> {
        refused++;
        link.restart(why.why()); // the new stream's hello brings a full set
      }
    }
  }

  @Override
  public void close() {
    thread.execute(() -> {
      link.close();
      goals.forEach(g -> g.reached().completeExceptionally(new CancellationException("agent " + chassis + " closed")));
      goals.clear();
    });
  }
}
