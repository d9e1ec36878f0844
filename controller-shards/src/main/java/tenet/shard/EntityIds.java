package tenet.shard;

import tenet.api.v1.Kind;
import tenet.store.model.ResourceKey;

/** Entity ids of datapaths: "LOGICAL_SWITCH/tenant/name" (names never hold a '/'). */
final class EntityIds {
  private EntityIds() {}

  static String of(ResourceKey datapath) {
    return datapath.kind().name() + "/" + datapath.tenant() + "/" + datapath.name();
  }

  static ResourceKey datapath(String entityId) {
    String[] parts = entityId.split("/", 3);
    if (parts.length != 3) {
      throw new IllegalArgumentException("not a datapath entity id: " + entityId);
    }
    return new ResourceKey(Kind.valueOf(parts[0]), parts[1], parts[2]);
  }
}
