package tenet.store.model;

import tenet.api.Resources;
import java.util.Comparator;
import tenet.api.v1.Kind;

/**
 * Identity of a stored object: names are unique per kind within a tenant. Infrastructure
 * objects (chassis) have the empty tenant.
 */
public record ResourceKey(Kind kind, String tenant, String name) implements Comparable<ResourceKey> {
  private static final Comparator<ResourceKey> ORDER = Comparator
      .comparingInt((ResourceKey k) -> k.kind.getNumber())
      .thenComparing(ResourceKey::tenant)
      .thenComparing(ResourceKey::name);

  public static ResourceKey of(tenet.api.v1.Resource resource) {
    tenet.api.v1.Metadata m = tenet.api.Resources.metadata(resource);
    return new ResourceKey(tenet.api.Resources.kind(resource), m.getTenant(), m.getName());
  }

  public static ResourceKey tenant(String name) {
    return new ResourceKey(Kind.TENANT, name, name);
  }

  @Override
  public int compareTo(ResourceKey other) {
    return ORDER.compare(this, other);
  }

  /** "logical_switch acme/web", as users read it in error messages. */
  @Override
  public String toString() {
    String kindName = kind.name().toLowerCase(java.util.Locale.ROOT);
    return tenant.isEmpty() || kind == Kind.TENANT
        ? kindName + " " + name
        : kindName + " " + tenant + "/" + name;
  }
}
