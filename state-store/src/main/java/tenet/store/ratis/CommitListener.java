package tenet.store.ratis;

import tenet.store.core.Plan;

/**
 * Told of every change to a replica's state, in order, while the state machine holds its write
 * lock: a reader that commits the same plans to a copy of its own (taken under the read lock)
 * holds the state exactly as the replica does, and one that drains them under the read lock sees
 * it as it is after them. It must only hand them on (a queue), never block or read the state.
 */
public interface CommitListener {
  /** {@code plan} was committed: the state is now at {@code plan.revision()}. */
  void committed(Plan plan);

  /** The whole state was replaced (a snapshot loaded or installed): what was told before is moot. */
  void replaced(long revision);
}
