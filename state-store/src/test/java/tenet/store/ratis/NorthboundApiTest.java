package tenet.store.ratis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.PreconditionFailure;
import com.google.rpc.ResourceInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tenet.api.v1.Consistency;
import tenet.api.v1.CreateRequest;
import tenet.api.v1.DeleteRequest;
import tenet.api.v1.EventType;
import tenet.api.v1.GetRequest;
import tenet.api.v1.Kind;
import tenet.api.v1.ListRequest;
import tenet.api.v1.NorthboundGrpc;
import tenet.api.v1.ObjectRef;
import tenet.api.v1.Resource;
import tenet.api.v1.TxnRequest;
import tenet.api.v1.UpdateRequest;
import tenet.api.v1.WatchRequest;
import tenet.api.v1.WatchResponse;
import tenet.store.core.Fixtures;

/** The northbound API over a real single-peer store: answers and error statuses as documented. */
class NorthboundApiTest {
  @TempDir
  static Path dir;
  static StoreCluster cluster;
  static NorthboundGrpc.NorthboundBlockingStub api;

  @BeforeAll
  static void start() throws Exception {
    cluster = new StoreCluster(dir, 1, 100_000).startAll();
    api = cluster.peer(0).nb();
    api.txn(Fixtures.txn(
        Fixtures.create(Fixtures.tenant("acme")),
        Fixtures.create(Fixtures.ls("acme", "web", "10.0.1.0/24")),
        Fixtures.create(Fixtures.lsp("acme", "web-1", "web", "02:00:00:00:01:01", "10.0.1.11"))));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static long revision() {
    return cluster.peer(0).node.stateMachine().revision();
  }

  private static StatusRuntimeException failure(Runnable call) {
    long before = revision();
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
    assertThat(e).as("the call must fail").isNotNull();
    assertThat(revision()).as("a refused call writes nothing").isEqualTo(before);
    return e;
  }

  private static <T extends com.google.protobuf.Message> T detail(StatusRuntimeException e, Class<T> type) throws Exception {
    for (var any : StatusProto.fromThrowable(e).getDetailsList()) {
      if (any.is(type)) {
        return any.unpack(type);
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " in " + e);
  }

  @Test
  void invalidInputIsRefusedWithFieldViolations() throws Exception {
    var e = failure(() -> api.create(CreateRequest.newBuilder()
        .setResource(Fixtures.lsp("acme", "web-2", "web", "zz:00:00:00:00:01", "10.0.1.999")).build()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(detail(e, BadRequest.class).getFieldViolationsList())
        .extracting(BadRequest.FieldViolation::getField)
        .containsExactly("logical_switch_port.mac", "logical_switch_port.ips[0]");
  }

  @Test
  void duplicatesMissingReferencesConflictsAndReferencedDeletesHaveTheirCodes() throws Exception {
    var exists = failure(() -> api.create(CreateRequest.newBuilder().setResource(Fixtures.ls("acme", "web", "10.9.0.0/24")).build()));
    assertThat(exists.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(detail(exists, ResourceInfo.class).getResourceName()).isEqualTo("acme/web");

    var missing = failure(() -> api.create(CreateRequest.newBuilder()
        .setResource(Fixtures.lsp("acme", "x", "nope", "02:00:00:00:01:09")).build()));
    assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(missing.getStatus().getDescription()).contains("logical_switch acme/nope");

    var conflict = failure(() -> api.update(UpdateRequest.newBuilder()
        .setResource(Fixtures.ls("acme", "web", "10.0.1.0/24")).setExpectedRevision(999).build()));
    assertThat(conflict.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
    assertThat(detail(conflict, ErrorInfo.class).getReason()).isEqualTo("REVISION_CONFLICT");

    var referenced = failure(() -> api.delete(DeleteRequest.newBuilder()
        .setRef(ObjectRef.newBuilder().setKind(Kind.LOGICAL_SWITCH).setTenant("acme").setName("web")).build()));
    assertThat(referenced.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(detail(referenced, PreconditionFailure.class).getViolations(0).getDescription())
        .contains("logical_switch_port acme/web-1 still refers to it");
  }

  @Test
  void concurrentWritesSharingEntriesEachGetTheirOwnAnswer() throws Exception {
    api.create(CreateRequest.newBuilder().setResource(Fixtures.ls("acme", "batch", "10.7.0.0/24")).build());
    long before = revision();
    var futures = new ArrayList<com.google.common.util.concurrent.ListenableFuture<Resource>>();
    var async = NorthboundGrpc.newFutureStub(cluster.peer(0).channel);
    for (int i = 0; i < 60; i++) {
      // Every third is refused (bad MAC); the rest are accepted, whatever batch they land in.
      String mac = i % 3 == 0 ? "ff:ff:ff:ff:ff:ff" : String.format("02:00:00:00:0a:%02x", i);
      futures.add(async.create(CreateRequest.newBuilder()
          .setResource(Fixtures.lsp("acme", "c" + i, "batch", mac)).build()));
    }
    int refused = 0;
    java.util.Set<Long> revisions = new java.util.HashSet<>();
    for (int i = 0; i < 60; i++) {
      try {
        revisions.add(futures.get(i).get().getLogicalSwitchPort().getMetadata().getRevision());
        assertThat(i % 3).as("write %d", i).isNotZero();
      } catch (java.util.concurrent.ExecutionException e) {
        assertThat(i % 3).as("write %d: %s", i, e.getCause()).isZero();
        assertThat(io.grpc.Status.fromThrowable(e.getCause()).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        refused++;
      }
    }
    assertThat(refused).isEqualTo(20);
    assertThat(revisions).as("one revision per accepted write").hasSize(40);
    assertThat(revision()).isEqualTo(before + 40);
  }

  @Test
  void getAndListReadWhatWasWritten() {
    Resource port = api.get(GetRequest.newBuilder()
        .setRef(ObjectRef.newBuilder().setKind(Kind.LOGICAL_SWITCH_PORT).setTenant("acme").setName("web-1")).build());
    assertThat(port.getLogicalSwitchPort().getPortKey()).isPositive();
    Resource stale = api.get(GetRequest.newBuilder().setConsistency(Consistency.STALE)
        .setRef(ObjectRef.newBuilder().setKind(Kind.LOGICAL_SWITCH_PORT).setTenant("acme").setName("web-1")).build());
    assertThat(stale).isEqualTo(port);
    var notFound = failure(() -> api.get(GetRequest.newBuilder()
        .setRef(ObjectRef.newBuilder().setKind(Kind.LOGICAL_SWITCH).setTenant("acme").setName("nope")).build()));
    assertThat(notFound.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void listsPageThroughEverythingOnceAndFilterByLabels() {
    List<tenet.api.v1.TxnOp> ops = new ArrayList<>();
    ops.add(Fixtures.create(Fixtures.tenant("paging")));
    for (int i = 0; i < 25; i++) {
      Resource r = Fixtures.lr("paging", String.format("r%02d", i));
      r = tenet.api.Resources.withMetadata(r, Fixtures.md("paging", String.format("r%02d", i),
          Map.of("parity", i % 2 == 0 ? "even" : "odd")));
      ops.add(Fixtures.create(r));
    }
    api.txn(TxnRequest.newBuilder().addAllOps(ops).build());
    List<String> names = new ArrayList<>();
    String token = "";
    do {
      var page = api.list(ListRequest.newBuilder().setKind(Kind.LOGICAL_ROUTER).setTenant("paging")
          .setPageSize(10).setPageToken(token).build());
      page.getItemsList().forEach(r -> names.add(r.getLogicalRouter().getMetadata().getName()));
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    assertThat(names).hasSize(25).doesNotHaveDuplicates().isSorted();

    var odd = api.list(ListRequest.newBuilder().setKind(Kind.LOGICAL_ROUTER).setTenant("paging")
        .setLabelSelector("parity in (odd)").build());
    assertThat(odd.getItemsCount()).isEqualTo(12);
    var bad = failure(() -> api.list(ListRequest.newBuilder().setKind(Kind.LOGICAL_ROUTER).setLabelSelector("parity in (").build()));
    assertThat(bad.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void watchReplaysHistoryThenFollowsLiveChanges() {
    long start = revision();
    Iterator<WatchResponse> stream = NorthboundGrpc.newBlockingStub(cluster.peer(0).channel)
        .watch(WatchRequest.newBuilder().setStartRevision(start).setKind(Kind.TENANT).build());
    api.create(CreateRequest.newBuilder().setResource(Fixtures.tenant("watched")).build());
    WatchResponse first = stream.next();
    // The revision at start (whatever it changed) then the new tenant, filtered to tenants only.
    while (first.getRevision() < start + 1) {
      first = stream.next();
    }
    assertThat(first.getRevision()).isGreaterThan(start);
    assertThat(first.getEvents(0).getType()).isEqualTo(EventType.PUT);
    assertThat(first.getEvents(0).getResource().getTenant().getMetadata().getName()).isEqualTo("watched");
  }

  @Test
  void watchFromACompactedRevisionSaysToRelist(@TempDir Path other) throws Exception {
    try (StoreCluster small = new StoreCluster(other, 1, 100_000, 5).startAll()) {
      var nb = small.peer(0).nb();
      for (int i = 0; i < 8; i++) {
        nb.create(CreateRequest.newBuilder().setResource(Fixtures.tenant("t" + i)).build());
      }
      var compacted = catchThrowableOfType(StatusRuntimeException.class, () ->
          NorthboundGrpc.newBlockingStub(small.peer(0).channel)
              .watch(WatchRequest.newBuilder().setStartRevision(2).build()).next());
      assertThat(compacted.getStatus().getCode()).isEqualTo(Status.Code.OUT_OF_RANGE);
      ErrorInfo info = detail(compacted, ErrorInfo.class);
      assertThat(info.getReason()).isEqualTo("COMPACTED");
      assertThat(info.getMetadataMap()).containsEntry("oldest_revision", "4");
      // From the oldest kept revision it works.
      var ok = NorthboundGrpc.newBlockingStub(small.peer(0).channel)
          .watch(WatchRequest.newBuilder().setStartRevision(4).build()).next();
      assertThat(ok.getRevision()).isEqualTo(4);
    }
    var invalid = catchThrowableOfType(StatusRuntimeException.class, () ->
        NorthboundGrpc.newBlockingStub(cluster.peer(0).channel)
            .watch(WatchRequest.newBuilder().setStartRevision(-5).build()).next());
    assertThat(invalid.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }
}
