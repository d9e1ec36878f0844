package tenet.store.core;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import tenet.api.v1.Kind;
import tenet.api.v1.Resource;
import tenet.store.core.net.IpAddress;
import tenet.store.core.net.MacAddress;
import tenet.store.model.References;
import tenet.store.model.ResourceKey;

/** A state with a transaction's pending changes laid over it; the base is never touched. */
final class Draft {
  private final StoreState base;
  // null value: deleted in this transaction
  private final Map<ResourceKey, Resource> changes = new LinkedHashMap<>();
  // Who refers to what among the live pending changes, kept as they are laid: a transaction of n
  // operations asks for referrers about n times, and scanning every change each time made it
  // quadratic (a 9000-operation bulk load took 50 s to plan).
  private final Map<ResourceKey, Set<ResourceKey>> pendingReferrers = new HashMap<>();

  // Addresses read once per plan: the consistency rules compare each port's addresses with every
  // other port's on its switch, and parsing them again each time was a fifth of what planning cost.
  private final Map<String, IpAddress> ips = new HashMap<>();
  private final Map<String, MacAddress> macs = new HashMap<>();

  Draft(StoreState base) {
    this.base = base;
  }

  /** {@code text} as an address; FieldRules has checked it already. */
  IpAddress ip(String text) {
    return ips.computeIfAbsent(text, IpAddress::parse);
  }

  /** {@code text} as a port's MAC; FieldRules has checked it already. */
  MacAddress mac(String text) {
    return macs.computeIfAbsent(text, MacAddress::parseUnicast);
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
    forget(key, changes.put(key, resource));
    for (References.Reference ref : References.of(resource)) {
      pendingReferrers.computeIfAbsent(ref.target(), t -> new HashSet<>()).add(key);
    }
  }

  void delete(ResourceKey key) {
    forget(key, changes.put(key, null));
  }

  private void forget(ResourceKey key, Resource pending) {
    if (pending == null) {
      return;
    }
    for (References.Reference ref : References.of(pending)) {
      Set<ResourceKey> set = pendingReferrers.get(ref.target());
      if (set != null && set.remove(key) && set.isEmpty()) {
        pendingReferrers.remove(ref.target());
      }
    }
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
    result.addAll(pendingReferrers.getOrDefault(target, Set.of()));
    return result;
  }

  /** Every live object of a kind in a tenant ("" and a tenant-less kind: all) once the pending changes apply. */
  java.util.List<Resource> objects(Kind kind, String tenant) {
    java.util.List<Resource> out = new java.util.ArrayList<>();
    for (ResourceKey k : base.objects(kind, tenant).keySet()) {
      if (!changes.containsKey(k)) {
        base.get(k).ifPresent(out::add);
      }
    }
    changes.forEach((k, r) -> {
      if (r != null && k.kind() == kind && k.tenant().equals(tenant)) {
        out.add(r);
      }
    });
    return out;
  }

  /** Live referrers of {@code target} of one kind, as objects. */
  java.util.List<Resource> referrers(ResourceKey target, Kind kind) {
    return referrers(target).stream()
        .filter(k -> k.kind() == kind)
        .map(this::get)
        .flatMap(Optional::stream)
        .collect(Collectors.toList());
  }
}
