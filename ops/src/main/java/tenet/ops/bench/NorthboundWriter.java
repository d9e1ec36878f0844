package tenet.ops.bench;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import tenet.api.v1.NorthboundGrpc;
import tenet.api.v1.TxnRequest;
import tenet.api.v1.TxnResponse;

/**
 * The bench's cloud portal: northbound transactions through one controller of the cluster, as a
 * portal configured with one endpoint would send them, moved to another controller on request
 * (before that one is killed) or when it stops answering.
 */
final class NorthboundWriter {
  private final TenetCluster cluster;
  private int node;

  NorthboundWriter(TenetCluster cluster, int node) {
    this.cluster = cluster;
    this.node = node;
  }

  int node() {
    return node;
  }

  /** The id of the controller written through ("c1"). */
  String nodeId() {
    return cluster.nodeId(node);
  }

  /** Writes through a live controller other than {@code node} from now on. */
  void avoid(int avoided) {
    for (int i = 0; i < cluster.size(); i++) {
      int next = (avoided + 1 + i) % cluster.size();
      if (next != avoided && cluster.alive(next)) {
        node = next;
        return;
      }
    }
    throw new IllegalStateException("no live controller but " + avoided);
  }

  /** One transaction; any error is the caller's. */
  TxnResponse txn(TxnRequest txn, Duration deadline) {
    return NorthboundGrpc.newBlockingStub(cluster.channel(node))
        .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS).txn(txn);
  }

  /**
   * One transaction of creates, tried again (through the next live controller) while the cluster
   * cannot answer, as after a controller's death, until {@code within} has passed. A try that
   * timed out may have been committed all the same: then the next one finds the objects there
   * (ALREADY_EXISTS), and that counts as done.
   */
  void createUntilDone(TxnRequest txn, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      try {
        txn(txn, Duration.ofSeconds(2));
        return;
      } catch (StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        if (code == Status.Code.ALREADY_EXISTS) {
          return;
        }
        if (code != Status.Code.UNAVAILABLE && code != Status.Code.DEADLINE_EXCEEDED) {
          throw e;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the cluster did not take a transaction within " + within.toSeconds()
              + " s; last answer: " + e.getStatus(), e);
        }
        if (code == Status.Code.UNAVAILABLE && !cluster.alive(node)) {
          avoid(node);
        }
        Thread.sleep(20);
      }
    }
  }
}
