package tenet.compiler.logical;

/** A logical datapath: a switch or a router, known to the data plane by its tunnel key. */
public record Datapath(Type type, String tenant, String name, int tunnelKey) {
  public enum Type { SWITCH, ROUTER }

  @Override
  public String toString() {
    return (type == Type.SWITCH ? "ls " : "lr ") + tenant + "/" + name + " (key " + tunnelKey + ")";
  }
}
