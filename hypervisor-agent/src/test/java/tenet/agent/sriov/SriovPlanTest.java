package tenet.agent.sriov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tenet.agent.sriov.PhysicalFunction.VirtualFunction;
import tenet.agent.sriov.SriovPlan.Assignment;
import tenet.agent.sriov.SriovPlan.BridgeChanges;

class SriovPlanTest {
  private static final SriovConfig.Pf PF_CONFIG = new SriovConfig.Pf("enp3s0f0", 4);

  @Test
  void numVfsIsWrittenOnlyFromZeroAndOnlyWhenItDiffers() {
    assertThat(SriovPlan.numVfsToWrite(0, PF_CONFIG, pf(8, 0, null))).isEqualTo(4);
    assertThat(SriovPlan.numVfsToWrite(0, PF_CONFIG, pf(8, 4, null))).isNull();
    assertThat(SriovPlan.numVfsToWrite(0, new SriovConfig.Pf("enp3s0f0", null), pf(8, 2, null))).isNull();
    assertThatThrownBy(() -> SriovPlan.numVfsToWrite(0, PF_CONFIG, pf(8, 2, null)))
        .isInstanceOf(SriovException.class)
        .hasMessageStartingWith("tenet.agent.sriov.pfs[0].numvfs: enp3s0f0 has 2 VFs, not 4; the kernel changes the"
            + " count only through 0");
  }

  @Test
  void moreVfsThanTotalvfsAreRefusedNamingTheField() {
    assertThatThrownBy(() -> SriovPlan.numVfsToWrite(2, new SriovConfig.Pf("enp3s0f0", 16), pf(8, 0, null)))
        .isInstanceOf(SriovException.class)
        .hasMessage("tenet.agent.sriov.pfs[2].numvfs: 16 VFs asked for, enp3s0f0 has at most 8 (sriov_totalvfs)")
        .extracting(e -> ((SriovException) e).field()).isEqualTo("tenet.agent.sriov.pfs[2].numvfs");
  }

  @Test
  void aPfThatCannotHaveVfsIsRefused() {
    assertThatThrownBy(() -> SriovPlan.checkPf(1, PF_CONFIG, pf(0, 0, null)))
        .hasMessageStartingWith("tenet.agent.sriov.pfs[1].name: enp3s0f0 cannot have VFs (sriov_totalvfs is 0)");
  }

  @Test
  void capacityIsTheSumOfTotalvfs() {
    assertThat(SriovPlan.capacity(List.of(pf(8, 0, null), pf(64, 4, null)))).isEqualTo(72);
  }

  @Test
  void portsGetTheirNamedVfThenTheOneTheyHaveThenTheLowestFree() {
    PhysicalFunction pf = pf(8, 4, null);
    // c is plugged in on VF 3 already; a was on VF 0, which the API now gives b.
    List<RepresentorPort> plugged = List.of(plugged("enp3s0f0_3", "t/c", 3), plugged("enp3s0f0_0", "t/a", 0));
    SriovPlan.Assignments got = SriovPlan.assign(List.of(port("a", null), port("b", 0), port("c", null), port("d", null)),
        Map.of("enp3s0f0", pf), plugged);
    assertThat(got.refused()).isEmpty();
    assertThat(got.assigned()).extracting(a -> a.port().name() + "=" + a.vf().index())
        .containsExactly("a=1", "b=0", "c=3", "d=2");
    assertThat(got.assigned().get(0).vf()).isEqualTo(new VirtualFunction(1, "0000:03:00.3", null));
  }

  @Test
  void assignmentIsStableAcrossRuns() {
    PhysicalFunction pf = pf(8, 4, null);
    List<Assignment> first = SriovPlan.assign(List.of(port("a", null), port("c", null)), Map.of("enp3s0f0", pf), List.of())
        .assigned();
    List<RepresentorPort> plugged = first.stream().map(a -> SriovPlan.wanted(a, "enp3s0f0_" + a.vf().index())).toList();
    // b comes in the middle of the list: a and c keep their VFs.
    assertThat(SriovPlan.assign(List.of(port("a", null), port("b", null), port("c", null)), Map.of("enp3s0f0", pf),
        plugged).assigned()).extracting(a -> a.port().name() + "=" + a.vf().index()).containsExactly("a=0", "b=2", "c=1");
  }

  @Test
  void aPortThatCannotHaveItsVfIsRefusedWithTheReasonAndTheOthersGoOn() {
    PhysicalFunction pf = pf(8, 2, null);
    VfPort elsewhere = new VfPort("t", "e", "enp9s0", null, "02:00:00:00:01:65", 0, true, false);
    SriovPlan.Assignments got = SriovPlan.assign(List.of(port("a", 5), port("b", 1), port("c", 1), elsewhere,
        port("d", null), port("f", null)), Map.of("enp3s0f0", pf), List.of());
    assertThat(got.assigned()).extracting(a -> a.port().name() + "=" + a.vf().index()).containsExactly("b=1", "d=0");
    assertThat(got.refused()).containsExactly(
        "t/a: VF 5 of enp3s0f0 does not exist: it has 2 VFs (sriov_numvfs 2)",
        "t/c: VF 1 of enp3s0f0 is t/b's",
        "t/e: enp9s0 is not a PF this chassis manages (tenet.agent.sriov.pfs [enp3s0f0])",
        "t/f: no free VF on enp3s0f0: its 2 VFs all have ports");
  }

  @Test
  void onlyWhatDiffersIsSetAndWhatTheDriverDoesNotReportIsLeftAlone() {
    VfPort p = new VfPort("t", "a", "enp3s0f0", null, "02:00:00:00:00:0a", 100, true, false);
    assertThat(SriovPlan.vfChanges(p, null)).isEqualTo(new VfSettings("02:00:00:00:00:0a", 100, true, false));
    assertThat(SriovPlan.vfChanges(p, new VfState(0, "00:00:00:00:00:00", 0, false, false)))
        .isEqualTo(new VfSettings("02:00:00:00:00:0a", 100, true, null));
    assertThat(SriovPlan.vfChanges(p, new VfState(0, "02:00:00:00:00:0a", 100, false, true)))
        .isEqualTo(new VfSettings(null, null, true, false));
    assertThat(SriovPlan.vfChanges(p, new VfState(0, "02:00:00:00:00:0a", 100, true, false)).isEmpty()).isTrue();
    VfPort noVlan = new VfPort("t", "a", "enp3s0f0", null, "02:00:00:00:00:0a", 0, false, false);
    assertThat(SriovPlan.vfChanges(noVlan, new VfState(0, "02:00:00:00:00:0a", 7, null, null)))
        .isEqualTo(new VfSettings(null, 0, null, null));
  }

  @Test
  void theRepresentorIsFoundBySwitchIdAndPhysPortName() {
    PhysicalFunction pf0 = new PhysicalFunction("enp3s0f0", "0000:03:00.0", 8, 4, "abcd", vfs(4));
    PhysicalFunction pf1 = new PhysicalFunction("enp3s0f1", "0000:03:00.1", 8, 4, "abcd", vfs(4));
    List<Netdev> netdevs = List.of(
        new Netdev("enp3s0f0", "abcd", "p0"),
        new Netdev("eth3", "abcd", "pf1vf3"), // the other PF's VF 3, on the same eswitch
        new Netdev("eth9", "ffff", "pf0vf3"), // another NIC
        new Netdev("enp3s0f0v3", null, null), // the VF's own netdev
        new Netdev("eth4", "abcd", "pf0vf3"));
    assertThat(SriovPlan.representor(pf0, 3, netdevs)).isEqualTo("eth4");
    assertThat(SriovPlan.representor(pf1, 3, netdevs)).isEqualTo("eth3");
    assertThat(SriovPlan.representor(pf0, 2, netdevs)).isNull();
    // Legacy mode: no switch id, no representors.
    assertThat(SriovPlan.representor(pf(8, 4, null), 3, netdevs)).isNull();
  }

  @Test
  void theBridgeGetsWhatIsMissingAndLosesWhatNoPortWants() {
    RepresentorPort a = new RepresentorPort("enp3s0f0_0", "t/a", "enp3s0f0", 0, "0000:03:00.2", "02:00:00:00:00:0a");
    RepresentorPort b = new RepresentorPort("enp3s0f0_1", "t/b", "enp3s0f0", 1, "0000:03:00.3", "02:00:00:00:00:0b");
    RepresentorPort gone = new RepresentorPort("enp3s0f0_2", "t/old", "enp3s0f0", 2, "0000:03:00.4", "02:00:00:00:00:0c");
    assertThat(SriovPlan.bridgeChanges(List.of(a, b), List.of(a, gone)))
        .isEqualTo(new BridgeChanges(List.of("enp3s0f0_2"), List.of(b)));
    assertThat(SriovPlan.bridgeChanges(List.of(a, b), List.of(a, b)).isEmpty()).isTrue();
  }

  @Test
  void aRelabelledRepresentorIsPluggedAgainNotUnplugged() {
    RepresentorPort was = new RepresentorPort("enp3s0f0_0", "t/old", "enp3s0f0", 0, "0000:03:00.2", "02:00:00:00:00:0c");
    RepresentorPort now = new RepresentorPort("enp3s0f0_0", "t/a", "enp3s0f0", 0, "0000:03:00.2", "02:00:00:00:00:0a");
    assertThat(SriovPlan.bridgeChanges(List.of(now), List.of(was))).isEqualTo(new BridgeChanges(List.of(), List.of(now)));
    RepresentorPort newMac = new RepresentorPort("enp3s0f0_0", "t/a", "enp3s0f0", 0, "0000:03:00.2", "02:00:00:00:00:0d");
    assertThat(SriovPlan.bridgeChanges(List.of(newMac), List.of(now)).plug()).containsExactly(newMac);
  }

  @Test
  void whileARepresentorIsMissingItsOldPortStaysAndARenamedOneIsReplaced() {
    RepresentorPort plugged = new RepresentorPort("enp3s0f0_0", "t/a", "enp3s0f0", 0, "0000:03:00.2", "02:00:00:00:00:0a");
    RepresentorPort waiting = new RepresentorPort(null, "t/a", "enp3s0f0", 0, "0000:03:00.2", "02:00:00:00:00:0a");
    assertThat(SriovPlan.bridgeChanges(List.of(waiting), List.of(plugged)).isEmpty()).isTrue();
    RepresentorPort renamed = new RepresentorPort("eth5", "t/a", "enp3s0f0", 0, "0000:03:00.2", "02:00:00:00:00:0a");
    assertThat(SriovPlan.bridgeChanges(List.of(renamed), List.of(plugged)))
        .isEqualTo(new BridgeChanges(List.of("enp3s0f0_0"), List.of(renamed)));
  }

  private static PhysicalFunction pf(int total, int num, String switchId) {
    return new PhysicalFunction("enp3s0f0", "0000:03:00.0", total, num, switchId, vfs(num));
  }

  private static List<VirtualFunction> vfs(int n) {
    List<VirtualFunction> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new VirtualFunction(i, String.format("0000:03:%02x.%d", (2 + i) >> 3, (2 + i) & 7), null));
    }
    return out;
  }

  private static VfPort port(String name, Integer vf) {
    return new VfPort("t", name, "enp3s0f0", vf, "02:00:00:00:01:" + String.format("%02x", (int) name.charAt(0)), 0,
        true, false);
  }

  private static RepresentorPort plugged(String rep, String ifaceId, int vf) {
    return new RepresentorPort(rep, ifaceId, "enp3s0f0", vf, "", "");
  }
}
