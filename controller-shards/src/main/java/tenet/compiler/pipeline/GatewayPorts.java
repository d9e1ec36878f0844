package tenet.compiler.pipeline;

/**
 * A router's gateway port (docs/pipeline.md, "Gateway ports") has a second logical port in the
 * router: its redirect port, OVN's chassis-redirect port. Routing out of the gateway port
 * outputs to the redirect port instead, and only the gateway chassis has the redirect port: it
 * turns the packet back to the gateway port and runs the router's egress (NAT) there; every
 * other chassis tunnels the packet to it, the redirect port's key in the Geneve option.
 *
 * <p>The redirect port's key is the gateway port's key with bit 15 set: port keys are 15 bits,
 * so it is never a port's, and needs no allocation. It fills the option's 16-bit output port;
 * routers never flood, so 0xffff (the flood of a switch) means nothing else in a router.
 */
public final class GatewayPorts {
  public static final int REDIRECT_BIT = 0x8000;

  private GatewayPorts() {}

  /** The key of the redirect port of the gateway port {@code gatewayPort}. */
  public static int redirectKey(int gatewayPort) {
    if (gatewayPort < 1 || gatewayPort >= REDIRECT_BIT) {
      throw new IllegalArgumentException("port keys are 1..32767, not " + gatewayPort);
    }
    return REDIRECT_BIT | gatewayPort;
  }
}
