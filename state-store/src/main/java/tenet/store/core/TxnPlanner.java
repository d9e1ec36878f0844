package tenet.store.core;

import com.google.protobuf.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tenet.api.v1.DeleteRequest;
import tenet.api.v1.Kind;
import tenet.api.v1.Metadata;
import tenet.api.v1.Resource;
import tenet.api.v1.TxnOp;
import tenet.api.v1.TxnRequest;
import tenet.api.v1.TxnResponse;
import tenet.store.core.net.Names;
import tenet.store.model.References;
import tenet.store.model.ResourceKey;
import tenet.api.Resources;

/**
 * Decides a transaction against a state without changing it: every operation is checked, the
 * whole result is checked for consistency, and either a {@link Plan} comes out or the first
 * error. Deterministic: the same state, request, time and ids give the same plan, which is
 * what lets the Raft leader check a request before the log and every peer apply it after.
 */
public final class TxnPlanner {
  public static final int MAX_OPS = 10_000;

  private TxnPlanner() {}

  public static int createCount(TxnRequest txn) {
    return (int) txn.getOpsList().stream().filter(TxnOp::hasCreate).count();
  }

  public static PlanResult plan(StoreState state, TxnRequest txn, Timestamp time, List<String> newIds) {
    if (newIds.size() != createCount(txn)) {
      throw new IllegalArgumentException("need one id per create: " + createCount(txn) + " != " + newIds.size());
    }
    Violations v = new Violations();
    if (txn.getOpsCount() == 0) {
      v.add("ops", "a transaction needs at least one operation");
    } else if (txn.getOpsCount() > MAX_OPS) {
      v.add("ops", "at most " + MAX_OPS + " operations per transaction, got " + txn.getOpsCount());
    }
    if (!v.isEmpty()) {
      return reject(new StoreError.InvalidArgument(v.list()));
    }

    boolean single = txn.getOpsCount() == 1;
    List<Resource> inputs = new ArrayList<>();
    for (int i = 0; i < txn.getOpsCount(); i++) {
      TxnOp op = txn.getOps(i);
      String prefix = single ? "" : "ops[" + i + "].";
      Resource input = switch (op.getOpCase()) {
        case CREATE -> normalize(op.getCreate().getResource());
        case UPDATE -> normalize(op.getUpdate().getResource());
        case DELETE, OP_NOT_SET -> null;
      };
      inputs.add(input);
      switch (op.getOpCase()) {
        case CREATE -> FieldRules.check(input, prefix, v);
        case UPDATE -> {
          FieldRules.check(input, prefix, v);
          if (op.getUpdate().getExpectedRevision() < 0) {
            v.add(prefix + "expected_revision", "must be 0 (unconditional) or a revision, got "
                + op.getUpdate().getExpectedRevision());
          }
        }
        case DELETE -> deleteFields(op.getDelete(), prefix, v);
        case OP_NOT_SET -> v.add(prefix + "op", "one of create, update, delete is required");
      }
    }
    if (!v.isEmpty()) {
      return reject(new StoreError.InvalidArgument(v.list()));
    }

    long revision = state.revision() + 1;
    Draft draft = new Draft(state);
    Map<ResourceKey, Integer> opOf = new HashMap<>();
    List<ResourceKey> keys = new ArrayList<>();
    List<ResourceKey> created = new ArrayList<>();
    int nextId = 0;
    for (int i = 0; i < txn.getOpsCount(); i++) {
      TxnOp op = txn.getOps(i);
      ResourceKey key = op.hasDelete() ? refKey(op.getDelete()) : ResourceKey.of(inputs.get(i));
      Integer earlier = opOf.putIfAbsent(key, i);
      if (earlier != null) {
        return reject(invalid("ops[" + i + "]", "touches " + key + " again (ops[" + earlier
            + "] already does): one operation per object in a transaction"));
      }
      keys.add(key);
      Optional<Resource> current = draft.get(key);
      switch (op.getOpCase()) {
        case CREATE -> {
          if (current.isPresent()) {
            return reject(new StoreError.AlreadyExists(key));
          }
          Metadata in = Resources.metadata(inputs.get(i));
          Metadata md = Metadata.newBuilder()
              .setId(newIds.get(nextId++)).setTenant(key.tenant()).setName(key.name())
              .putAllLabels(in.getLabelsMap())
              .setRevision(revision).setCreateRevision(revision)
              .setCreateTime(time).setUpdateTime(time).build();
          draft.put(key, Keys.clearAllocated(Resources.withMetadata(inputs.get(i), md)));
          created.add(key);
        }
        case UPDATE -> {
          if (current.isEmpty()) {
            return reject(new StoreError.NotFound(key, ""));
          }
          Resource before = current.get();
          long expected = op.getUpdate().getExpectedRevision();
          Metadata old = Resources.metadata(before);
          if (expected != 0 && expected != old.getRevision()) {
            return reject(new StoreError.RevisionConflict(key, expected, old.getRevision()));
          }
          Optional<Violation> immutable = ImmutableFields.changed(before, inputs.get(i));
          if (immutable.isPresent()) {
            Violation iv = immutable.get();
            return reject(invalid((single ? "" : "ops[" + i + "].") + iv.field(), iv.description()));
          }
          Metadata md = old.toBuilder()
              .clearLabels().putAllLabels(Resources.metadata(inputs.get(i)).getLabelsMap())
              .setRevision(revision).setUpdateTime(time).build();
          draft.put(key, Keys.keepAllocated(Resources.withMetadata(inputs.get(i), md), before));
        }
        case DELETE -> {
          if (current.isEmpty()) {
            return reject(new StoreError.NotFound(key, ""));
          }
          long expected = op.getDelete().getExpectedRevision();
          long actual = Resources.metadata(current.get()).getRevision();
          if (expected != 0 && expected != actual) {
            return reject(new StoreError.RevisionConflict(key, expected, actual));
          }
          draft.delete(key);
        }
        case OP_NOT_SET -> throw new AssertionError("checked above");
      }
    }

    Optional<StoreError> allocation = allocate(draft, created);
    if (allocation.isPresent()) {
      return reject(allocation.get());
    }
    Optional<StoreError> inconsistent = checkConsistency(draft);
    if (inconsistent.isPresent()) {
      return reject(inconsistent.get());
    }

    List<Change> changes = new ArrayList<>();
    TxnResponse.Builder response = TxnResponse.newBuilder().setRevision(revision);
    for (ResourceKey key : keys) {
      Resource before = state.get(key).orElse(null);
      Resource after = draft.get(key).orElse(null);
      changes.add(new Change(key, before, after));
      response.addResults(after != null ? after : before);
    }
    return new PlanResult.Accepted(new Plan(revision, changes, response.build()));
  }

  /** Fills what a user may leave out: a tenant's own tenant, a binding's name. */
  private static Resource normalize(Resource r) {
    Metadata m = Resources.metadata(r);
    if (r.hasTenant() && m.getTenant().isEmpty()) {
      return Resources.withMetadata(r, m.toBuilder().setTenant(m.getName()).build());
    }
    if (r.hasPortBinding() && m.getName().isEmpty()) {
      return Resources.withMetadata(r, m.toBuilder().setName(r.getPortBinding().getLogicalPort()).build());
    }
    return r;
  }

  private static void deleteFields(DeleteRequest delete, String prefix, Violations v) {
    var ref = delete.getRef();
    if (ref.getKind() == Kind.KIND_UNSPECIFIED || ref.getKind() == Kind.UNRECOGNIZED) {
      v.add(prefix + "ref.kind", "is required");
    }
    v.required(prefix + "ref.name", ref.getName());
    if (ref.getKind() != Kind.CHASSIS && ref.getKind() != Kind.TENANT) {
      v.required(prefix + "ref.tenant", ref.getTenant());
    }
    if (!ref.getName().isEmpty()) {
      v.check(prefix + "ref.name", ref.getName(), Names::checkName);
    }
    if (delete.getExpectedRevision() < 0) {
      v.add(prefix + "expected_revision", "must be 0 (unconditional) or a revision");
    }
  }

  static ResourceKey refKey(DeleteRequest delete) {
    var ref = delete.getRef();
    String tenant = ref.getKind() == Kind.TENANT && ref.getTenant().isEmpty() ? ref.getName() : ref.getTenant();
    return new ResourceKey(ref.getKind(), tenant, ref.getName());
  }

  private static Optional<StoreError> allocate(Draft draft, List<ResourceKey> created) {
    StoreState base = draft.base();
    Set<Integer> tunnelKeys = new java.util.HashSet<>();
    Map<ResourceKey, Set<Integer>> portKeys = new HashMap<>();
    int nextTunnel = 1;
    for (ResourceKey key : created) {
      Resource r = draft.get(key).orElseThrow();
      if (Keys.isDatapath(r)) {
        int k = base.nextFreeTunnelKey(nextTunnel);
        while (tunnelKeys.contains(k)) {
          k = base.nextFreeTunnelKey(k + 1);
        }
        if (k > Keys.MAX_TUNNEL_KEY) {
          return Optional.of(new StoreError.FailedPrecondition("TUNNEL_KEYS_EXHAUSTED", key.toString(),
              "all " + Keys.MAX_TUNNEL_KEY + " datapath tunnel keys are in use"));
        }
        tunnelKeys.add(k);
        nextTunnel = k + 1;
        draft.put(key, Keys.withTunnelKey(r, k));
      }
      List<Integer> allocated = new ArrayList<>();
      for (ResourceKey datapath : Keys.portDatapaths(r)) {
        Set<Integer> taken = portKeys.computeIfAbsent(datapath, d -> new java.util.HashSet<>());
        int k = base.nextFreePortKey(datapath, 1);
        while (taken.contains(k)) {
          k = base.nextFreePortKey(datapath, k + 1);
        }
        if (k > Keys.MAX_PORT_KEY) {
          return Optional.of(new StoreError.FailedPrecondition("PORT_KEYS_EXHAUSTED", key.toString(),
              datapath + " has all " + Keys.MAX_PORT_KEY + " port keys in use"));
        }
        taken.add(k);
        allocated.add(k);
      }
      if (!allocated.isEmpty()) {
        draft.put(key, Keys.withPortKeys(draft.get(key).orElseThrow(), allocated));
      }
    }
    return Optional.empty();
  }

  /**
   * Checks every touched object and its neighbours: the objects that refer to it, and the other
   * objects sharing a switch or router with it. Tenants and chassis are shared by too many to
   * recheck all their referrers; nothing about them constrains their referrers beyond existing
   * (a chassis' VF capacity is checked when a port asks for a VF, not when the chassis shrinks).
   */
  private static Optional<StoreError> checkConsistency(Draft draft) {
    Set<ResourceKey> recheck = new LinkedHashSet<>();
    for (ResourceKey key : List.copyOf(draft.touched())) {
      Optional<Resource> now = draft.get(key);
      if (now.isEmpty()) {
        Set<ResourceKey> referrers = draft.referrers(key);
        if (!referrers.isEmpty()) {
          ResourceKey first = referrers.iterator().next();
          String more = referrers.size() > 1 ? " (and " + (referrers.size() - 1) + " more)" : "";
          return Optional.of(new StoreError.FailedPrecondition("REFERENCED", key.toString(),
              "cannot delete " + key + ": " + first + more + " still refers to it"));
        }
      } else {
        recheck.add(key);
      }
      if (!isShared(key)) {
        recheck.addAll(draft.referrers(key));
      }
      List<Resource> versions = new ArrayList<>();
      now.ifPresent(versions::add);
      draft.base().get(key).ifPresent(versions::add);
      for (Resource version : versions) {
        for (References.Reference ref : References.of(version)) {
          if (!isShared(ref.target())) {
            recheck.addAll(draft.referrers(ref.target()));
          }
        }
      }
    }
    for (ResourceKey key : recheck) {
      Optional<Resource> r = draft.get(key);
      if (r.isPresent()) {
        Optional<StoreError> error = ConsistencyRules.check(r.get(), draft);
        if (error.isPresent()) {
          return error;
        }
      }
    }
    return Optional.empty();
  }

  private static boolean isShared(ResourceKey key) {
    return key.kind() == Kind.TENANT || key.kind() == Kind.CHASSIS;
  }

  private static StoreError invalid(String field, String description) {
    return new StoreError.InvalidArgument(List.of(new Violation(field, description)));
  }

  private static PlanResult reject(StoreError error) {
    return new PlanResult.Rejected(error);
  }
}
