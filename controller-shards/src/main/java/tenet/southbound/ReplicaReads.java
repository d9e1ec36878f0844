package tenet.southbound;

import java.util.function.Function;
import tenet.store.core.StoreState;

/** This node's replica of the store as an agent's stream reads it: a function of its state as it is now, read whole. */
public interface ReplicaReads {
  <T> T read(Function<StoreState, T> reader);
}
