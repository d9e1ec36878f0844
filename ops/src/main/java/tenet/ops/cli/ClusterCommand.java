package tenet.ops.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tenet.api.v1.AddPeerRequest;
import tenet.api.v1.ClusterStatusRequest;
import tenet.api.v1.ClusterStatusResponse;
import tenet.api.v1.Peer;
import tenet.api.v1.RemovePeerRequest;
import tenet.api.v1.SnapshotRequest;

/** Membership and maintenance of the controllers' replicated store (the Admin service). */
@Command(name = "cluster",
    description = "Show or change the controller cluster: its store peers, leader and revision.",
    subcommands = {ClusterCommand.Status.class, ClusterCommand.AddPeer.class,
        ClusterCommand.RemovePeer.class, ClusterCommand.Snapshot.class})
final class ClusterCommand {
  @ParentCommand
  Tenetctl root;

  static void print(Tenetctl root, ClusterStatusResponse status) {
    var out = root.out();
    out.printf("leader %s, term %d, commit index %d, revision %d (answered by %s)%n",
        status.getLeaderId().isEmpty() ? "(none)" : status.getLeaderId(), status.getTerm(),
        status.getCommitIndex(), status.getRevision(), status.getAnsweredBy());
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("PEER", "RAFT-ADDRESS", "ROLE"));
    for (Peer p : status.getPeersList()) {
      rows.add(List.of(p.getId(), p.getRaftAddress(), p.getLeader() ? "leader" : "follower"));
    }
    out.print(TableRenderer.align(rows));
    out.flush();
  }

  @Command(name = "status", description = "Peers, leader, term and the store revision.")
  static final class Status implements Callable<Integer> {
    @ParentCommand
    ClusterCommand cluster;

    @Override
    public Integer call() {
      print(cluster.root, cluster.root.client().admin().clusterStatus(ClusterStatusRequest.getDefaultInstance()));
      return 0;
    }
  }

  @Command(name = "add-peer", description = {"Add a running controller started with `join = true`.",
      "It catches up from a snapshot and the log before it counts towards the quorum."})
  static final class AddPeer implements Callable<Integer> {
    @ParentCommand
    ClusterCommand cluster;

    @Parameters(index = "0", paramLabel = "ID", description = "Its node-id.")
    String id;

    @Parameters(index = "1", paramLabel = "HOST:PORT", description = "Its Raft address (raft.host:raft.port).")
    String raftAddress;

    @Override
    public Integer call() {
      if (!raftAddress.matches("[^:\\s]+:\\d{1,5}")) {
        throw new UsageException("HOST:PORT expected for the Raft address, got '" + raftAddress + "'");
      }
      print(cluster.root, cluster.root.client().admin().addPeer(AddPeerRequest.newBuilder()
          .setPeer(Peer.newBuilder().setId(id).setRaftAddress(raftAddress)).build()));
      return 0;
    }
  }

  @Command(name = "remove-peer", description = {"Remove a peer from the store's group.",
      "A peer that lost its disk must be removed, wiped and added again."})
  static final class RemovePeer implements Callable<Integer> {
    @ParentCommand
    ClusterCommand cluster;

    @Parameters(index = "0", paramLabel = "ID", description = "Its node-id.")
    String id;

    @Override
    public Integer call() {
      print(cluster.root, cluster.root.client().admin().removePeer(RemovePeerRequest.newBuilder().setId(id).build()));
      return 0;
    }
  }

  @Command(name = "snapshot", description = "Take a store snapshot now and purge the log up to it.")
  static final class Snapshot implements Callable<Integer> {
    @ParentCommand
    ClusterCommand cluster;

    @Override
    public Integer call() {
      long index = cluster.root.client().admin().snapshot(SnapshotRequest.getDefaultInstance()).getIndex();
      cluster.root.out().printf("snapshot taken at log index %d%n", index);
      cluster.root.out().flush();
      return 0;
    }
  }
}
