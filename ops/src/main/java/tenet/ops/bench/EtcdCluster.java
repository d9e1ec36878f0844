package tenet.ops.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.maintenance.StatusResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * N etcd server processes on loopback (free client and peer ports, temporary data directories,
 * etcd's default timings: 100 ms heartbeat, 1000 ms election timeout), one jetcd client per
 * member. Writes are {@code KV.put} of a new key with the 100-byte value.
 */
final class EtcdCluster extends ProcessCluster {

  private record Member(String name, int clientPort, int peerPort, Path dir) {
    String clientUrl() {
      return "http://127.0.0.1:" + clientPort;
    }

    String peerUrl() {
      return "http://127.0.0.1:" + peerPort;
    }
  }

  private final Path binary;
  private final List<Member> members;
  private final String initialCluster;
  private final String token;
  private final Children children;
  private final AtomicReferenceArray<Client> clients;
  private final long[] memberIds;
  private final String run;
  private final AtomicLong sequence = new AtomicLong();
  private final ByteSequence value = ByteSequence.from(PAYLOAD, StandardCharsets.UTF_8);

  private EtcdCluster(Path binary, List<Member> members, Children children, String run) {
    super(members.size());
    this.binary = binary;
    this.members = members;
    this.children = children;
    this.run = run;
    this.token = "tenet-bench-" + run + "-" + members.size();
    StringBuilder ic = new StringBuilder();
    for (Member m : members) {
      ic.append(ic.isEmpty() ? "" : ",").append(m.name()).append('=').append(m.peerUrl());
    }
    this.initialCluster = ic.toString();
    this.clients = new AtomicReferenceArray<>(members.size());
    this.memberIds = new long[members.size()];
  }

  static EtcdCluster start(Path binary, int size, Path root, Ports ports, Children children, String run,
      Duration timeout) throws Exception {
    List<Member> members = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      members.add(new Member("e" + i, ports.next(), ports.next(), root.resolve("e" + i)));
    }
    EtcdCluster cluster = new EtcdCluster(binary, List.copyOf(members), children, run);
    try {
      for (int i = 0; i < size; i++) {
        cluster.launch(i);
      }
      long deadline = System.nanoTime() + timeout.toNanos();
      for (int i = 0; i < size; i++) {
        cluster.memberIds[i] = cluster.awaitStatus(i, deadline).getHeader().getMemberId();
      }
      return cluster;
    } catch (Exception | Error e) {
      cluster.close();
      throw e;
    }
  }

  @Override
  void launch(int i) throws IOException {
    Member m = members.get(i);
    Files.createDirectories(m.dir());
    // Flags for a new cluster; on a restart etcd finds its data directory and ignores the initial-* ones.
    List<String> command = List.of(binary.toString(),
        "--name", m.name(),
        "--data-dir", m.dir().resolve("data").toString(),
        "--listen-client-urls", m.clientUrl(),
        "--advertise-client-urls", m.clientUrl(),
        "--listen-peer-urls", m.peerUrl(),
        "--initial-advertise-peer-urls", m.peerUrl(),
        "--initial-cluster", initialCluster,
        "--initial-cluster-token", token,
        "--initial-cluster-state", "new",
        "--logger", "zap",
        "--log-outputs", "stderr");
    // ETCD_* variables would act as flags (etcd reads its configuration from them too).
    processes.set(i, children.start("etcd " + m.name(), command, m.dir(), m.dir().resolve("etcd.log"), "ETCD_"));
    // waitForReady off: a call to a dead member fails at once (UNAVAILABLE) instead of waiting for
    // it to come back, like Tenet's channels. Puts are never retried by jetcd.
    Client old = clients.getAndSet(i, Client.builder()
        .endpoints(m.clientUrl())
        .waitForReady(false)
        .connectTimeout(Duration.ofSeconds(1))
        .build());
    if (old != null) {
      old.close();
    }
  }

  private StatusResponse status(int i, Duration deadline) throws Exception {
    return clients.get(i).getMaintenanceClient().statusMember(members.get(i).clientUrl())
        .get(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  void awaitServing(int i, long deadlineNanos) throws Exception {
    awaitStatus(i, deadlineNanos);
  }

  private StatusResponse awaitStatus(int i, long deadlineNanos) throws Exception {
    Member m = members.get(i);
    String last = "no answer yet";
    while (true) {
      Children.Child child = processes.get(i);
      if (!child.alive()) {
        throw new IOException("etcd " + m.name() + " (pid " + child.pid() + ") exited with "
            + child.process().exitValue() + "; its log ends with:\n" + Children.tail(child, 30));
      }
      try {
        StatusResponse s = status(i, Duration.ofSeconds(1));
        if (s.getLeader() != 0) {
          return s;
        }
        last = "no leader yet";
      } catch (Exception e) {
        last = e.toString();
      }
      if (System.nanoTime() > deadlineNanos) {
        throw new IOException("etcd " + m.name() + " not ready in time (" + last + "); its log ends with:\n"
            + Children.tail(child, 30));
      }
      Thread.sleep(20); // a status call is cheap; the rejoin time is measured to this step
    }
  }

  @Override
  public String system() {
    return "etcd";
  }

  @Override
  public int size() {
    return members.size();
  }

  @Override
  public void write(int node, Duration deadline) throws Exception {
    ByteSequence key = ByteSequence.from("/bench/b" + run + "-" + sequence.incrementAndGet(), StandardCharsets.UTF_8);
    var future = clients.get(node).getKVClient().put(key, value);
    try {
      future.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw e;
    }
  }

  @Override
  public int leader(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (int i = 0; i < members.size(); i++) {
        if (!processes.get(i).alive()) {
          continue;
        }
        try {
          long leader = status(i, Duration.ofSeconds(1)).getLeader();
          for (int j = 0; j < members.size(); j++) {
            if (memberIds[j] == leader && processes.get(j).alive()) {
              return j;
            }
          }
        } catch (Exception e) {
          // next member
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("the etcd cluster names no live leader");
      }
      Thread.sleep(50);
    }
  }




  /**
   * kill -9 by PID: the data is thrown away, and members sent SIGTERM together can spend seconds
   * trying to hand leadership to peers that are going down too.
   */
  @Override
  long applied(int i) throws Exception {
    return status(i, Duration.ofSeconds(1)).getRaftIndex();
  }

  @Override
  String nodeName(int i) {
    return "etcd " + members.get(i).name();
  }

  @Override
  public void close() {
    for (int i = 0; i < members.size(); i++) {
      Client c = clients.get(i);
      if (c != null) {
        c.close();
      }
      if (processes.get(i) != null) {
        Children.kill9(processes.get(i));
      }
    }
  }
}
