package tenet.compiler.incremental;

/**
 * Some of the rules by which the engine finds what a change touches, named so that a test can
 * switch one off ({@link IncrementalSpecializer#ignoring}) and show that the property check
 * notices: an oracle that never fails proves nothing. Nothing else switches them off.
 */
enum Dependency {
  /** A switch port's addresses are neighbours of the routers on its switch (their ARP resolve stage). */
  ROUTER_NEIGHBOURS,
  /** A switch port's labels and addresses are what the tenant's security groups may name as remote. */
  REMOTE_SELECTORS,
  /** A chassis' tunnel address and encapsulations are in the placement of every switch with a port bound to it. */
  CHASSIS_TUNNELS,
  /** A VM port's own rules (its port security, ACLs) are in the slice of the chassis where it is plugged in. */
  PORT_RULES
}
