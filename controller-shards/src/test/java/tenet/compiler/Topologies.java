package tenet.compiler;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tenet.api.v1.Kind;
import tenet.api.v1.LogicalRouterPort;
import tenet.api.v1.LogicalSwitchPort;
import tenet.api.v1.Resource;
import tenet.api.v1.TxnRequest;
import tenet.compiler.incremental.LogicalCompiler;
import tenet.compiler.logical.LogicalFlow;
import tenet.compiler.specialize.ChassisView;
import tenet.compiler.specialize.ChassisView.Gateway;
import tenet.compiler.specialize.ChassisView.Patch;
import tenet.compiler.specialize.ChassisView.PortRef;
import tenet.store.core.Plan;
import tenet.store.core.PlanResult;
import tenet.store.core.StoreState;
import tenet.store.core.TxnPlanner;
import tenet.store.model.ResourceKey;

/**
 * Topologies for the compiler's tests: a transaction (a tenet.v1.TxnRequest in proto JSON)
 * committed into a desired state, its logical flows, and a chassis' view of it placed by port
 * name, so that no test hard-codes the keys the store allocates.
 */
public final class Topologies {
  private Topologies() {}

  /** A transaction written as proto JSON ({@code {"ops": [...]}}). */
  public static TxnRequest txn(String json) {
    try {
      TxnRequest.Builder txn = TxnRequest.newBuilder();
      JsonFormat.parser().merge(json, txn);
      return txn.build();
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** The state after committing {@code topology.json}, which must be valid. */
  public static StoreState load(Path topologyJson) throws IOException {
    StoreState state = new StoreState();
    if (commit(state, txn(Files.readString(topologyJson)), "id") == null) {
      throw new IllegalArgumentException(topologyJson + " is not a valid topology");
    }
    return state;
  }

  /** Plans and commits {@code txn}; null (and no change) when the store refuses it. */
  public static Plan commit(StoreState state, TxnRequest txn, String idPrefix) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < TxnPlanner.createCount(txn); i++) {
      ids.add(idPrefix + "-" + i);
    }
    if (TxnPlanner.plan(state, txn, Timestamp.getDefaultInstance(), ids) instanceof PlanResult.Accepted a) {
      state.commit(a.plan());
      return a.plan();
    }
    return null;
  }

  /** Every datapath's logical flows, datapaths in key order. */
  public static List<LogicalFlow> logicalFlows(StoreState state) {
    List<LogicalFlow> out = new ArrayList<>();
    LogicalCompiler.full(state).flows().values().forEach(out::addAll);
    return out;
  }

  /**
   * What chassis {@code name} sees: {@code local} maps "tenant/port" to its ofport here,
   * {@code remote} maps "tenant/port" to the tunnel IP of the chassis it is plugged into. Every
   * router is patched to its switches here (routers are distributed).
   */
  public static ChassisView chassis(StoreState state, String name, int tunnelOfport, Map<String, Integer> local,
      Map<String, String> remote) {
    return chassis(state, name, tunnelOfport, local, remote, Map.of());
  }

  /**
   * As above; a gateway port is here when its gateway_chassis is {@code name}, else at the
   * tunnel IP {@code gatewayIps} gives its chassis (none: unreachable from here).
   */
  public static ChassisView chassis(StoreState state, String name, int tunnelOfport, Map<String, Integer> local,
      Map<String, String> remote, Map<String, String> gatewayIps) {
    Map<PortRef, Integer> localPorts = new HashMap<>();
    local.forEach((port, ofport) -> localPorts.put(portRef(state, port), ofport));
    Map<PortRef, String> remotePorts = new HashMap<>();
    remote.forEach((port, ip) -> remotePorts.put(portRef(state, port), ip));
    List<Patch> patches = new ArrayList<>();
    List<Gateway> gateways = new ArrayList<>();
    for (Map.Entry<ResourceKey, Resource> e : state.objects().entrySet()) {
      if (e.getKey().kind() == Kind.LOGICAL_ROUTER_PORT) {
        LogicalRouterPort lrp = e.getValue().getLogicalRouterPort();
        String tenant = e.getKey().tenant();
        Patch patch = new Patch(tunnelKey(state, Kind.LOGICAL_SWITCH, tenant, lrp.getLogicalSwitch()), lrp.getSwitchPortKey(),
            tunnelKey(state, Kind.LOGICAL_ROUTER, tenant, lrp.getLogicalRouter()), lrp.getPortKey());
        patches.add(patch);
        String gateway = lrp.getGatewayChassis();
        if (!gateway.isEmpty()) {
          gateways.add(gateway.equals(name) ? new Gateway(patch, true, "")
              : new Gateway(patch, false, gatewayIps.getOrDefault(gateway, "")));
        }
      }
    }
    return new ChassisView(name, tunnelOfport, 0, localPorts, remotePorts, patches, Set.of(), gateways);
  }

  /** "tenant/port" → its switch's tunnel key and its port key there. */
  public static PortRef portRef(StoreState state, String tenantSlashPort) {
    String[] parts = tenantSlashPort.split("/", 2);
    LogicalSwitchPort lsp = resource(state, Kind.LOGICAL_SWITCH_PORT, parts[0], parts[1]).getLogicalSwitchPort();
    return new PortRef(tunnelKey(state, Kind.LOGICAL_SWITCH, parts[0], lsp.getLogicalSwitch()), lsp.getPortKey());
  }

  /** The tunnel key of a switch or router. */
  public static int tunnelKey(StoreState state, Kind kind, String tenant, String name) {
    Resource r = resource(state, kind, tenant, name);
    return kind == Kind.LOGICAL_SWITCH ? r.getLogicalSwitch().getTunnelKey() : r.getLogicalRouter().getTunnelKey();
  }

  private static Resource resource(StoreState state, Kind kind, String tenant, String name) {
    ResourceKey key = new ResourceKey(kind, tenant, name);
    return state.get(key).orElseThrow(() -> new IllegalArgumentException(key + " is not in the topology"));
  }
}
