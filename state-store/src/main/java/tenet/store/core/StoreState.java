package tenet.store.core;

import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import tenet.api.v1.Kind;
import tenet.api.v1.Resource;
import tenet.store.model.References;
import tenet.store.model.ResourceKey;
import tenet.api.Resources;

/**
 * The desired state at one revision: every object by key, plus indexes derived from them
 * (who refers to whom, which tunnel and port keys are taken). Only {@link #commit} changes it,
 * one plan at a time; the indexes are never persisted, they are rebuilt from the objects.
 *
 * <p>Not thread-safe: the Ratis adapter guards it with a read-write lock.
 */
public final class StoreState {
  private long revision;
  private final TreeMap<ResourceKey, Resource> objects = new TreeMap<>();
  /**
   * The same objects by hash, for {@link #get}: the compiler, the planner and the agents'
   * sessions look keys up by the million, and a tree's walk compares tenants and names as strings
   * at every step (String.compareTo was an eighth of a controller's CPU at 40,000 ports).
   */
  private final HashMap<ResourceKey, Resource> byKey = new HashMap<>();
  private final Map<ResourceKey, Set<ResourceKey>> referrers = new HashMap<>();
  private final BitSet tunnelKeys = new BitSet();
  private final Map<ResourceKey, BitSet> portKeys = new HashMap<>();

  public StoreState() {}

  public static StoreState of(long revision, List<Resource> resources) {
    StoreState state = new StoreState();
    for (Resource r : resources) {
      state.put(ResourceKey.of(r), r);
    }
    state.revision = revision;
    return state;
  }

  public long revision() {
    return revision;
  }

  public Optional<Resource> get(ResourceKey key) {
    return Optional.ofNullable(byKey.get(key));
  }

  /** Every object in key order (kind, tenant, name). */
  public NavigableMap<ResourceKey, Resource> objects() {
    return Collections.unmodifiableNavigableMap(objects);
  }

  /**
   * Objects of one kind, of one tenant (or of every tenant when {@code tenant} is empty), in key
   * order: keys of a kind sort together, and within it by tenant.
   */
  public NavigableMap<ResourceKey, Resource> objects(Kind kind, String tenant) {
    // Names and tenants are limited to [A-Za-z0-9._-]: U+FFFF sorts after all of them, '\0' before.
    ResourceKey from = new ResourceKey(kind, tenant, "");
    ResourceKey to = tenant.isEmpty()
        ? new ResourceKey(kind, "\uffff", "\uffff")
        : new ResourceKey(kind, tenant + '\0', "");
    return Collections.unmodifiableNavigableMap(objects.subMap(from, true, to, false));
  }

  public int size() {
    return objects.size();
  }

  /** Objects that refer to {@code target}, in key order. */
  public Set<ResourceKey> referrers(ResourceKey target) {
    Set<ResourceKey> set = referrers.get(target);
    return set == null ? Set.of() : Collections.unmodifiableSet(set);
  }

  int nextFreeTunnelKey(int from) {
    return tunnelKeys.nextClearBit(from);
  }

  int nextFreePortKey(ResourceKey datapath, int from) {
    BitSet keys = portKeys.get(datapath);
    return keys == null ? from : keys.nextClearBit(from);
  }

  /** Applies a plan made against this very state; the revision moves to the plan's. */
  public void commit(Plan plan) {
    if (plan.revision() != revision + 1) {
      throw new IllegalStateException("plan for revision " + plan.revision() + " on state at " + revision);
    }
    for (Change change : plan.changes()) {
      if (change.before() != null) {
        remove(change.key(), change.before());
      }
      if (change.after() != null) {
        put(change.key(), change.after());
      }
    }
    revision = plan.revision();
  }

  private void put(ResourceKey key, Resource resource) {
    objects.put(key, resource);
    byKey.put(key, resource);
    for (References.Reference ref : References.of(resource)) {
      referrers.computeIfAbsent(ref.target(), k -> new TreeSet<>()).add(key);
    }
    Keys.tunnelKey(resource).ifPresent(tunnelKeys::set);
    for (Keys.PortKey pk : Keys.portKeys(resource)) {
      portKeys.computeIfAbsent(pk.datapath(), k -> new BitSet()).set(pk.key());
    }
  }

  private void remove(ResourceKey key, Resource resource) {
    objects.remove(key);
    byKey.remove(key);
    for (References.Reference ref : References.of(resource)) {
      Set<ResourceKey> set = referrers.get(ref.target());
      if (set != null && set.remove(key) && set.isEmpty()) {
        referrers.remove(ref.target());
      }
    }
    Keys.tunnelKey(resource).ifPresent(tunnelKeys::clear);
    for (Keys.PortKey pk : Keys.portKeys(resource)) {
      BitSet keys = portKeys.get(pk.datapath());
      if (keys != null) {
        keys.clear(pk.key());
        if (keys.isEmpty()) {
          portKeys.remove(pk.datapath());
        }
      }
    }
  }
}
