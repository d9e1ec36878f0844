package tenet.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tenet.api.v1.ChassisSync;
import tenet.api.v1.Tunnel;

class SyncCommandTest {
  @Test
  void tunnelsNameTheOtherEndByChassisElseByAddressWithBfdsState() {
    ChassisSync sync = ChassisSync.newBuilder().setChassis("hv1")
        .addTunnels(Tunnel.newBuilder().setRemoteChassis("hv2").setRemoteIp("192.168.100.2").setBfdState("up"))
        .addTunnels(Tunnel.newBuilder().setRemoteIp("198.51.100.9").setBfdState("down")).build();
    assertThat(SyncCommand.tunnels(sync)).isEqualTo("hv2:up,198.51.100.9:down");
    assertThat(SyncCommand.tunnels(ChassisSync.getDefaultInstance())).isEqualTo("-");
  }
}
