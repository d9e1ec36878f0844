package tenet.store.ratis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.client.GrpcClientRpc;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tenet.api.v1.ClusterStatusResponse;
import tenet.api.v1.Peer;

/** One peer of the replicated store: a Ratis server with the store state machine, and a client. */
public final class StoreNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StoreNode.class);
  /** How the store's client retries a request whose peer failed: 7.5 s in all, an election's worth and more. */
  static final int CLIENT_RETRIES = 150;
  static final Duration CLIENT_RETRY_SLEEP = Duration.ofMillis(50);

  private final StoreConfig config;
  private final RaftGroup group;
  private final RaftServer server;
  private final StoreStateMachine stateMachine;
  private final RaftClient raftClient;
  private final StoreClient client;

  private StoreNode(StoreConfig config, RaftGroup group, RaftServer server, StoreStateMachine sm, RaftClient raftClient) {
    this.config = config;
    this.group = group;
    this.server = server;
    this.stateMachine = sm;
    this.raftClient = raftClient;
    this.client = new StoreClient(raftClient, sm);
  }

  public static RaftGroupId groupId(String clusterName) {
    return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(("tenet-store:" + clusterName).getBytes(StandardCharsets.UTF_8)));
  }

  public static StoreNode start(StoreConfig config) throws IOException {
    Files.createDirectories(config.dataDir());
    RaftGroupId groupId = groupId(config.clusterName());
    List<RaftPeer> peers = toPeers(config.peers());
    RaftGroup initial = config.join() ? RaftGroup.valueOf(groupId) : RaftGroup.valueOf(groupId, peers);
    // Recover when this peer has stored the group before, whatever it was started with.
    boolean formatted = Files.isDirectory(config.dataDir().resolve(groupId.getUuid().toString()));
    RaftProperties props = properties(config);
    StoreStateMachine sm = new StoreStateMachine(config.watchHistory(), Clock.systemUTC());
    RaftServer server = RaftServer.newBuilder()
        .setServerId(RaftPeerId.valueOf(config.nodeId()))
        .setGroup(initial)
        .setProperties(props)
        .setStateMachine(sm)
        .setOption(formatted ? RaftStorage.StartupOption.RECOVER : RaftStorage.StartupOption.FORMAT)
        .build();
    server.start();
    ClientId clientId = ClientId.randomId();
    RaftProperties clientProperties = clientProperties();
    RaftClient raftClient = RaftClient.newBuilder()
        .setProperties(clientProperties)
        .setClientRpc(new DetachedResetClientRpc(GrpcClientRpc.create(clientId, clientProperties, null, null)))
        .setRaftGroup(RaftGroup.valueOf(groupId, peers))
        .setClientId(clientId)
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(CLIENT_RETRIES,
            TimeDuration.valueOf(CLIENT_RETRY_SLEEP.toMillis(), TimeUnit.MILLISECONDS)))
        .build();
    log.info("store peer {} started on {}:{} ({}, {} peers; {})", config.nodeId(),
        config.raftHost(), config.raftPort(), formatted ? "recovered" : "new", peers.size(), ProcessUptime.describe());
    return new StoreNode(config, initial, server, sm, raftClient);
  }

  /**
   * How long a leader's log appender sleeps after each failed send to a follower (Ratis' sleep
   * times, each drawn between half and one and a half of the figure, for a number of consecutive
   * failures). Ratis' default, "1ms,10, 1s,20, 5s,1000", sleeps 5 s between tries once a follower
   * has been down for about ten seconds, so a restarted peer waited up to 5 s for its leader's first
   * append and could not name a leader meanwhile (seen in its log: 5.5 s from its Raft port opening to
   * the first append). A try at a dead peer costs a refused connection: every 50-150 ms is cheap.
   */
  static final String APPENDER_RETRY_POLICY = "1ms,10, 100ms," + Integer.MAX_VALUE;

  private static RaftProperties properties(StoreConfig config) {
    RaftProperties p = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(p, List.of(config.dataDir().toFile()));
    GrpcConfigKeys.Server.setHost(p, config.raftHost());
    GrpcConfigKeys.Server.setPort(p, config.raftPort());
    RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(config.electionTimeoutMin().toMillis(), TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(config.electionTimeoutMax().toMillis(), TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, config.snapshotThreshold());
    RaftServerConfigKeys.Snapshot.setCreationGap(p, Math.min(1024, config.snapshotThreshold()));
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
    // After each commit the leader logs an entry naming the commit index and sends it at once: a
    // follower learns of the commit then, not with the next heartbeat (up to election-timeout-min / 2
    // later), and its compiler tells its agents that much sooner (a port add on a follower's chassis
    // waited 150-250 ms more than on the leader's with these entries off).
    RaftServerConfigKeys.Log.setLogMetadataEnabled(p, true);
    RaftServerConfigKeys.Log.setSegmentSizeMax(p, org.apache.ratis.util.SizeInBytes.valueOf(config.logSegmentBytes()));
    RaftServerConfigKeys.Log.setPurgeGap(p, (int) Math.max(1, Math.min(1024, config.snapshotThreshold() / 2)));
    RaftServerConfigKeys.Log.Appender.setRetryPolicy(p, APPENDER_RETRY_POLICY);
    return p;
  }

  static RaftProperties clientProperties() {
    RaftProperties p = new RaftProperties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(3, TimeUnit.SECONDS));
    RaftClientConfigKeys.Async.setOutstandingRequestsMax(p, 1024);
    return p;
  }

  static List<RaftPeer> toPeers(List<StoreConfig.PeerAddress> addresses) {
    List<RaftPeer> peers = new ArrayList<>();
    for (StoreConfig.PeerAddress a : addresses) {
      peers.add(RaftPeer.newBuilder().setId(a.id()).setAddress(a.raftAddress()).build());
    }
    return peers;
  }

  public StoreClient client() {
    return client;
  }

  public StoreStateMachine stateMachine() {
    return stateMachine;
  }

  public RaftServer.Division division() throws IOException {
    return server.getDivision(group.getGroupId());
  }

  public boolean isLeader() {
    try {
      return division().getInfo().isLeader();
    } catch (IOException e) {
      return false;
    }
  }

  public ClusterStatusResponse status() throws IOException {
    RaftServer.Division d = division();
    String leader = d.getInfo().getLeaderId() == null ? "" : d.getInfo().getLeaderId().toString();
    ClusterStatusResponse.Builder out = ClusterStatusResponse.newBuilder()
        .setLeaderId(leader)
        .setTerm(d.getInfo().getCurrentTerm())
        .setCommitIndex(d.getRaftLog().getLastCommittedIndex())
        .setRevision(stateMachine.revision())
        .setAnsweredBy(config.nodeId());
    for (RaftPeer peer : d.getRaftConf().getCurrentPeers()) {
      out.addPeers(Peer.newBuilder().setId(peer.getId().toString()).setRaftAddress(peer.getAddress())
          .setLeader(peer.getId().toString().equals(leader)));
    }
    return out.build();
  }

  /** Adds a running peer (started with join) to the group; blocks until the new configuration commits. */
  public ClusterStatusResponse addPeer(String id, String raftAddress) throws IOException {
    List<RaftPeer> peers = new ArrayList<>(division().getRaftConf().getCurrentPeers());
    if (peers.stream().anyMatch(p -> p.getId().toString().equals(id))) {
      throw new IllegalArgumentException("peer " + id + " is already a member");
    }
    peers.add(RaftPeer.newBuilder().setId(id).setAddress(raftAddress).build());
    check(raftClient.admin().setConfiguration(peers), "add peer " + id);
    return status();
  }

  public ClusterStatusResponse removePeer(String id) throws IOException {
    List<RaftPeer> peers = new ArrayList<>(division().getRaftConf().getCurrentPeers());
    if (!peers.removeIf(p -> p.getId().toString().equals(id))) {
      throw new IllegalArgumentException("peer " + id + " is not a member");
    }
    if (peers.isEmpty()) {
      throw new IllegalArgumentException("cannot remove the last peer");
    }
    check(raftClient.admin().setConfiguration(peers), "remove peer " + id);
    return status();
  }

  /** Snapshot on the leader now; returns the snapshot's log index. */
  public long snapshot() throws IOException {
    RaftClientReply reply = raftClient.getSnapshotManagementApi().create(30_000);
    check(reply, "snapshot");
    return reply.getLogIndex();
  }

  private static void check(RaftClientReply reply, String what) throws IOException {
    if (!reply.isSuccess()) {
      throw new IOException(what + " failed: " + reply.getException());
    }
  }

  @Override
  public void close() throws IOException {
    try {
      raftClient.close();
    } finally {
      server.close();
    }
  }
}
