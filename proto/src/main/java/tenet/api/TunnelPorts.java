package tenet.api;

/**
 * The tunnel ports every chassis has on its integration bridge, at fixed OpenFlow port numbers:
 * the controller's rules name them, the agent creates them (docs/pipeline.md).
 */
public final class TunnelPorts {
  private TunnelPorts() {}

  /** Flow-based Geneve port ({@code ofport_request}). */
  public static final int GENEVE_OFPORT = 65000;
  /** Flow-based VXLAN port, on chassis that speak VXLAN. */
  public static final int VXLAN_OFPORT = 65001;
  /** The Geneve option carrying the logical ports: class 0x0102, type 0x80, 4 bytes, as tun_metadata0. */
  public static final String GENEVE_TLV_MAP = "{class=0x102,type=0x80,len=4}->tun_metadata0";
}
