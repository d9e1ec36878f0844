package tenet.ops.bench;

import java.time.Duration;

/** A running cluster of one of the compared stores, as the load driver and the failover trials see it. */
interface StoreCluster extends AutoCloseable {

  /** "tenet" or "etcd". */
  String system();

  int size();

  /**
   * One linearizable write of a new 100-byte object through node {@code node} (0-based), blocking
   * until it is acknowledged. Throws when the node refuses, is gone, or the deadline passes.
   */
  void write(int node, Duration deadline) throws Exception;

  /** Index of the node the cluster names as leader now; waits up to {@code timeout} for one. */
  int leader(Duration timeout) throws Exception;

  /** kill -9 of that node's process. */
  void kill(int node);

  /**
   * Starts the node again with the same configuration and data, and waits until it is back in the
   * cluster; returns how long the steps took.
   */
  Rejoin restartAndAwaitRejoined(int node, Duration timeout) throws Exception;

  /**
   * A restarted node, timed from its launch: until it answered naming a leader (Tenet: the Admin
   * API's ClusterStatus; etcd: its maintenance status), and until it had applied what the leader
   * had applied by then. {@code phases}: what the node's own log says of its start, or "".
   */
  record Rejoin(double servingMs, double caughtUpMs, String phases) {}

  /** CPU time (user + system) used so far by the cluster's processes now running. */
  java.time.Duration cpu();

  /** Stops every process of the cluster (by PID). */
  @Override
  void close();

  /** The 100-byte payload of every write: Tenant.description, or the etcd value. */
  String PAYLOAD = "tenet-bench-payload-".repeat(5);
}
