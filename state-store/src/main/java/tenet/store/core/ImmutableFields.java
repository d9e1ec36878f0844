package tenet.store.core;

import java.util.Optional;
import tenet.api.v1.Resource;
import tenet.api.Resources;

/**
 * Fields that place an object (which switch a port is on, which router a route belongs to) and
 * therefore its allocated keys: changing one means a different object, so delete and re-create.
 */
final class ImmutableFields {
  private ImmutableFields() {}

  static Optional<Violation> changed(Resource before, Resource after) {
    String p = Resources.fieldName(Resources.kind(after)) + ".";
    return switch (after.getKindCase()) {
      case LOGICAL_SWITCH_PORT -> same(p + "logical_switch",
          before.getLogicalSwitchPort().getLogicalSwitch(), after.getLogicalSwitchPort().getLogicalSwitch());
      case LOGICAL_ROUTER_PORT -> same(p + "logical_router",
          before.getLogicalRouterPort().getLogicalRouter(), after.getLogicalRouterPort().getLogicalRouter())
          .or(() -> same(p + "logical_switch",
              before.getLogicalRouterPort().getLogicalSwitch(), after.getLogicalRouterPort().getLogicalSwitch()));
      case STATIC_ROUTE -> same(p + "logical_router",
          before.getStaticRoute().getLogicalRouter(), after.getStaticRoute().getLogicalRouter());
      case NAT_RULE -> same(p + "logical_router",
          before.getNatRule().getLogicalRouter(), after.getNatRule().getLogicalRouter());
      case ANNOUNCED_PREFIX -> same(p + "logical_router",
          before.getAnnouncedPrefix().getLogicalRouter(), after.getAnnouncedPrefix().getLogicalRouter());
      default -> Optional.empty();
    };
  }

  private static Optional<Violation> same(String field, String was, String now) {
    return was.equals(now) ? Optional.empty()
        : Optional.of(new Violation(field, "cannot change from '" + was + "' to '" + now
            + "': delete the object and create it again"));
  }
}
