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

  public StoreConfig withJoin(boolean join) {
    return new StoreConfig(nodeId, dataDir, raftHost, raftPort, peers, join, clusterName,
        snapshotThreshold, logSegmentBytes, watchHistory, electionTimeoutMin, electionTimeoutMax);
  }
}
