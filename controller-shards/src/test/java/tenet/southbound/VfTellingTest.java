package tenet.southbound;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tenet.agent.v1.VirtualFunction;
import tenet.agent.v1.VirtualFunctions;

class VfTellingTest {
  private static final VirtualFunctions NONE = VirtualFunctions.getDefaultInstance();
  private static final VirtualFunctions WEB = VirtualFunctions.newBuilder().addFunctions(VirtualFunction.newBuilder()
      .setTenant("acme").setLogicalPort("web-1").setPhysicalFunction("enp3s0f0").setVf(2)).build();

  @Test
  void nothingIsToldBeforeTheLeadersRevisionIsKnown() {
    VfTelling telling = new VfTelling();
    assertThat(telling.knowsLeader()).isFalse();
    assertThat(telling.next(100, WEB)).isEmpty();
  }

  @Test
  void aReplicaBehindTheLeaderTellsNothingNotEvenAnEmptyList() {
    VfTelling telling = new VfTelling();
    telling.leaderAt(50);
    assertThat(telling.next(40, NONE)).as("read before the port got its VF: would unplug it").isEmpty();
    assertThat(telling.next(49, WEB)).isEmpty();
    assertThat(telling.next(50, WEB)).contains(WEB);
  }

  @Test
  void onceCaughtUpOnlyChangesAreTold() {
    VfTelling telling = new VfTelling();
    telling.leaderAt(7);
    assertThat(telling.next(7, NONE)).as("the first list is told even when empty").contains(NONE);
    assertThat(telling.next(8, NONE)).isEmpty();
    assertThat(telling.next(9, WEB)).contains(WEB);
    assertThat(telling.next(12, WEB)).isEmpty();
    assertThat(telling.next(13, NONE)).contains(NONE);
  }

  @Test
  void theLeadersRevisionOnlyGrows() {
    VfTelling telling = new VfTelling();
    telling.leaderAt(30);
    telling.leaderAt(20);
    assertThat(telling.next(25, WEB)).isEmpty();
    assertThat(telling.next(30, WEB)).contains(WEB);
  }
}
