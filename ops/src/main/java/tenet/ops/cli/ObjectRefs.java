package tenet.ops.cli;

import tenet.api.v1.Kind;
import tenet.api.v1.ObjectRef;

/** Object identity from command-line arguments, and how messages name an object. */
public final class ObjectRefs {
  private ObjectRefs() {}

  /**
   * Checks the scope here rather than leaving it to the server, so the user learns about a
   * missing --tenant before anything is sent. A tenant is its own tenant.
   */
  public static ObjectRef of(ResourceKind kind, String tenant, String name) {
    String t = tenant == null ? "" : tenant;
    if (kind == ResourceKind.TENANT) {
      if (!t.isEmpty() && !t.equals(name)) {
        throw new UsageException("a tenant's tenant is itself: drop --tenant " + t + " or make it " + name);
      }
      t = name;
    } else if (kind.tenantScoped() && t.isEmpty()) {
      throw new UsageException(kind.cliName() + " objects belong to a tenant: give --tenant");
    } else if (!kind.tenantScoped() && !t.isEmpty()) {
      throw new UsageException(kind.cliName() + " objects are infrastructure, not owned by a tenant: drop --tenant");
    }
    return ObjectRef.newBuilder().setKind(kind.kind()).setTenant(t).setName(name).build();
  }

  /** "logical-switch acme/web", "tenant acme", "chassis hv1". */
  public static String describe(ObjectRef ref) {
    return ResourceKind.of(ref.getKind()).cliName() + " " + path(ref);
  }

  /** "acme/web"; just the name for a tenant or a chassis. */
  public static String path(ObjectRef ref) {
    boolean bare = ref.getTenant().isEmpty() || ref.getKind() == Kind.TENANT;
    return bare ? ref.getName() : ref.getTenant() + "/" + ref.getName();
  }
}
