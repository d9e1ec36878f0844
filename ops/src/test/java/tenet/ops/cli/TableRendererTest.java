package tenet.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tenet.api.v1.AclAction;
import tenet.api.v1.AclRule;
import tenet.api.v1.Chassis;
import tenet.api.v1.Direction;
import tenet.api.v1.Encapsulation;
import tenet.api.v1.IpProtocol;
import tenet.api.v1.LabelSelector;
import tenet.api.v1.LogicalSwitch;
import tenet.api.v1.Metadata;
import tenet.api.v1.Resource;
import tenet.api.v1.SecurityGroup;

class TableRendererTest {
  private static final Instant NOW = Instant.ofEpochSecond(1_700_000_000);

  private static Metadata md(String tenant, String name, long revision, long ageSeconds) {
    return Metadata.newBuilder().setTenant(tenant).setName(name).setRevision(revision)
        .setCreateTime(Timestamp.newBuilder().setSeconds(NOW.getEpochSecond() - ageSeconds)).build();
  }

  @Test
  void logicalSwitches() {
    List<Resource> switches = List.of(
        Resource.newBuilder().setLogicalSwitch(LogicalSwitch.newBuilder().setMetadata(md("acme", "web", 12, 30))
            .addSubnets("10.0.1.0/24").addSubnets("fd00::/64").setTunnelKey(5)).build(),
        Resource.newBuilder().setLogicalSwitch(LogicalSwitch.newBuilder().setMetadata(md("globex", "backend-long", 7, 4000))
            .addSubnets("10.0.2.0/24").setMtu(1400).setTunnelKey(11)).build());

    assertThat(TableRenderer.render(ResourceKind.LOGICAL_SWITCH, switches, NOW)).isEqualTo("""
        TENANT   NAME           SUBNETS                 MTU    TUNNEL-KEY   REVISION   AGE
        acme     web            10.0.1.0/24,fd00::/64   -      5            12         30s
        globex   backend-long   10.0.2.0/24             1400   11           7          66m
        """);
  }

  @Test
  void chassisHaveNoTenantColumn() {
    Resource hv1 = Resource.newBuilder().setChassis(Chassis.newBuilder().setMetadata(md("", "hv1", 3, 3 * 86400))
        .setHostname("hv1.example").setTunnelIp("192.0.2.1").addEncapsulations(Encapsulation.GENEVE)).build();

    assertThat(TableRenderer.render(ResourceKind.CHASSIS, List.of(hv1), NOW)).isEqualTo("""
        NAME   HOSTNAME      TUNNEL-IP   ENCAPS   REVISION   AGE
        hv1    hv1.example   192.0.2.1   GENEVE   3          3d
        """);
  }

  @Test
  void securityGroupsSummariseRules() {
    Resource sg = Resource.newBuilder().setSecurityGroup(SecurityGroup.newBuilder().setMetadata(md("acme", "ssh", 4, 7200))
        .setPortSelector(LabelSelector.newBuilder().setExpression("app=web"))
        .addRules(AclRule.newBuilder().setDirection(Direction.INGRESS).setAction(AclAction.ALLOW)
            .setProtocol(IpProtocol.TCP).setPortMin(22))
        .addRules(AclRule.newBuilder().setDirection(Direction.INGRESS).setAction(AclAction.ALLOW)
            .setProtocol(IpProtocol.ICMP))).build();

    assertThat(TableRenderer.render(ResourceKind.SECURITY_GROUP, List.of(sg), NOW)).isEqualTo("""
        TENANT   NAME   PORTS     RULES                                      REVISION   AGE
        acme     ssh    app=web   ingress tcp/22 allow, ingress icmp allow   4          2h
        """);
  }

  @Test
  void tenantsShowTheirNameOnce() {
    Resource t = Resource.newBuilder().setTenant(tenet.api.v1.Tenant.newBuilder()
        .setMetadata(md("acme", "acme", 2, 0)).setDescription("Acme Corp")).build();
    assertThat(TableRenderer.render(ResourceKind.TENANT, List.of(t), NOW)).isEqualTo("""
        NAME   DESCRIPTION   REVISION   AGE
        acme   Acme Corp     2          0s
        """);
  }

  @Test
  void ages() {
    assertThat(Age.since(Timestamp.getDefaultInstance(), NOW)).isEqualTo("-");
    assertThat(Age.since(Timestamp.newBuilder().setSeconds(NOW.getEpochSecond() - 119).build(), NOW)).isEqualTo("119s");
    assertThat(Age.since(Timestamp.newBuilder().setSeconds(NOW.getEpochSecond() - 120).build(), NOW)).isEqualTo("2m");
    assertThat(Age.since(Timestamp.newBuilder().setSeconds(NOW.getEpochSecond() - 47 * 3600).build(), NOW)).isEqualTo("47h");
    assertThat(Age.since(Timestamp.newBuilder().setSeconds(NOW.getEpochSecond() + 5).build(), NOW)).isEqualTo("0s");
  }

  @Test
  void watchLines() {
    var event = tenet.api.v1.Event.newBuilder().setType(tenet.api.v1.EventType.PUT)
        .setResource(Resource.newBuilder().setLogicalSwitch(LogicalSwitch.newBuilder().setMetadata(md("acme", "web", 12, 0))))
        .build();
    assertThat(Printer.eventLine(12, event)).isEqualTo("12       PUT    logical-switch      acme/web");
  }
}
