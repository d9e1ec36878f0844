package tenet.agent.vifs;

import java.util.Objects;

/**
 * One row of OVSDB's Interface table, the columns VIF discovery needs.
 *
 * @param name the interface's name (a VM's tap or veth, a representor)
 * @param ofport its OpenFlow port number; {@link #NO_OFPORT} until ovs-vswitchd has given it one,
 *     -1 when it could not add the interface
 * @param ifaceId {@code external_ids:iface-id}, empty when it has none
 */
public record OvsInterface(String name, int ofport, String ifaceId) {
  /** OVSDB holds an empty set until ovs-vswitchd has added the interface; OpenFlow never numbers a port 0. */
  public static final int NO_OFPORT = 0;

  public OvsInterface {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(ifaceId, "ifaceId");
  }
}
