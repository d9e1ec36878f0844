package tenet.ops.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tenet.api.v1.ChassisSync;
import tenet.api.v1.ChassisSyncRequest;
import tenet.api.v1.Tunnel;

/** Desired vs applied flow version per chassis (the Fabric service), like OVN's hv_cfg. */
@Command(name = "sync", description = {"Show, per chassis, the flow version the controllers want and the one its agent applied.",
    "IN-SYNC is yes when they are equal and the chassis' flow set is complete.",
    "TUNNELS: BFD's state on each tunnel to another chassis, as its agent reports it."})
final class SyncCommand implements Callable<Integer> {
  @ParentCommand
  Tenetctl root;

  @Parameters(index = "0", arity = "0..1", paramLabel = "CHASSIS", description = "One chassis; all when omitted.")
  String chassis = "";

  @Override
  public Integer call() {
    List<ChassisSync> all = root.client().fabric()
        .chassisSync(ChassisSyncRequest.newBuilder().setChassis(chassis).build()).getChassisList();
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("CHASSIS", "DESIRED", "APPLIED", "IN-SYNC", "AGENT", "STREAM-ON", "OWNER", "DATAPATHS", "FLOWS",
        "TUNNELS (BFD)"));
    for (ChassisSync s : all) {
      boolean inSync = s.getComplete() && s.getConnected() && s.getDesiredVersion() == s.getAppliedVersion();
      rows.add(List.of(s.getChassis(), Long.toString(s.getDesiredVersion()), Long.toString(s.getAppliedVersion()),
          inSync ? "yes" : "no", s.getConnected() ? "connected" : "gone", s.getStreamNode().isEmpty() ? "-" : s.getStreamNode(),
          s.getOwnerNode(), Integer.toString(s.getDatapaths()), Integer.toString(s.getFlows()), tunnels(s)));
    }
    root.out().print(TableRenderer.align(rows));
    root.out().flush();
    return 0;
  }

  /** "hv2:up,hv3:down": each tunnel's other end (its chassis, else its IP) and BFD's state; "-" for none. */
  static String tunnels(ChassisSync s) {
    List<String> out = new ArrayList<>();
    for (Tunnel t : s.getTunnelsList()) {
      out.add((t.getRemoteChassis().isEmpty() ? t.getRemoteIp() : t.getRemoteChassis()) + ":" + t.getBfdState());
    }
    return out.isEmpty() ? "-" : String.join(",", out);
  }
}
