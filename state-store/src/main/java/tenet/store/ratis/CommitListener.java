package tenet.store.ratis;

import tenet.store.core.Plan;

/**
 * Told of every change to a replica's state, in order, while the state machine holds its write
 * lock: so a reader that drains what it was told under the read lock sees the state exactly as
 * it is after those changes. It must only hand them on (append to a queue), never block or read.
 */
public interface CommitListener {
  /** {@code plan} was committed: the state is now at {@code plan.revision()}. */
  void committed(Plan plan);

  /** The whole state was replaced (a snapshot loaded or installed): what was told before is moot. */
  void replaced(long revision);
}
