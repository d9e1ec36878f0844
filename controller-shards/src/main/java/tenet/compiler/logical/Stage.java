package tenet.compiler.logical;

/**
 * The stages of the logical pipelines, in order, with the OpenFlow table each occupies (see
 * docs/pipeline.md): ingress stages from table 8, egress stages from table 40.
 */
public enum Stage {
  LS_IN_PORT_SEC_L2(Datapath.Type.SWITCH, true, 0),
  LS_IN_PORT_SEC_IP(Datapath.Type.SWITCH, true, 1),
  LS_IN_PRE_ACL(Datapath.Type.SWITCH, true, 2),
  LS_IN_ACL(Datapath.Type.SWITCH, true, 3),
  LS_IN_ARP_ND_RSP(Datapath.Type.SWITCH, true, 4),
  LS_IN_L2_LKUP(Datapath.Type.SWITCH, true, 5),
  LS_OUT_PRE_ACL(Datapath.Type.SWITCH, false, 0),
  LS_OUT_ACL(Datapath.Type.SWITCH, false, 1),
  LS_OUT_PORT_SEC_IP(Datapath.Type.SWITCH, false, 2),
  LS_OUT_PORT_SEC_L2(Datapath.Type.SWITCH, false, 3),
  LR_IN_ADMISSION(Datapath.Type.ROUTER, true, 0),
  // Before IP input: a reply to an SNAT address is addressed to the router until conntrack
  // translates it back, and IP input drops what is addressed to the router.
  LR_IN_UNSNAT(Datapath.Type.ROUTER, true, 1),
  LR_IN_IP_INPUT(Datapath.Type.ROUTER, true, 2),
  LR_IN_DNAT(Datapath.Type.ROUTER, true, 3),
  LR_IN_IP_ROUTING(Datapath.Type.ROUTER, true, 4),
  LR_IN_ARP_RESOLVE(Datapath.Type.ROUTER, true, 5),
  // After the next hop is known: what leaves by the gateway port goes to its redirect port,
  // which only the gateway chassis delivers (the others tunnel it there).
  LR_IN_GW_REDIRECT(Datapath.Type.ROUTER, true, 6),
  LR_OUT_UNDNAT(Datapath.Type.ROUTER, false, 0),
  LR_OUT_SNAT(Datapath.Type.ROUTER, false, 1),
  LR_OUT_DELIVERY(Datapath.Type.ROUTER, false, 2);

  public static final int INGRESS_TABLE = 8;
  public static final int EGRESS_TABLE = 40;

  private final Datapath.Type datapath;
  private final boolean ingress;
  private final int index;
  private final String label;

  Stage(Datapath.Type datapath, boolean ingress, int index) {
    this.datapath = datapath;
    this.ingress = ingress;
    this.index = index;
    this.label = name().toLowerCase(java.util.Locale.ROOT);
  }

  public Datapath.Type datapath() {
    return datapath;
  }

  public boolean ingress() {
    return ingress;
  }

  /** No stage follows in its pipeline: its flows end with output (or drop), never next. */
  public boolean last() {
    for (Stage s : values()) {
      if (s.datapath == datapath && s.ingress == ingress && s.index > index) {
        return false;
      }
    }
    return true;
  }

  /** The OpenFlow table of this stage. */
  public int table() {
    return (ingress ? INGRESS_TABLE : EGRESS_TABLE) + index;
  }

  /** "ls_in_port_sec_l2", as golden files and logs name it. */
  public String label() {
    return label;
  }
}
