package tenet.ops.cli;

import tenet.api.Resources;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tenet.api.v1.AclAction;
import tenet.api.v1.Direction;
import tenet.api.v1.Encapsulation;
import tenet.api.v1.IpProtocol;
import tenet.api.v1.Kind;
import tenet.api.v1.ObjectRef;
import tenet.api.v1.PortType;
import tenet.api.v1.Resource;

class FieldAssignmentsTest {
  private static Resource create(ResourceKind kind, String tenant, String name, String... sets) {
    return ResourceEdit.parse(List.of(sets), List.of()).create(ObjectRefs.of(kind, tenant, name));
  }

  @Test
  void repeatedFieldsTakeACommaList() {
    var ls = create(ResourceKind.LOGICAL_SWITCH, "acme", "web", "subnets=10.0.0.0/24,fd00::/64", "mtu=1400")
        .getLogicalSwitch();
    assertThat(ls.getSubnetsList()).containsExactly("10.0.0.0/24", "fd00::/64");
    assertThat(ls.getMtu()).isEqualTo(1400);
    assertThat(ls.getMetadata().getTenant()).isEqualTo("acme");
    assertThat(ls.getMetadata().getName()).isEqualTo("web");
  }

  @Test
  void camelAndSnakeNamesEnumsAndBooleans() {
    var lsp = create(ResourceKind.LOGICAL_SWITCH_PORT, "acme", "p",
        "logical_switch=web", "type=SRIOV_VF", "portSecurityDisabled=true", "mac=02:00:00:00:00:01", "ips=10.0.0.5",
        "sriov.chassis=hv1", "sriov.physical_function=enp3s0f0", "sriov.vf=0")
        .getLogicalSwitchPort();
    assertThat(lsp.getSriov().getChassis()).isEqualTo("hv1");
    assertThat(lsp.getSriov().getPhysicalFunction()).isEqualTo("enp3s0f0");
    assertThat(lsp.getSriov().hasVf()).as("VF 0 is set, not left to the agent").isTrue();
    assertThat(lsp.getLogicalSwitch()).isEqualTo("web");
    assertThat(lsp.getType()).isEqualTo(PortType.SRIOV_VF);
    assertThat(lsp.getPortSecurityDisabled()).isTrue();
    assertThat(lsp.getMac()).isEqualTo("02:00:00:00:00:01");
    assertThat(lsp.getIpsList()).containsExactly("10.0.0.5");
  }

  @Test
  void repeatedEnums() {
    var c = create(ResourceKind.CHASSIS, null, "hv1", "encapsulations=GENEVE,VXLAN", "tunnelIp=192.0.2.1")
        .getChassis();
    assertThat(c.getEncapsulationsList()).containsExactly(Encapsulation.GENEVE, Encapsulation.VXLAN);
    assertThat(c.getMetadata().getTenant()).isEmpty();
  }

  @Test
  void nestedFieldsByDottedPathAndMessagesAsJson() {
    var sg = create(ResourceKind.SECURITY_GROUP, "acme", "ssh",
        "portSelector.expression=app=web",
        "rules=[{\"direction\":\"INGRESS\",\"action\":\"ALLOW\",\"protocol\":\"TCP\",\"portMin\":22}]")
        .getSecurityGroup();
    assertThat(sg.getPortSelector().getExpression()).isEqualTo("app=web");
    assertThat(sg.getRulesCount()).isEqualTo(1);
    assertThat(sg.getRules(0).getDirection()).isEqualTo(Direction.INGRESS);
    assertThat(sg.getRules(0).getAction()).isEqualTo(AclAction.ALLOW);
    assertThat(sg.getRules(0).getProtocol()).isEqualTo(IpProtocol.TCP);
    assertThat(sg.getRules(0).getPortMin()).isEqualTo(22);
  }

  @Test
  void aSingleJsonObjectForARepeatedMessageIsOneElement() {
    var sg = create(ResourceKind.SECURITY_GROUP, "acme", "icmp", "rules={\"protocol\":\"ICMP\"}").getSecurityGroup();
    assertThat(sg.getRulesList()).extracting(r -> r.getProtocol()).containsExactly(IpProtocol.ICMP);
  }

  @Test
  void updateReplacesRepeatedFieldsAndEditsLabels() {
    Resource current = create(ResourceKind.LOGICAL_SWITCH, "acme", "web", "subnets=10.0.0.0/24,10.0.1.0/24", "mtu=1400");
    current = Resources.withMetadata(current, Resources.metadata(current).toBuilder()
        .putLabels("zone", "a").putLabels("old", "x").setRevision(9).build());

    Resource updated = ResourceEdit.parse(List.of("subnets=10.0.2.0/24"), List.of("zone=b", "old-")).applyTo(current);

    assertThat(updated.getLogicalSwitch().getSubnetsList()).containsExactly("10.0.2.0/24");
    assertThat(updated.getLogicalSwitch().getMtu()).isEqualTo(1400);
    assertThat(Resources.metadata(updated).getLabelsMap()).isEqualTo(Map.of("zone", "b"));
    assertThat(Resources.metadata(updated).getRevision()).isEqualTo(9);
  }

  @Test
  void anEmptyValueClearsAList() {
    Resource current = create(ResourceKind.LOGICAL_SWITCH, "acme", "web", "subnets=10.0.0.0/24");
    assertThat(ResourceEdit.parse(List.of("subnets="), List.of()).applyTo(current).getLogicalSwitch().getSubnetsList())
        .isEmpty();
  }

  @Test
  void aBindingTakesItsPortFromItsName() {
    var b = create(ResourceKind.PORT_BINDING, "acme", "web-1", "chassis=hv1").getPortBinding();
    assertThat(b.getLogicalPort()).isEqualTo("web-1");
    assertThat(b.getChassis()).isEqualTo("hv1");
  }

  @Test
  void aTenantIsItsOwnTenant() {
    Resource t = create(ResourceKind.TENANT, null, "acme", "description=Acme Corp");
    assertThat(Resources.ref(t)).isEqualTo(ObjectRef.newBuilder().setKind(Kind.TENANT).setTenant("acme").setName("acme").build());
    assertThat(t.getTenant().getDescription()).isEqualTo("Acme Corp");
  }

  @Test
  void labelsOnCreate() {
    Resource r = ResourceEdit.parse(List.of(), List.of("app=web", "tier=1")).create(
        ObjectRefs.of(ResourceKind.LOGICAL_ROUTER, "acme", "r"));
    assertThat(Resources.metadata(r).getLabelsMap()).isEqualTo(Map.of("app", "web", "tier", "1"));
  }

  @Test
  void mistakesAreUsageErrorsThatSayWhatToWrite() {
    assertThatThrownBy(() -> create(ResourceKind.LOGICAL_SWITCH_PORT, "acme", "p", "macc=x"))
        .isInstanceOf(UsageException.class)
        .hasMessage("--set macc: unknown field \"macc\"; LogicalSwitchPort has logicalSwitch, type, mac, ips,"
            + " portSecurityDisabled, sriov");
    assertThatThrownBy(() -> create(ResourceKind.LOGICAL_SWITCH, "acme", "web", "mtu=big"))
        .hasMessage("--set mtu: \"mtu\" must be a whole number, not \"big\"");
    assertThatThrownBy(() -> create(ResourceKind.LOGICAL_SWITCH_PORT, "acme", "p", "type=VM"))
        .hasMessage("--set type: \"type\" must be one of PORT_TYPE_UNSPECIFIED, VIF, SRIOV_VF, not \"VM\"");
    assertThatThrownBy(() -> create(ResourceKind.CHASSIS, null, "hv", "encapsulations=GENEVE,GRE"))
        .hasMessageContaining("\"encapsulations\" must be one of");
    assertThatThrownBy(() -> create(ResourceKind.LOGICAL_SWITCH, "acme", "web", "tunnelKey=5"))
        .hasMessage("--set tunnelKey: \"tunnelKey\" is output only: the store assigns it");
    assertThatThrownBy(() -> create(ResourceKind.LOGICAL_SWITCH, "acme", "web", "metadata.name=x"))
        .hasMessageContaining("--tenant, --label");
    assertThatThrownBy(() -> create(ResourceKind.LOGICAL_SWITCH, "acme", "web", "subnets"))
        .hasMessage("--set subnets: expected field=value, e.g. --set mtu=1400");
    assertThatThrownBy(() -> create(ResourceKind.SECURITY_GROUP, "acme", "sg", "rules=ssh"))
        .hasMessageStartingWith("--set rules: expected a JSON list of objects");
    assertThatThrownBy(() -> create(ResourceKind.SECURITY_GROUP, "acme", "sg", "rules=[{\"prot\":\"TCP\"}]"))
        .hasMessageStartingWith("--set rules=[{\"prot\":\"TCP\"}]: ");
    assertThatThrownBy(() -> create(ResourceKind.LOGICAL_SWITCH, "acme", "web", "mtu.x=1"))
        .hasMessage("--set mtu.x: \"mtu\" has no fields of its own");
    assertThatThrownBy(() -> ResourceEdit.parse(List.of(), List.of("zone")))
        .hasMessage("--label zone: expected key=value, or key- to remove a label");
    assertThatThrownBy(() -> ResourceEdit.parse(List.of(), List.of("zone-")).create(
        ObjectRefs.of(ResourceKind.LOGICAL_ROUTER, "acme", "r")))
        .hasMessage("--label zone-: a new object has no labels to remove");
  }

  @Test
  void scopeOfNames() {
    assertThatThrownBy(() -> ObjectRefs.of(ResourceKind.LOGICAL_SWITCH, null, "web"))
        .hasMessage("logical-switch objects belong to a tenant: give --tenant");
    assertThatThrownBy(() -> ObjectRefs.of(ResourceKind.CHASSIS, "acme", "hv1"))
        .hasMessage("chassis objects are infrastructure, not owned by a tenant: drop --tenant");
    assertThatThrownBy(() -> ObjectRefs.of(ResourceKind.TENANT, "globex", "acme"))
        .hasMessage("a tenant's tenant is itself: drop --tenant globex or make it acme");
  }
}
