package tenet.store.model;

import tenet.api.Resources;
import java.util.ArrayList;
import java.util.List;
import tenet.api.v1.Kind;
import tenet.api.v1.Resource;

/** What a resource refers to by name: every reference must exist while the resource does. */
public final class References {
  private References() {}

  /** A reference and the field it comes from, for error messages. */
  public record Reference(String field, ResourceKey target) {}

  public static List<Reference> of(Resource resource) {
    String t = Resources.metadata(resource).getTenant();
    List<Reference> refs = new ArrayList<>();
    switch (resource.getKindCase()) {
      case TENANT, CHASSIS, KIND_NOT_SET -> { }
      case LOGICAL_SWITCH, LOGICAL_ROUTER, SECURITY_GROUP -> tenant(refs, t);
      case LOGICAL_SWITCH_PORT -> {
        tenant(refs, t);
        ref(refs, "logical_switch", Kind.LOGICAL_SWITCH, t, resource.getLogicalSwitchPort().getLogicalSwitch());
        ref(refs, "sriov.chassis", Kind.CHASSIS, "", resource.getLogicalSwitchPort().getSriov().getChassis());
      }
      case LOGICAL_ROUTER_PORT -> {
        tenant(refs, t);
        var p = resource.getLogicalRouterPort();
        ref(refs, "logical_router", Kind.LOGICAL_ROUTER, t, p.getLogicalRouter());
        ref(refs, "logical_switch", Kind.LOGICAL_SWITCH, t, p.getLogicalSwitch());
      }
      case STATIC_ROUTE -> {
        tenant(refs, t);
        ref(refs, "logical_router", Kind.LOGICAL_ROUTER, t, resource.getStaticRoute().getLogicalRouter());
      }
      case NAT_RULE -> {
        tenant(refs, t);
        var n = resource.getNatRule();
        ref(refs, "logical_router", Kind.LOGICAL_ROUTER, t, n.getLogicalRouter());
        ref(refs, "logical_port", Kind.LOGICAL_SWITCH_PORT, t, n.getLogicalPort());
      }
      case ANNOUNCED_PREFIX -> {
        tenant(refs, t);
        ref(refs, "logical_router", Kind.LOGICAL_ROUTER, t, resource.getAnnouncedPrefix().getLogicalRouter());
      }
      case PORT_BINDING -> {
        tenant(refs, t);
        var b = resource.getPortBinding();
        ref(refs, "logical_port", Kind.LOGICAL_SWITCH_PORT, t, b.getLogicalPort());
        ref(refs, "chassis", Kind.CHASSIS, "", b.getChassis());
      }
    }
    return refs;
  }

  private static void tenant(List<Reference> refs, String tenant) {
    if (!tenant.isEmpty()) {
      refs.add(new Reference("metadata.tenant", ResourceKey.tenant(tenant)));
    }
  }

  private static void ref(List<Reference> refs, String field, Kind kind, String tenant, String name) {
    if (!name.isEmpty()) {
      refs.add(new Reference(field, new ResourceKey(kind, tenant, name)));
    }
  }
}
