package tenet.ops.cli;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import tenet.api.v1.Kind;
import tenet.api.v1.Resource;

/**
 * The resource kinds as the command line and topology files name them. The oneof field numbers
 * of {@link Resource} equal the {@link Kind} numbers, so the payload type follows from the kind.
 */
public enum ResourceKind {
  TENANT(Kind.TENANT, "tenant", List.of(), null),
  LOGICAL_SWITCH(Kind.LOGICAL_SWITCH, "logical-switch", List.of("ls"), "logicalSwitches"),
  LOGICAL_SWITCH_PORT(Kind.LOGICAL_SWITCH_PORT, "logical-switch-port", List.of("lsp"), "logicalSwitchPorts"),
  LOGICAL_ROUTER(Kind.LOGICAL_ROUTER, "logical-router", List.of("lr"), "logicalRouters"),
  LOGICAL_ROUTER_PORT(Kind.LOGICAL_ROUTER_PORT, "logical-router-port", List.of("lrp"), "logicalRouterPorts"),
  STATIC_ROUTE(Kind.STATIC_ROUTE, "static-route", List.of(), "staticRoutes"),
  SECURITY_GROUP(Kind.SECURITY_GROUP, "security-group", List.of("sg"), "securityGroups"),
  NAT_RULE(Kind.NAT_RULE, "nat-rule", List.of("nat"), "natRules"),
  ANNOUNCED_PREFIX(Kind.ANNOUNCED_PREFIX, "announced-prefix", List.of(), "announcedPrefixes"),
  CHASSIS(Kind.CHASSIS, "chassis", List.of(), "chassis"),
  PORT_BINDING(Kind.PORT_BINDING, "port-binding", List.of(), "portBindings");

  private final Kind kind;
  private final String cliName;
  private final List<String> aliases;
  private final String topologyList;

  ResourceKind(Kind kind, String cliName, List<String> aliases, String topologyList) {
    this.kind = kind;
    this.cliName = cliName;
    this.aliases = aliases;
    this.topologyList = topologyList;
  }

  public Kind kind() {
    return kind;
  }

  public String cliName() {
    return cliName;
  }

  public List<String> aliases() {
    return aliases;
  }

  /** The list key in a topology document; empty for the tenant, which the document itself is. */
  public Optional<String> topologyList() {
    return Optional.ofNullable(topologyList);
  }

  /** Chassis are infrastructure; every other kind lives inside a tenant. */
  public boolean tenantScoped() {
    return kind != Kind.CHASSIS;
  }

  public FieldDescriptor envelopeField() {
    return Resource.getDescriptor().findFieldByNumber(kind.getNumber());
  }

  /** A builder of the kind's generated message (LogicalSwitch.Builder, ...). */
  public Message.Builder newPayloadBuilder() {
    return ((Message) Resource.getDefaultInstance().getField(envelopeField())).newBuilderForType();
  }

  public Descriptor messageType() {
    return envelopeField().getMessageType();
  }

  public static ResourceKind of(Kind kind) {
    for (ResourceKind k : values()) {
      if (k.kind == kind) {
        return k;
      }
    }
    throw new IllegalArgumentException("no resource kind " + kind);
  }

  public static ResourceKind of(Resource resource) {
    if (resource.getKindCase() == Resource.KindCase.KIND_NOT_SET) {
      throw new IllegalArgumentException("empty resource envelope");
    }
    return of(Kind.forNumber(resource.getKindCase().getNumber()));
  }

  /**
   * Accepts the CLI name, an alias, and the snake_case or enum spelling the server uses in its
   * messages ("logical_switch"), so a name copied from an error works.
   */
  public static ResourceKind parse(String text) {
    String wanted = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    for (ResourceKind k : values()) {
      if (k.cliName.equals(wanted) || k.aliases.contains(wanted)) {
        return k;
      }
    }
    throw new UsageException("unknown resource kind \"" + text + "\": use one of " + names());
  }

  /** "tenant, logical-switch (ls), ..." for help and error texts. */
  public static String names() {
    return Arrays.stream(values())
        .map(k -> k.aliases.isEmpty() ? k.cliName : k.cliName + " (" + String.join(", ", k.aliases) + ")")
        .collect(Collectors.joining(", "));
  }
}
