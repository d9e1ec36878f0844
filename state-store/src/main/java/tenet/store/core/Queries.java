package tenet.store.core;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import tenet.api.v1.Kind;
import tenet.api.v1.ListRequest;
import tenet.api.v1.ListResponse;
import tenet.api.v1.ObjectRef;
import tenet.api.v1.Resource;
import tenet.store.core.net.LabelSelector;
import tenet.store.model.ResourceKey;
import tenet.api.Resources;

/** Reads over a state: get by name, and paginated lists filtered by tenant and labels. */
public final class Queries {
  public static final int DEFAULT_PAGE = 500;
  public static final int MAX_PAGE = 5000;

  private Queries() {}

  /** The object, or the reason there is none. */
  public sealed interface Answer<T> {
    record Found<T>(T value) implements Answer<T> {}

    record Refused<T>(StoreError error) implements Answer<T> {}
  }

  public static Answer<Resource> get(StoreState state, ObjectRef ref) {
    Violations v = new Violations();
    if (ref.getKind() == Kind.KIND_UNSPECIFIED || ref.getKind() == Kind.UNRECOGNIZED) {
      v.add("ref.kind", "is required");
    }
    v.required("ref.name", ref.getName());
    if (!v.isEmpty()) {
      return new Answer.Refused<>(new StoreError.InvalidArgument(v.list()));
    }
    String tenant = ref.getKind() == Kind.TENANT && ref.getTenant().isEmpty() ? ref.getName() : ref.getTenant();
    ResourceKey key = new ResourceKey(ref.getKind(), tenant, ref.getName());
    return state.get(key)
        .<Answer<Resource>>map(Answer.Found::new)
        .orElseGet(() -> new Answer.Refused<>(new StoreError.NotFound(key, "")));
  }

  public static Answer<ListResponse> list(StoreState state, ListRequest request) {
    Violations v = new Violations();
    if (request.getKind() == Kind.KIND_UNSPECIFIED || request.getKind() == Kind.UNRECOGNIZED) {
      v.add("kind", "is required");
    }
    if (request.getPageSize() < 0 || request.getPageSize() > MAX_PAGE) {
      v.add("page_size", "must be 0 (default " + DEFAULT_PAGE + ") to " + MAX_PAGE + ", got " + request.getPageSize());
    }
    LabelSelector selector = v.parse("label_selector", request.getLabelSelector(), LabelSelector::parse);
    ResourceKey after = null;
    if (!request.getPageToken().isEmpty()) {
      after = decodeToken(request.getPageToken());
      if (after == null || after.kind() != request.getKind()
          || (!request.getTenant().isEmpty() && !after.tenant().equals(request.getTenant()))) {
        v.add("page_token", "does not belong to this listing: pass the kind, tenant and selector of the first call");
      }
    }
    if (!v.isEmpty()) {
      return new Answer.Refused<>(new StoreError.InvalidArgument(v.list()));
    }
    int limit = request.getPageSize() == 0 ? DEFAULT_PAGE : request.getPageSize();
    NavigableMap<ResourceKey, Resource> range = state.objects(request.getKind(), request.getTenant());
    if (after != null) {
      range = range.tailMap(after, false);
    }
    ListResponse.Builder out = ListResponse.newBuilder().setRevision(state.revision());
    ResourceKey last = null;
    for (Map.Entry<ResourceKey, Resource> e : range.entrySet()) {
      if (!selector.matches(Resources.metadata(e.getValue()).getLabelsMap())) {
        continue;
      }
      if (out.getItemsCount() == limit) {
        out.setNextPageToken(encodeToken(last));
        break;
      }
      out.addItems(e.getValue());
      last = e.getKey();
    }
    return new Answer.Found<>(out.build());
  }

  private static String encodeToken(ResourceKey key) {
    String raw = key.kind().getNumber() + "\n" + key.tenant() + "\n" + key.name();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  private static ResourceKey decodeToken(String token) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      List<String> parts = List.of(raw.split("\n", -1));
      if (parts.size() != 3) {
        return null;
      }
      Kind kind = Kind.forNumber(Integer.parseInt(parts.get(0)));
      return kind == null ? null : new ResourceKey(kind, parts.get(1), parts.get(2));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
