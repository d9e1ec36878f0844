package tenet.store.ratis;

import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import tenet.api.v1.AdminGrpc;
import tenet.api.v1.NorthboundGrpc;
import tenet.rpc.GrpcEndpoints;
import tenet.store.rpc.AdminService;
import tenet.store.rpc.NorthboundService;

/**
 * Real Ratis peers in one JVM, each with its northbound API on a loopback port, for component
 * tests. Stopping a peer closes its server and sockets, as a crash looks to the others.
 */
final class StoreCluster implements AutoCloseable {
  private final Path root;
  private final List<StoreConfig> configs = new ArrayList<>();
  private final List<Peer> peers = new ArrayList<>();
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  /** A running peer with its API. */
  static final class Peer implements AutoCloseable {
    final StoreNode node;
    final GrpcEndpoints.RunningServer api;
    final ManagedChannel channel;

    Peer(StoreNode node, GrpcEndpoints.RunningServer api) {
      this.node = node;
      this.api = api;
      this.channel = GrpcEndpoints.channel("127.0.0.1:" + api.port());
    }

    NorthboundGrpc.NorthboundBlockingStub nb() {
      return NorthboundGrpc.newBlockingStub(channel);
    }

    AdminGrpc.AdminBlockingStub admin() {
      return AdminGrpc.newBlockingStub(channel);
    }

    @Override
    public void close() {
      channel.shutdownNow();
      api.close();
      try {
        node.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  StoreCluster(Path root, int size, long snapshotThreshold) throws IOException {
    this(root, size, snapshotThreshold, 10_000);
  }

  StoreCluster(Path root, int size, long snapshotThreshold, int watchHistory) throws IOException {
    this.root = root;
    List<StoreConfig.PeerAddress> addresses = new ArrayList<>();
    List<Integer> ports = freePorts(size);
    for (int i = 0; i < size; i++) {
      addresses.add(new StoreConfig.PeerAddress("n" + i, "127.0.0.1:" + ports.get(i)));
    }
    for (int i = 0; i < size; i++) {
      configs.add(new StoreConfig("n" + i, root.resolve("n" + i), "127.0.0.1", ports.get(i), addresses, false,
          "test", snapshotThreshold, 8 * 1024, watchHistory, Duration.ofMillis(150), Duration.ofMillis(300)));
      peers.add(null);
    }
  }

  StoreCluster startAll() throws IOException {
    for (int i = 0; i < configs.size(); i++) {
      start(i);
    }
    awaitLeader();
    return this;
  }

  Peer start(int i) throws IOException {
    StoreNode node = StoreNode.start(configs.get(i));
    var api = GrpcEndpoints.startServer("127.0.0.1", 0,
        List.of(new NorthboundService(node, executor), new AdminService(node)));
    Peer peer = new Peer(node, api);
    peers.set(i, peer);
    return peer;
  }

  /** A new peer outside the group, started empty to be added with AddPeer. */
  Peer startJoiner() throws IOException {
    int i = configs.size();
    int port = freePorts(1).get(0);
    StoreConfig c = configs.get(0);
    configs.add(new StoreConfig("n" + i, root.resolve("n" + i), "127.0.0.1", port,
        List.of(new StoreConfig.PeerAddress("n" + i, "127.0.0.1:" + port)), true, "test",
        c.snapshotThreshold(), c.logSegmentBytes(), c.watchHistory(), c.electionTimeoutMin(), c.electionTimeoutMax()));
    peers.add(null);
    return start(i);
  }

  /** Starts peer i empty in join mode, as an operator does after replacing its lost disk. */
  Peer rejoin(int i) throws IOException {
    configs.set(i, configs.get(i).withJoin(true));
    return start(i);
  }

  void stop(int i) {
    Peer p = peers.set(i, null);
    if (p != null) {
      p.close();
    }
  }

  void wipe(int i) throws IOException {
    Path dir = configs.get(i).dataDir();
    if (Files.exists(dir)) {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  Peer peer(int i) {
    return peers.get(i);
  }

  StoreConfig config(int i) {
    return configs.get(i);
  }

  int size() {
    return peers.size();
  }

  int awaitLeader() {
    int[] leader = {-1};
    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> {
      for (int i = 0; i < peers.size(); i++) {
        Peer p = peers.get(i);
        if (p != null && p.node.isLeader() && p.node.division().getInfo().isLeaderReady()) {
          leader[0] = i;
          return true;
        }
      }
      return false;
    });
    return leader[0];
  }

  /** Waits until every running peer has applied {@code revision}. */
  void awaitRevision(long revision) {
    Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() ->
        peers.stream().filter(p -> p != null).allMatch(p -> p.node.stateMachine().revision() >= revision));
  }

  @Override
  public void close() {
    for (int i = 0; i < peers.size(); i++) {
      try {
        stop(i);
      } catch (RuntimeException ignored) {
        // keep closing the others
      }
    }
    executor.shutdownNow();
  }

  static List<Integer> freePorts(int n) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        sockets.add(new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()));
      }
      return sockets.stream().map(ServerSocket::getLocalPort).toList();
    } finally {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
  }
}
