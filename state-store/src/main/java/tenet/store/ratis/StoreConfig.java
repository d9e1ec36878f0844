package tenet.store.ratis;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How one store peer runs. {@code peers} is the initial group (this node included) unless
 * {@code join} is set: then the node starts empty and waits to be added by an admin call.
 */
public record StoreConfig(
    String nodeId,
    Path dataDir,
    String raftHost,
    int raftPort,
    List<PeerAddress> peers,
    boolean join,
    String clusterName,
    long snapshotThreshold,
    long logSegmentBytes,
    int watchHistory,
    Duration electionTimeoutMin,
    Duration electionTimeoutMax) {

  public record PeerAddress(String id, String raftAddress) {}

  public StoreConfig {
    peers = List.copyOf(peers);
    if (!join && peers.stream().noneMatch(p -> p.id().equals(nodeId))) {
      throw new IllegalArgumentException("peers must include this node '" + nodeId + "' unless it joins later");
    }
  }

  /** A single-node store on loopback, the embedded default. */
  public static StoreConfig singleNode(String nodeId, Path dataDir, int raftPort) {
    return new StoreConfig(nodeId, dataDir, "127.0.0.1", raftPort,
        List.of(new PeerAddress(nodeId, "127.0.0.1:" + raftPort)), false, "tenet",
        100_000, 32L << 20, 100_000, Duration.ofMillis(150), Duration.ofMillis(300));
  }

  public StoreConfig withPeers(List<PeerAddress> peers) {
    return new StoreConfig(nodeId, dataDir, raftHost, raftPort, peers, join, clusterName,
        snapshotThreshold, logSegmentBytes, watchHistory, electionTimeoutMin, electionTimeoutMax);
  }

  public StoreConfig withSnapshotThreshold(long threshold) {
    return new StoreConfig(nodeId, dataDir, raftHost, raftPort, peers, join, clusterName,
        threshold, logSegmentBytes, watchHistory, electionTimeoutMin, electionTimeoutMax);
  }

  /** Small segments let tests see the log purged after a snapshot (only closed segments go). */
  public StoreConfig withLogSegmentBytes(long bytes) {
    return new StoreConfig(nodeId, dataDir, raftHost, raftPort, peers, join, clusterName,
        snapshotThreshold, bytes, watchHistory, electionTimeoutMin, electionTimeoutMax);
  }

  public StoreConfig withJoin(boolean join) {
    return new StoreConfig(nodeId, dataDir, raftHost, raftPort, peers, join, clusterName,
        snapshotThreshold, logSegmentBytes, watchHistory, electionTimeoutMin, electionTimeoutMax);
  }
}
