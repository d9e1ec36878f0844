package tenet.ops.bench;

import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import tenet.agent.v1.Ack;
import tenet.agent.v1.AgentMessage;
import tenet.agent.v1.ControllerMessage;
import tenet.agent.v1.Flow;
import tenet.agent.v1.FlowUpdate;
import tenet.agent.v1.Hello;
import tenet.agent.v1.HostedPort;
import tenet.agent.v1.Ports;
import tenet.agent.v1.SouthboundGrpc;
import tenet.api.v1.Encapsulation;

/**
 * An agent that keeps its flow table in memory instead of OVS: the southbound protocol as a real
 * agent speaks it (hello with what it hosts, has applied and holds, apply, ack; on a broken
 * stream, the next controller). It records what a real agent could not tolerate: a delta whose base is
 * not the version it holds, or a version going backwards.
 */
final class InMemoryAgent implements AutoCloseable {
  final String chassis;
  private final String tunnelIp;
  private List<HostedPort> ports;
  /** The pages of an update so far: it is applied whole with its last page, as tenet-agent does. */
  private final List<FlowUpdate> pages = new ArrayList<>();
  private final IntFunction<ManagedChannel> controllers;
  private final int controllerCount;
  /** By cookie: a removal names a flow by its cookie alone. */
  private final Map<Long, Flow> flows = new HashMap<>();
  private final List<String> violations = new ArrayList<>();
  private long version;
  /** The store revision of the set held (FlowUpdate.revision), said with the cookies. */
  private long revision;
  private int controller;
  private int updates;
  private int fullSets;
  private String servedBy = "";
  private StreamObserver<AgentMessage> stream;
  private boolean closed;

  InMemoryAgent(String chassis, String tunnelIp, List<HostedPort> ports, IntFunction<ManagedChannel> controllers,
      int controllerCount, int firstController) {
    this.chassis = chassis;
    this.tunnelIp = tunnelIp;
    this.ports = List.copyOf(ports);
    this.controllers = controllers;
    this.controllerCount = controllerCount;
    this.controller = firstController;
  }

  synchronized void connect() {
    if (closed) {
      return;
    }
    int index = controller;
    pages.clear(); // an update half arrived on the stream that ended will not be finished
    stream = SouthboundGrpc.newStub(controllers.apply(index)).sync(new StreamObserver<>() {
      @Override
      public void onNext(ControllerMessage message) {
        if (message.hasUpdate()) {
          apply(message.getUpdate());
        }
      }

      @Override
      public void onError(Throwable t) {
        reconnect(index);
      }

      @Override
      public void onCompleted() {
        reconnect(index);
      }
    });
    stream.onNext(AgentMessage.newBuilder().setHello(Hello.newBuilder().setChassis(chassis).setHostname(chassis)
        .setTunnelIp(tunnelIp).addEncapsulations(Encapsulation.GENEVE).setAppliedVersion(version).setPagedUpdates(true)
        .addAllHeldCookies(flows.keySet()).setHeldRevision(revision)
        .setPorts(Ports.newBuilder().addAllPorts(ports))).build());
  }

  private void reconnect(int failed) {
    synchronized (this) {
      if (closed || failed != controller) {
        return;
      }
      controller = (controller + 1) % controllerCount;
    }
    try {
      Thread.sleep(200); // back off a little, as the real agent does
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    connect();
  }

  /** Plugs these ports in (all of them, instead of those before), and says so. */
  synchronized void plug(List<HostedPort> ports) {
    this.ports = List.copyOf(ports);
    if (stream != null) {
      stream.onNext(AgentMessage.newBuilder().setPorts(Ports.newBuilder().addAllPorts(ports)).build());
    }
  }

  private synchronized void apply(FlowUpdate page) {
    if (!pages.isEmpty() && pages.get(0).getVersion() != page.getVersion()) {
      violations.add("a page of version " + page.getVersion() + " inside update " + pages.get(0).getVersion());
      pages.clear();
    }
    pages.add(page);
    if (page.getMore()) {
      return;
    }
    FlowUpdate.Builder whole = pages.get(0).toBuilder().clearAdd().clearRemove().setMore(false);
    pages.forEach(p -> whole.addAllAdd(p.getAddList()).addAllRemove(p.getRemoveList()));
    pages.clear();
    FlowUpdate update = whole.build();
    if (update.getVersion() < version) {
      violations.add("version went back from " + version + " to " + update.getVersion());
    }
    if (update.getFull()) {
      flows.clear();
      update.getAddList().forEach(f -> flows.put(f.getCookie(), f));
      fullSets++;
    } else {
      if (update.getBaseVersion() != version) {
        violations.add("delta on " + update.getBaseVersion() + " while holding " + version);
      }
      update.getRemoveList().forEach(f -> {
        if (flows.remove(f.getCookie()) == null) {
          violations.add("version " + update.getVersion() + " removes a flow not held: " + f);
        }
      });
      update.getAddList().forEach(f -> flows.put(f.getCookie(), f));
    }
    version = update.getVersion();
    revision = update.getRevision();
    updates++;
    servedBy = update.getController();
    stream.onNext(AgentMessage.newBuilder().setAck(Ack.newBuilder().setVersion(version)).build());
  }

  synchronized Set<Flow> flows() {
    return Set.copyOf(flows.values());
  }

  synchronized long version() {
    return version;
  }

  synchronized int updates() {
    return updates;
  }

  synchronized int fullSets() {
    return fullSets;
  }

  synchronized int controller() {
    return controller;
  }

  synchronized String servedBy() {
    return servedBy;
  }

  synchronized List<String> violations() {
    return List.copyOf(violations);
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (stream != null) {
      try {
        stream.onCompleted();
      } catch (RuntimeException ignored) {
        // already broken
      }
    }
  }
}
