package tenet.ops.cli;

import tenet.api.Resources;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tenet.api.v1.AclAction;
import tenet.api.v1.AclRule;
import tenet.api.v1.Direction;
import tenet.api.v1.Encapsulation;
import tenet.api.v1.IpProtocol;
import tenet.api.v1.Kind;
import tenet.api.v1.NatType;
import tenet.api.v1.PortType;
import tenet.api.v1.Resource;

class TopologyParserTest {
  private static List<Resource> parse(String yaml) {
    return TopologyParser.parse("topology.yaml", yaml);
  }

  private static Resource only(List<Resource> resources, Kind kind, String name) {
    return resources.stream()
        .filter(r -> ResourceKind.of(r).kind() == kind && Resources.metadata(r).getName().equals(name))
        .reduce((a, b) -> {
          throw new AssertionError("two " + kind + " " + name);
        })
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  @Test
  void everyKindAcrossDocuments() {
    List<Resource> resources = parse("""
        tenant: acme
        description: Acme Corp
        labels: {tier: gold}
        logicalSwitches:
          - name: web
            labels: {zone: a}
            subnets: [10.0.0.0/24, "fd00::/64"]
            mtu: 1400
        logicalSwitchPorts:
          - name: web-1
            logicalSwitch: web
            type: SRIOV_VF
            mac: 02:00:00:00:00:01
            ips: [10.0.0.11]
            portSecurityDisabled: true
            labels: {app: web}
        logicalRouters: [{name: edge}]
        logicalRouterPorts:
          - {name: edge-web, logicalRouter: edge, logicalSwitch: web, mac: "02:00:00:00:01:01", networks: [10.0.0.1/24]}
        staticRoutes:
          - {name: default, logicalRouter: edge, prefix: 0.0.0.0/0, nexthop: 10.0.0.254}
        securityGroups:
          - name: ssh
            portSelector: {expression: app=web}
            rules:
              - {direction: INGRESS, priority: 100, action: ALLOW, protocol: TCP, portMin: 22, remoteCidr: 0.0.0.0/0}
              - {direction: EGRESS, action: DROP, remote_selector: {expression: "app=db"}}
        natRules:
          - {name: out, logicalRouter: edge, type: SNAT, externalIp: 198.51.100.1, logicalIp: 10.0.0.0/24}
        announcedPrefixes:
          - {name: public, prefix: 198.51.100.0/24, logicalRouter: edge, communities: ["65000:100"]}
        portBindings:
          - {logicalPort: web-1, chassis: hv1}
        ---
        chassis:
          - {name: hv1, hostname: hv1.example, tunnelIp: 192.0.2.1, encapsulations: [GENEVE, VXLAN], sriovVfCapacity: 8}
        """);

    assertThat(resources).extracting(r -> ResourceKind.of(r).kind()).containsExactly(
        Kind.TENANT, Kind.LOGICAL_SWITCH, Kind.LOGICAL_SWITCH_PORT, Kind.LOGICAL_ROUTER,
        Kind.LOGICAL_ROUTER_PORT, Kind.STATIC_ROUTE, Kind.SECURITY_GROUP, Kind.NAT_RULE,
        Kind.ANNOUNCED_PREFIX, Kind.PORT_BINDING, Kind.CHASSIS);

    var tenant = only(resources, Kind.TENANT, "acme").getTenant();
    assertThat(tenant.getMetadata().getTenant()).isEqualTo("acme");
    assertThat(tenant.getDescription()).isEqualTo("Acme Corp");
    assertThat(tenant.getMetadata().getLabelsMap()).isEqualTo(Map.of("tier", "gold"));

    var ls = only(resources, Kind.LOGICAL_SWITCH, "web").getLogicalSwitch();
    assertThat(ls.getMetadata().getTenant()).isEqualTo("acme");
    assertThat(ls.getMetadata().getLabelsMap()).isEqualTo(Map.of("zone", "a"));
    assertThat(ls.getSubnetsList()).containsExactly("10.0.0.0/24", "fd00::/64");
    assertThat(ls.getMtu()).isEqualTo(1400);

    var lsp = only(resources, Kind.LOGICAL_SWITCH_PORT, "web-1").getLogicalSwitchPort();
    assertThat(lsp.getMac()).as("unquoted, not a base-60 number").isEqualTo("02:00:00:00:00:01");
    assertThat(lsp.getType()).isEqualTo(PortType.SRIOV_VF);
    assertThat(lsp.getPortSecurityDisabled()).isTrue();
    assertThat(lsp.getIpsList()).containsExactly("10.0.0.11");

    var lrp = only(resources, Kind.LOGICAL_ROUTER_PORT, "edge-web").getLogicalRouterPort();
    assertThat(lrp.getNetworksList()).containsExactly("10.0.0.1/24");
    assertThat(only(resources, Kind.STATIC_ROUTE, "default").getStaticRoute().getNexthop()).isEqualTo("10.0.0.254");

    var sg = only(resources, Kind.SECURITY_GROUP, "ssh").getSecurityGroup();
    assertThat(sg.getPortSelector().getExpression()).isEqualTo("app=web");
    assertThat(sg.getRulesList()).containsExactly(
        AclRule.newBuilder().setDirection(Direction.INGRESS).setPriority(100).setAction(AclAction.ALLOW)
            .setProtocol(IpProtocol.TCP).setPortMin(22).setRemoteCidr("0.0.0.0/0").build(),
        AclRule.newBuilder().setDirection(Direction.EGRESS).setAction(AclAction.DROP)
            .setRemoteSelector(tenet.api.v1.LabelSelector.newBuilder().setExpression("app=db")).build());

    assertThat(only(resources, Kind.NAT_RULE, "out").getNatRule().getType()).isEqualTo(NatType.SNAT);
    assertThat(only(resources, Kind.ANNOUNCED_PREFIX, "public").getAnnouncedPrefix().getCommunitiesList())
        .containsExactly("65000:100");

    var binding = only(resources, Kind.PORT_BINDING, "web-1").getPortBinding();
    assertThat(binding.getChassis()).isEqualTo("hv1");
    assertThat(binding.getMetadata().getTenant()).isEqualTo("acme");

    var chassis = only(resources, Kind.CHASSIS, "hv1").getChassis();
    assertThat(chassis.getMetadata().getTenant()).isEmpty();
    assertThat(chassis.getEncapsulationsList()).containsExactly(Encapsulation.GENEVE, Encapsulation.VXLAN);
    assertThat(chassis.getSriovVfCapacity()).isEqualTo(8);
  }

  @Test
  void aDocumentWithOnlyATenantDeclaresTheTenant() {
    assertThat(parse("tenant: acme\n---\ntenant: globex\n"))
        .extracting(r -> Resources.metadata(r).getName())
        .containsExactly("acme", "globex");
  }

  @Test
  void emptyDocumentsAreSkipped() {
    assertThat(parse("---\n---\ntenant: acme\n---\n")).hasSize(1);
  }

  @Test
  void unknownFieldNamesDocumentListIndexAndKey() {
    assertThatThrownBy(() -> parse("""
        tenant: acme
        logicalSwitches: [{name: web, subnets: [10.0.0.0/24]}]
        logicalSwitchPorts:
          - {name: p0, logicalSwitch: web, mac: "02:00:00:00:00:01"}
          - {name: p1, logicalSwitch: web, mac: "02:00:00:00:00:02"}
          - {name: p2, logicalSwitch: web, macc: "02:00:00:00:00:03"}
        """))
        .isInstanceOf(UsageException.class)
        .hasMessage("topology.yaml: document 1, logicalSwitchPorts[2]: unknown field \"macc\"");
  }

  @Test
  void unknownFieldInALaterDocument() {
    assertThatThrownBy(() -> parse("tenant: acme\n---\ntenant: globex\nlogicalRouters: [{name: r, colour: red}]\n"))
        .hasMessage("topology.yaml: document 2, logicalRouters[0]: unknown field \"colour\"");
  }

  @Test
  void unknownNestedFieldNamesThePath() {
    assertThatThrownBy(() -> parse("""
        tenant: acme
        securityGroups:
          - name: sg
            rules: [{direction: INGRESS}, {direction: INGRESS, prot: TCP}]
        """))
        .hasMessage("topology.yaml: document 1, securityGroups[0].rules[1]: unknown field \"prot\"");
  }

  @Test
  void unknownDocumentKey() {
    assertThatThrownBy(() -> parse("tenant: acme\nlogicalSwitch: [{name: web}]\n"))
        .hasMessage("topology.yaml: document 1: unknown field \"logicalSwitch\"");
  }

  @Test
  void metadataIsNotAnItemField() {
    assertThatThrownBy(() -> parse("tenant: acme\nlogicalRouters: [{name: r, metadata: {name: r}}]\n"))
        .hasMessage("topology.yaml: document 1, logicalRouters[0]: unknown field \"metadata\"");
  }

  @Test
  void outputOnlyFieldsAreRejected() {
    assertThatThrownBy(() -> parse("tenant: acme\nlogicalSwitches: [{name: web, tunnelKey: 7}]\n"))
        .hasMessage("topology.yaml: document 1, logicalSwitches[0]: \"tunnelKey\" is output only: the store assigns it");
  }

  @Test
  void aScalarWhereAListBelongs() {
    assertThatThrownBy(() -> parse("tenant: acme\nlogicalSwitches: [{name: web, subnets: 10.0.0.0/24}]\n"))
        .hasMessage("topology.yaml: document 1, logicalSwitches[0]: \"subnets\" must be a list, not \"10.0.0.0/24\"");
  }

  @Test
  void aListWhereAValueBelongs() {
    assertThatThrownBy(() -> parse("tenant: acme\nlogicalSwitchPorts: [{name: p, mac: [a, b]}]\n"))
        .hasMessage("topology.yaml: document 1, logicalSwitchPorts[0]: \"mac\" must be a single value, not a list");
  }

  @Test
  void notANumber() {
    assertThatThrownBy(() -> parse("tenant: acme\nlogicalSwitches: [{name: web, mtu: big}]\n"))
        .hasMessage("topology.yaml: document 1, logicalSwitches[0]: \"mtu\" must be a whole number, not \"big\"");
  }

  @Test
  void negativeUnsigned() {
    assertThatThrownBy(() -> parse("tenant: acme\nlogicalSwitches: [{name: web, mtu: -1}]\n"))
        .hasMessageContaining("\"mtu\" must be between 0 and 4294967295, not -1");
  }

  @Test
  void notABoolean() {
    assertThatThrownBy(() -> parse("tenant: acme\nlogicalSwitchPorts: [{name: p, portSecurityDisabled: yes}]\n"))
        .hasMessage("topology.yaml: document 1, logicalSwitchPorts[0]: \"portSecurityDisabled\" must be true or false, not \"yes\"");
  }

  @Test
  void notAnEnumValueListsTheValues() {
    assertThatThrownBy(() -> parse("tenant: acme\nsecurityGroups: [{name: sg, rules: [{direction: IN}]}]\n"))
        .hasMessage("topology.yaml: document 1, securityGroups[0].rules[0]: \"direction\" must be one of "
            + "DIRECTION_UNSPECIFIED, INGRESS, EGRESS, not \"IN\"");
  }

  @Test
  void aMessageWhereAMappingBelongs() {
    assertThatThrownBy(() -> parse("tenant: acme\nsecurityGroups: [{name: sg, portSelector: app=web}]\n"))
        .hasMessage("topology.yaml: document 1, securityGroups[0]: \"portSelector\" must be a mapping of fields, not \"app=web\"");
  }

  @Test
  void listMustBeAList() {
    assertThatThrownBy(() -> parse("tenant: acme\nlogicalRouters: {name: r}\n"))
        .hasMessage("topology.yaml: document 1: \"logicalRouters\" must be a list, not a mapping");
  }

  @Test
  void itemMustBeAMapping() {
    assertThatThrownBy(() -> parse("tenant: acme\nlogicalRouters: [edge]\n"))
        .hasMessage("topology.yaml: document 1, logicalRouters[0]: expected a mapping of fields, not \"edge\"");
  }

  @Test
  void nameIsRequired() {
    assertThatThrownBy(() -> parse("tenant: acme\nlogicalRouters: [{}]\n"))
        .hasMessage("topology.yaml: document 1, logicalRouters[0]: \"name\" is required");
  }

  @Test
  void labelsMustBeAMapping() {
    assertThatThrownBy(() -> parse("tenant: acme\nlogicalRouters: [{name: r, labels: [a]}]\n"))
        .hasMessage("topology.yaml: document 1, logicalRouters[0]: \"labels\" must be a mapping of key: value, not a list");
  }

  @Test
  void tenantObjectsNeedATenant() {
    assertThatThrownBy(() -> parse("logicalSwitches: [{name: web}]\n"))
        .hasMessage("topology.yaml: document 1, logicalSwitches: logical-switch objects belong to a tenant:"
            + " add tenant: to this document");
  }

  @Test
  void chassisAreNotInATenantDocument() {
    assertThatThrownBy(() -> parse("tenant: acme\nchassis: [{name: hv1}]\n"))
        .hasMessage("topology.yaml: document 1, chassis: chassis objects are infrastructure:"
            + " declare them in a document without tenant:");
  }

  @Test
  void descriptionWithoutTenant() {
    assertThatThrownBy(() -> parse("description: nobody\n"))
        .hasMessage("topology.yaml: document 1: \"description\" describes a tenant: add tenant: to this document");
  }

  @Test
  void duplicatesAcrossDocuments() {
    assertThatThrownBy(() -> parse("""
        tenant: acme
        logicalSwitches: [{name: web}]
        ---
        tenant: acme
        """))
        .hasMessage("topology.yaml: document 2: tenant acme is already declared (document 1)");
    assertThatThrownBy(() -> parse("tenant: acme\nlogicalSwitches: [{name: web}, {name: web}]\n"))
        .hasMessage("topology.yaml: document 1, logicalSwitches[1]: logical-switch acme/web is already declared"
            + " (document 1, logicalSwitches[0])");
  }

  @Test
  void sameNamesInDifferentTenantsAreDifferentObjects() {
    assertThat(parse("tenant: a\nlogicalSwitches: [{name: web}]\n---\ntenant: b\nlogicalSwitches: [{name: web}]\n"))
        .hasSize(4);
  }

  @Test
  void yamlSyntaxAndDuplicateKeys() {
    assertThatThrownBy(() -> parse("tenant: acme\nlogicalSwitches: [{name: web\n"))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("topology.yaml: ");
    assertThatThrownBy(() -> parse("tenant: acme\ntenant: globex\n"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("duplicate key tenant");
  }

  @Test
  void snakeCaseFieldNamesAreAccepted() {
    var lsp = parse("tenant: acme\nlogicalSwitchPorts: [{name: p, logical_switch: web, port_security_disabled: true}]\n")
        .get(1).getLogicalSwitchPort();
    assertThat(lsp.getLogicalSwitch()).isEqualTo("web");
    assertThat(lsp.getPortSecurityDisabled()).isTrue();
  }

  @Test
  void aBindingIsNamedAfterItsPort() {
    var binding = parse("tenant: acme\nportBindings: [{logicalPort: web-1, chassis: hv1}]\n").get(1);
    assertThat(Resources.metadata(binding).getName()).isEqualTo("web-1");
  }

  @Test
  void numericLabelValuesStayText() {
    var ls = parse("tenant: acme\nlogicalSwitches: [{name: web, labels: {rack: 07, on: true}}]\n").get(1);
    assertThat(Resources.metadata(ls).getLabelsMap()).isEqualTo(Map.of("rack", "07", "on", "true"));
  }

  @Test
  void missingFile() {
    assertThatThrownBy(() -> TopologyParser.parse(Path.of("does/not/exist.yaml")))
        .isInstanceOf(UsageException.class)
        .hasMessage("does/not/exist.yaml: no such file");
  }

  @Test
  void theDemoTopologyParses() {
    Path demo = Path.of(System.getProperty("user.dir")).getParent().resolve("docs/examples/demo-topology.yaml");
    List<Resource> resources = TopologyParser.parse(demo);

    assertThat(resources.stream().filter(Resource::hasTenant).map(r -> r.getTenant().getMetadata().getName()))
        .containsExactly("acme", "globex");
    for (String tenant : List.of("acme", "globex")) {
      List<Resource> mine = resources.stream().filter(r -> Resources.metadata(r).getTenant().equals(tenant)).toList();
      assertThat(mine.stream().filter(Resource::hasLogicalSwitch).flatMap(r -> r.getLogicalSwitch().getSubnetsList().stream()))
          .containsExactlyInAnyOrder("10.0.1.0/24", "10.0.2.0/24");
      assertThat(mine.stream().filter(Resource::hasLogicalRouter)).hasSize(1);
      assertThat(mine.stream().filter(Resource::hasLogicalRouterPort)).hasSize(2);
      assertThat(mine.stream().filter(Resource::hasLogicalSwitchPort))
          .hasSizeGreaterThanOrEqualTo(2)
          .allSatisfy(r -> {
            assertThat(r.getLogicalSwitchPort().getMac()).matches("02(:[0-9a-f]{2}){5}");
            assertThat(r.getLogicalSwitchPort().getIpsList()).isNotEmpty();
          });
    }
    // acme's databases take TCP from the web tier but ssh: a DROP above the ALLOW.
    var db = resources.stream().filter(Resource::hasSecurityGroup).map(Resource::getSecurityGroup)
        .filter(g -> g.getMetadata().getTenant().equals("acme") && g.getMetadata().getName().equals("db"))
        .findFirst().orElseThrow();
    assertThat(db.getPortSelector().getExpression()).isEqualTo("app=db");
    assertThat(db.getRulesList()).anySatisfy(rule -> {
      assertThat(rule.getAction()).isEqualTo(tenet.api.v1.AclAction.DROP);
      assertThat(rule.getPortMin()).isEqualTo(22);
      assertThat(rule.getPriority()).isEqualTo(200);
    });
    assertThat(db.getRulesList()).anySatisfy(rule -> {
      assertThat(rule.getAction()).isEqualTo(tenet.api.v1.AclAction.ALLOW_RELATED);
      assertThat(rule.getRemoteSelector().getExpression()).isEqualTo("app=web");
    });
    // Where ports run is what the agents report: no chassis, no bindings in the file.
    assertThat(resources).noneMatch(r -> r.hasChassis() || r.hasPortBinding());
  }
}
