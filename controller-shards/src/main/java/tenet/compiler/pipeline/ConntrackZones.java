package tenet.compiler.pipeline;

import java.util.OptionalInt;

/**
 * Which conntrack zone a connection is tracked in on a chassis (docs/pipeline.md, "Conntrack
 * zones"). Zones are 16 bits and one chassis' zones must never overlap: two datapaths sharing one
 * would mix their connections, and tenants may use the same addresses. So the space is split:
 * a switch port's zone is its VIF's ofport, 1..32767; a router's zone is 32768 + its datapath
 * tunnel key, for keys 1..32767.
 */
public final class ConntrackZones {
  public static final int MAX_PORT_ZONE = 0x7fff;
  public static final int ROUTER_BASE = 0x8000;

  private ConntrackZones() {}

  /** Whether a VIF at {@code ofport} can have its zone: outside 1..32767 it would meet a router's. */
  public static boolean portZone(int ofport) {
    return ofport >= 1 && ofport <= MAX_PORT_ZONE;
  }

  /**
   * The zone of the router with tunnel key {@code key}, or empty when the key is above 32767: the
   * 24-bit keys do not all fit, and a zone shared with another router would mix tenants'
   * connections. The store hands out the lowest free key, so this happens only once the cluster
   * has more than 32767 switches and routers.
   */
  public static OptionalInt router(int key) {
    return key >= 1 && key <= MAX_PORT_ZONE ? OptionalInt.of(ROUTER_BASE + key) : OptionalInt.empty();
  }
}
