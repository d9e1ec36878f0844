package tenet.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tenet.api.v1.Kind;

class ResourceKindTest {
  @ParameterizedTest
  @EnumSource(ResourceKind.class)
  void envelopeFieldIsTheKindsMessage(ResourceKind kind) {
    assertThat(kind.envelopeField().getName()).isEqualTo(kind.kind().name().toLowerCase(java.util.Locale.ROOT));
    assertThat(kind.messageType().findFieldByName("metadata")).isNotNull();
    assertThat(kind.newPayloadBuilder().getDescriptorForType()).isEqualTo(kind.messageType());
  }

  @Test
  void everyKindIsCovered() {
    assertThat(Arrays.stream(ResourceKind.values()).map(ResourceKind::kind))
        .containsExactlyInAnyOrder(Arrays.stream(Kind.values())
            .filter(k -> k != Kind.KIND_UNSPECIFIED && k != Kind.UNRECOGNIZED).toArray(Kind[]::new));
  }

  @Test
  void namesAliasesAndServerSpellings() {
    assertThat(ResourceKind.parse("ls")).isEqualTo(ResourceKind.LOGICAL_SWITCH);
    assertThat(ResourceKind.parse("logical-switch-port")).isEqualTo(ResourceKind.LOGICAL_SWITCH_PORT);
    assertThat(ResourceKind.parse("logical_router_port")).isEqualTo(ResourceKind.LOGICAL_ROUTER_PORT);
    assertThat(ResourceKind.parse("NAT_RULE")).isEqualTo(ResourceKind.NAT_RULE);
    assertThat(ResourceKind.parse("sg")).isEqualTo(ResourceKind.SECURITY_GROUP);
    assertThatThrownBy(() -> ResourceKind.parse("switch"))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("unknown resource kind \"switch\": use one of tenant, logical-switch (ls), ");
  }
}
