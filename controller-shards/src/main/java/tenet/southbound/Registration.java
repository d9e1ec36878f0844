package tenet.southbound;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tenet.agent.v1.Hello;
import tenet.agent.v1.HostedPort;
import tenet.api.v1.Chassis;
import tenet.api.v1.CreateRequest;
import tenet.api.v1.DeleteRequest;
import tenet.api.v1.Kind;
import tenet.api.v1.Metadata;
import tenet.api.v1.ObjectRef;
import tenet.api.v1.PortBinding;
import tenet.api.v1.Resource;
import tenet.api.v1.TxnOp;
import tenet.api.v1.TxnRequest;
import tenet.api.v1.UpdateRequest;
import tenet.store.core.StoreState;
import tenet.store.model.ResourceKey;

/**
 * What an agent reports, as the store transaction that makes the desired state say so: its
 * Chassis registered or updated, one PortBinding per plugged-in logical port (moved here from
 * elsewhere if need be), and this chassis' bindings of ports no longer plugged in removed. Ports
 * the API does not know are left out (a VIF may appear before its port is declared), and so are
 * ports whose VF the API gives another chassis (a representor left behind by a move). Empty when
 * the store already says all of it, so a reconnecting agent writes nothing.
 */
public final class Registration {
  /**
   * The most port operations one registration writes: a chassis of 14,400 ports asked the store
   * for one transaction over its limit (TxnPlanner.MAX_OPS), was refused, and never registered.
   * Registering is level-triggered: the rest goes in the next write, planned from the state the
   * first one made.
   */
  public static final int MAX_PORT_OPS = 2_000;

  private Registration() {}

  public static TxnRequest chassis(StoreState state, Hello hello) {
    Chassis wanted = Chassis.newBuilder()
        .setMetadata(Metadata.newBuilder().setName(hello.getChassis()))
        .setHostname(hello.getHostname())
        .setTunnelIp(hello.getTunnelIp())
        .addAllEncapsulations(hello.getEncapsulationsList())
        .setSriovVfCapacity(hello.getSriovVfCapacity())
        .build();
    TxnRequest.Builder txn = TxnRequest.newBuilder();
    var current = state.get(new ResourceKey(Kind.CHASSIS, "", hello.getChassis()));
    if (current.isEmpty()) {
      txn.addOps(TxnOp.newBuilder().setCreate(CreateRequest.newBuilder()
          .setResource(Resource.newBuilder().setChassis(wanted))));
    } else if (!sameRegistration(current.get().getChassis(), wanted)) {
      Chassis updated = wanted.toBuilder().setMetadata(current.get().getChassis().getMetadata()).build();
      txn.addOps(TxnOp.newBuilder().setUpdate(UpdateRequest.newBuilder()
          .setResource(Resource.newBuilder().setChassis(updated))
          .setExpectedRevision(current.get().getChassis().getMetadata().getRevision())));
    }
    return txn.build();
  }

  /** The logical switch port an agent's hosted port claims to be. */
  public static ResourceKey logicalPort(HostedPort port) {
    return new ResourceKey(Kind.LOGICAL_SWITCH_PORT, port.getTenant(), port.getLogicalPort());
  }

  /** The first {@link #MAX_PORT_OPS} operations that make the store say what {@code hosted} says. */
  public static TxnRequest ports(StoreState state, String chassis, List<HostedPort> hosted) {
    TxnRequest.Builder txn = TxnRequest.newBuilder();
    Set<ResourceKey> plugged = new HashSet<>();
    for (HostedPort port : hosted) {
      if (txn.getOpsCount() == MAX_PORT_OPS) {
        return txn.build(); // the bindings left to remove may be among the ports not looked at yet
      }
      ResourceKey key = new ResourceKey(Kind.PORT_BINDING, port.getTenant(), port.getLogicalPort());
      var declared = state.get(logicalPort(port));
      if (declared.isEmpty() || !VfAssignments.mayHost(declared.get().getLogicalSwitchPort(), chassis)) {
        continue;
      }
      plugged.add(key);
      var current = state.get(key).map(Resource::getPortBinding);
      if (current.isEmpty()) {
        txn.addOps(TxnOp.newBuilder().setCreate(CreateRequest.newBuilder().setResource(Resource.newBuilder()
            .setPortBinding(binding(port, chassis, Metadata.newBuilder()
                .setTenant(port.getTenant()).setName(port.getLogicalPort()).build())))));
      } else if (!current.get().getChassis().equals(chassis) || current.get().getOfport() != port.getOfport()) {
        txn.addOps(TxnOp.newBuilder().setUpdate(UpdateRequest.newBuilder()
            .setResource(Resource.newBuilder().setPortBinding(binding(port, chassis, current.get().getMetadata())))
            .setExpectedRevision(current.get().getMetadata().getRevision())));
      }
    }
    for (ResourceKey k : state.referrers(new ResourceKey(Kind.CHASSIS, "", chassis))) {
      if (txn.getOpsCount() == MAX_PORT_OPS) {
        break;
      }
      if (k.kind() == Kind.PORT_BINDING && !plugged.contains(k)) {
        txn.addOps(TxnOp.newBuilder().setDelete(DeleteRequest.newBuilder()
            .setRef(ObjectRef.newBuilder().setKind(Kind.PORT_BINDING).setTenant(k.tenant()).setName(k.name()))
            .setExpectedRevision(state.get(k).orElseThrow().getPortBinding().getMetadata().getRevision())));
      }
    }
    return txn.build();
  }

  private static PortBinding binding(HostedPort port, String chassis, Metadata metadata) {
    return PortBinding.newBuilder().setMetadata(metadata).setLogicalPort(port.getLogicalPort())
        .setChassis(chassis).setOfport(port.getOfport()).build();
  }

  private static boolean sameRegistration(Chassis a, Chassis b) {
    return a.getHostname().equals(b.getHostname()) && a.getTunnelIp().equals(b.getTunnelIp())
        && a.getEncapsulationsList().equals(b.getEncapsulationsList()) && a.getSriovVfCapacity() == b.getSriovVfCapacity();
  }
}
