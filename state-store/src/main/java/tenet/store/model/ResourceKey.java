package tenet.store.model;

import tenet.api.Resources;
import tenet.api.v1.Kind;

/**
 * Identity of a stored object: names are unique per kind within a tenant. Infrastructure
 * objects (chassis) have the empty tenant.
 */
public record ResourceKey(Kind kind, String tenant, String name) implements Comparable<ResourceKey> {
  public static ResourceKey of(tenet.api.v1.Resource resource) {
    tenet.api.v1.Metadata m = tenet.api.Resources.metadata(resource);
    return new ResourceKey(tenet.api.Resources.kind(resource), m.getTenant(), m.getName());
  }

  public static ResourceKey tenant(String name) {
    return new ResourceKey(Kind.TENANT, name, name);
  }

  /** By kind, then tenant, then name: a kind's objects sort together, and a tenant's within it. */
  @Override
  public int compareTo(ResourceKey other) {
    int c = Integer.compare(kind.getNumber(), other.kind.getNumber());
    if (c == 0) {
      c = tenant.compareTo(other.tenant);
    }
    return c != 0 ? c : name.compareTo(other.name);
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
