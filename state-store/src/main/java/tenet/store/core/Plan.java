package tenet.store.core;

import java.util.List;
import tenet.api.v1.TxnResponse;

/** An accepted transaction: the changes to commit at {@code revision}, and the client's answer. */
public record Plan(long revision, List<Change> changes, TxnResponse response) {
  public Plan {
    changes = List.copyOf(changes);
  }
}
