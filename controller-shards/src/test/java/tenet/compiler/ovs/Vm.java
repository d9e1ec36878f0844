package tenet.compiler.ovs;

/** A VM's port in a trace test: its "tenant/port" (or port) name, its ofport here (0: elsewhere), its addresses. */
record Vm(String port, int ofport, String mac, String ip) {
  String vif() {
    return "vif" + ofport;
  }
}
