package tenet.store.core;

import tenet.api.v1.Resource;
import tenet.store.model.ResourceKey;

/** One object's transition in a plan: create (before null), update, or delete (after null). */
public record Change(ResourceKey key, Resource before, Resource after) {}
