package tenet.ops.cli;

import tenet.api.Resources;
import tenet.api.v1.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import tenet.api.v1.AclRule;
import tenet.api.v1.Resource;

/** The columns `-o table` shows per kind: identity, the fields that tell objects apart, then revision and age. */
public final class TableColumns {
  public record Column(String header, Function<Resource, String> value) {}

  private TableColumns() {}

  /** TENANT and NAME first, the kind's key fields, then REVISION; AGE is added by the renderer. */
  public static List<Column> of(ResourceKind kind) {
    List<Column> columns = new ArrayList<>();
    if (kind.tenantScoped() && kind != ResourceKind.TENANT) {
      columns.add(new Column("TENANT", r -> Resources.metadata(r).getTenant()));
    }
    columns.add(new Column("NAME", r -> Resources.metadata(r).getName()));
    columns.addAll(switch (kind) {
      case TENANT -> List.of(col("DESCRIPTION", r -> r.getTenant().getDescription()));
      case LOGICAL_SWITCH -> List.of(
          col("SUBNETS", r -> join(r.getLogicalSwitch().getSubnetsList())),
          col("MTU", r -> r.getLogicalSwitch().getMtu() == 0 ? "-" : String.valueOf(r.getLogicalSwitch().getMtu())),
          col("TUNNEL-KEY", r -> String.valueOf(r.getLogicalSwitch().getTunnelKey())));
      case LOGICAL_SWITCH_PORT -> List.of(
          col("SWITCH", r -> r.getLogicalSwitchPort().getLogicalSwitch()),
          col("MAC", r -> r.getLogicalSwitchPort().getMac()),
          col("IPS", r -> join(r.getLogicalSwitchPort().getIpsList())),
          col("PORT-KEY", r -> String.valueOf(r.getLogicalSwitchPort().getPortKey())));
      case LOGICAL_ROUTER -> List.of(
          col("TUNNEL-KEY", r -> String.valueOf(r.getLogicalRouter().getTunnelKey())));
      case LOGICAL_ROUTER_PORT -> List.of(
          col("ROUTER", r -> r.getLogicalRouterPort().getLogicalRouter()),
          col("SWITCH", r -> r.getLogicalRouterPort().getLogicalSwitch()),
          col("MAC", r -> r.getLogicalRouterPort().getMac()),
          col("NETWORKS", r -> join(r.getLogicalRouterPort().getNetworksList())),
          col("GATEWAY", r -> or(r.getLogicalRouterPort().getGatewayChassis(), "-")));
      case STATIC_ROUTE -> List.of(
          col("ROUTER", r -> r.getStaticRoute().getLogicalRouter()),
          col("PREFIX", r -> r.getStaticRoute().getPrefix()),
          col("NEXTHOP", r -> r.getStaticRoute().getNexthop()));
      case SECURITY_GROUP -> List.of(
          col("PORTS", r -> or(r.getSecurityGroup().getPortSelector().getExpression(), "(all)")),
          col("RULES", r -> rules(r.getSecurityGroup().getRulesList())));
      case NAT_RULE -> List.of(
          col("ROUTER", r -> r.getNatRule().getLogicalRouter()),
          col("TYPE", r -> r.getNatRule().getType().name()),
          col("EXTERNAL-IP", r -> r.getNatRule().getExternalIp()),
          col("LOGICAL-IP", r -> r.getNatRule().getLogicalIp()),
          col("LOGICAL-PORT", r -> or(r.getNatRule().getLogicalPort(), "-")));
      case ANNOUNCED_PREFIX -> List.of(
          col("ROUTER", r -> r.getAnnouncedPrefix().getLogicalRouter()),
          col("PREFIX", r -> r.getAnnouncedPrefix().getPrefix()),
          col("COMMUNITIES", r -> or(join(r.getAnnouncedPrefix().getCommunitiesList()), "-")));
      case CHASSIS -> List.of(
          col("HOSTNAME", r -> r.getChassis().getHostname()),
          col("TUNNEL-IP", r -> r.getChassis().getTunnelIp()),
          col("ENCAPS", r -> r.getChassis().getEncapsulationsList().stream()
              .map(Enum::name).collect(Collectors.joining(","))));
      case PORT_BINDING -> List.of(
          col("PORT", r -> r.getPortBinding().getLogicalPort()),
          col("CHASSIS", r -> r.getPortBinding().getChassis()));
    });
    columns.add(new Column("REVISION", r -> String.valueOf(Resources.metadata(r).getRevision())));
    return columns;
  }

  private static Column col(String header, Function<Resource, String> value) {
    return new Column(header, value);
  }

  private static String join(List<String> values) {
    return String.join(",", values);
  }

  private static String or(String value, String empty) {
    return value.isEmpty() ? empty : value;
  }

  /** "ingress tcp/22 allow, ingress icmp allow": enough to recognise a group at a glance. */
  private static String rules(List<AclRule> rules) {
    return rules.stream().map(TableColumns::rule).collect(Collectors.joining(", "));
  }

  private static String rule(AclRule r) {
    String proto = switch (r.getProtocol()) {
      case IP_PROTOCOL_ANY -> "any";
      default -> r.getProtocol().name().toLowerCase(java.util.Locale.ROOT);
    };
    String ports = r.getPortMin() == 0 ? ""
        : "/" + r.getPortMin() + (r.getPortMax() > r.getPortMin() ? "-" + r.getPortMax() : "");
    return (r.getDirection().name() + " " + proto + ports + " " + r.getAction().name()).toLowerCase(java.util.Locale.ROOT);
  }
}
