package tenet.compiler;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tenet.api.v1.TxnRequest;
import tenet.store.core.PlanResult;
import tenet.store.core.StoreState;
import tenet.store.core.TxnPlanner;

/** Desired state for compiler tests, built through the store's own planner (so keys are allocated as in production). */
public final class Topologies {
  private Topologies() {}

  /** A transaction written as protobuf JSON ({@code {"ops": [...]}}). */
  public static TxnRequest txn(String json) {
    try {
      TxnRequest.Builder txn = TxnRequest.newBuilder();
      JsonFormat.parser().merge(json, txn);
      return txn.build();
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  public static StoreState load(Path json) throws IOException {
    StoreState state = new StoreState();
    commit(state, txn(Files.readString(json)));
    return state;
  }

  /** Plans and commits {@code txn}; fails the test when the store refuses it. */
  public static void commit(StoreState state, TxnRequest txn) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < TxnPlanner.createCount(txn); i++) {
      ids.add("id-" + state.revision() + "-" + i);
    }
    PlanResult result = TxnPlanner.plan(state, txn, Timestamp.getDefaultInstance(), ids);
    if (!(result instanceof PlanResult.Accepted accepted)) {
      throw new AssertionError("the store refused the topology: " + result);
    }
    state.commit(accepted.plan());
  }
}
