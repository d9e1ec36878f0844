package tenet.store.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import tenet.api.v1.Kind;
import tenet.api.v1.Resource;
import tenet.store.model.References;
import tenet.store.model.ResourceKey;

/** A state with a transaction's pending changes laid over it; the base is never touched. */
final class Draft {
  private final StoreState base;
  // null value: deleted in this transaction
  private final Map<ResourceKey, Resource> changes = new LinkedHashMap<>();

  Draft(StoreState base) {
    this.base = base;
  }

  StoreState base() {
    return base;
  }

  Optional<Resource> get(ResourceKey key) {
    if (changes.containsKey(key)) {
      return Optional.ofNullable(changes.get(key));
    }
    return base.get(key);
  }

  void put(ResourceKey key, Resource resource) {
    changes.put(key, resource);
  }

  void delete(ResourceKey key) {
    changes.put(key, null);
  }

  Set<ResourceKey> touched() {
    return changes.keySet();
  }

  /** Live objects that refer to {@code target} once the pending changes apply. */
  Set<ResourceKey> referrers(ResourceKey target) {
    Set<ResourceKey> result = new TreeSet<>();
    for (ResourceKey k : base.referrers(target)) {
      if (!changes.containsKey(k)) {
        result.add(k);
      }
    }
    for (Map.Entry<ResourceKey, Resource> e : changes.entrySet()) {
      if (e.getValue() != null && refersTo(e.getValue(), target)) {
        result.add(e.getKey());
      }
    }
    return result;
  }

  /** Live referrers of {@code target} of one kind, as objects. */
  java.util.List<Resource> referrers(ResourceKey target, Kind kind) {
    return referrers(target).stream()
        .filter(k -> k.kind() == kind)
        .map(this::get)
        .flatMap(Optional::stream)
        .collect(Collectors.toList());
  }

  private static boolean refersTo(Resource r, ResourceKey target) {
    for (References.Reference ref : References.of(r)) {
      if (ref.target().equals(target)) {
        return true;
      }
    }
    return false;
  }
}
