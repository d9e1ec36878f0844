package tenet.controller.southbound;

import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * An agent without OVS for tests: one real southbound stream; it keeps the flows it is sent by
 * cookie, applies a paged update whole with its last page, as tenet-agent does, acks it, and
 * records every breach of the protocol (a delta on a version it does not hold, a version that
 * does not grow, a delta removing what it does not have).
 */
final class StreamAgent implements AutoCloseable {
  final String chassis;
  private final String tunnelIp;
  private final ManagedChannel channel;
  private final Map<Long, Flow> flows = new HashMap<>();
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private List<HostedPort> ports = List.of();
  private long version;
  /** The store revision of the set held (FlowUpdate.revision), said with the cookies. */
  private long revision;
  private FlowUpdate pending;
  private List<Flow> pendingAdd = new ArrayList<>();
  private List<Flow> pendingRemove = new ArrayList<>();
  private StreamObserver<AgentMessage> out;
  private long generation;
  private volatile boolean ended;

  StreamAgent(String chassis, String tunnelIp, ManagedChannel channel) {
    this.chassis = chassis;
    this.tunnelIp = tunnelIp;
    this.channel = channel;
  }

  /** A new stream, saying hello with the version held and the ports plugged in. */
  synchronized void connect() {
    connect(false);
  }

  /**
   * A new stream, saying hello with the version held, the ports plugged in and, when
   * {@code sayHeld}, the cookies of the flows held (as tenet-agent does when its stream ended).
   */
  synchronized void connect(boolean sayHeld) {
    if (out != null) {
      out.onCompleted();
    }
    pending = null;
    ended = false;
    // As tenet-agent's link: what the stream it left still sends is not for it any more.
    long mine = ++generation;
    out = SouthboundGrpc.newStub(channel).sync(new StreamObserver<>() {
      @Override
      public void onNext(ControllerMessage m) {
        if (m.hasUpdate()) {
          page(mine, m.getUpdate());
        }
      }

      @Override
      public void onError(Throwable t) {
        ended(mine);
      }

      @Override
      public void onCompleted() {
        ended(mine);
      }
    });
    out.onNext(AgentMessage.newBuilder().setHello(Hello.newBuilder().setChassis(chassis).setHostname(chassis)
        .setTunnelIp(tunnelIp).addEncapsulations(Encapsulation.GENEVE).setAppliedVersion(version).setPagedUpdates(true)
        .addAllHeldCookies(sayHeld ? flows.keySet() : List.of()).setHeldRevision(sayHeld ? revision : 0)
        .setPorts(Ports.newBuilder().addAllPorts(ports))).build());
  }

  synchronized void plug(List<HostedPort> ports) {
    this.ports = List.copyOf(ports);
    if (out != null) {
      out.onNext(AgentMessage.newBuilder().setPorts(Ports.newBuilder().addAllPorts(ports)).build());
    }
  }

  private synchronized void ended(long stream) {
    if (stream == generation) {
      ended = true;
    }
  }

  private synchronized void page(long stream, FlowUpdate page) {
    if (stream != generation) {
      return;
    }
    if (pending != null && (pending.getVersion() != page.getVersion() || pending.getFull() != page.getFull())) {
      violations.add("a page of version " + page.getVersion() + " inside update " + pending.getVersion());
    }
    if (pending == null) {
      pending = page;
    }
    pendingAdd.addAll(page.getAddList());
    pendingRemove.addAll(page.getRemoveList());
    if (page.getMore()) {
      return;
    }
    if (page.getVersion() <= version) {
      violations.add("version " + page.getVersion() + " after " + version);
    }
    if (page.getFull()) {
      flows.clear();
    } else if (page.getBaseVersion() != version) {
      violations.add("a delta on " + page.getBaseVersion() + " while holding " + version);
    }
    for (Flow f : pendingRemove) {
      if (flows.remove(f.getCookie()) == null) {
        violations.add("version " + page.getVersion() + " removes a flow not held: " + f);
      }
    }
    for (Flow f : pendingAdd) {
      flows.put(f.getCookie(), f);
    }
    if (page.getRevision() < revision) {
      violations.add("version " + page.getVersion() + " at revision " + page.getRevision() + " after revision " + revision);
    }
    version = page.getVersion();
    revision = page.getRevision();
    pending = null;
    pendingAdd = new ArrayList<>();
    pendingRemove = new ArrayList<>();
    out.onNext(AgentMessage.newBuilder().setAck(Ack.newBuilder().setVersion(version)).build());
  }

  synchronized Map<Long, Flow> flows() {
    return Map.copyOf(flows);
  }

  synchronized long version() {
    return version;
  }

  boolean ended() {
    return ended;
  }

  List<String> violations() {
    return List.copyOf(violations);
  }

  @Override
  public synchronized void close() {
    if (out != null) {
      out.onCompleted();
      out = null;
    }
  }
}
