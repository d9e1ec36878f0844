package tenet.store.core;

/** What {@link TxnPlanner} decides: a plan to commit, or why nothing may change. */
public sealed interface PlanResult {
  record Accepted(Plan plan) implements PlanResult {}

  record Rejected(StoreError error) implements PlanResult {}
}
