package tenet.agent.sriov;

/**
 * A network interface in {@code /sys/class/net}, with what tells a switchdev representor apart.
 *
 * @param switchId {@code phys_switch_id}, null when the driver has none (reading it fails)
 * @param portName {@code phys_port_name}: {@code pf0vf3} for the representor of VF 3 of PCI
 *     function 0, {@code p0} for the uplink; null when the driver has none
 */
public record Netdev(String name, String switchId, String portName) {}
