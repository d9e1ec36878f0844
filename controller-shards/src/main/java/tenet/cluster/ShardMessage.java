package tenet.cluster;

/**
 * Marks messages that may cross controller nodes; the cluster serializes them with Jackson CBOR
 * (application config: {@code serialization-bindings}). Records of plain values, lists and actor
 * references only.
 */
public interface ShardMessage {}
