package tenet.ops.cli;

import java.util.List;
import tenet.api.v1.CreateRequest;
import tenet.api.v1.ObjectRef;
import tenet.api.v1.Resource;
import tenet.api.v1.TxnOp;
import tenet.api.v1.TxnRequest;
import tenet.api.v1.UpdateRequest;

/** What `apply` will do with each declared object, in the order the transaction does it. */
public record ApplyPlan(List<Step> steps) {
  public enum Action {
    CREATE("created"), UPDATE("updated"), UNCHANGED("unchanged");

    private final String done;

    Action(String done) {
      this.done = done;
    }

    /** The word a result line ends with. */
    public String done() {
      return done;
    }
  }

  /**
   * One object. {@code resource} is what is sent; {@code expectedRevision} is the stored revision
   * an update was planned against; {@code changedFields} name what an update changes.
   */
  public record Step(ObjectRef ref, Action action, Resource resource, long expectedRevision,
      List<String> changedFields) {
    public Step {
      changedFields = List.copyOf(changedFields);
    }
  }

  public ApplyPlan {
    steps = List.copyOf(steps);
  }

  public boolean hasChanges() {
    return steps.stream().anyMatch(s -> s.action() != Action.UNCHANGED);
  }

  /** Steps that change something, in transaction order: the i-th op is changes().get(i). */
  public List<Step> changes() {
    return steps.stream().filter(s -> s.action() != Action.UNCHANGED).toList();
  }

  /** Every create and update in one transaction, updates conditional on the planned revision. */
  public TxnRequest txn() {
    TxnRequest.Builder txn = TxnRequest.newBuilder();
    for (Step s : changes()) {
      txn.addOps(switch (s.action()) {
        case CREATE -> TxnOp.newBuilder().setCreate(CreateRequest.newBuilder().setResource(s.resource()));
        case UPDATE -> TxnOp.newBuilder().setUpdate(UpdateRequest.newBuilder()
            .setResource(s.resource()).setExpectedRevision(s.expectedRevision()));
        case UNCHANGED -> throw new AssertionError("filtered out");
      });
    }
    return txn.build();
  }
}
