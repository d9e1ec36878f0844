package tenet.rpc;

import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A service served before its implementation exists: a call that arrives early is accepted and
 * waits (nothing of it is read) until the implementation is ready, then runs on it as if it had
 * just arrived; if the implementation fails to come, the call ends UNAVAILABLE. A controller
 * serves its API as soon as its store is up while the slower parts (the compiler cluster) start,
 * and an agent connecting meanwhile keeps its stream instead of being turned away.
 */
final class DeferredService {
  private DeferredService() {}

  static ServerServiceDefinition of(ServiceDescriptor descriptor, CompletionStage<? extends BindableService> ready) {
    // Bound once, when ready: every early and later call goes to the same definition.
    CompletableFuture<ServerServiceDefinition> bound = ready.toCompletableFuture().thenApply(BindableService::bindService);
    ServerServiceDefinition.Builder builder = ServerServiceDefinition.builder(descriptor);
    for (MethodDescriptor<?, ?> method : descriptor.getMethods()) {
      add(builder, method, bound);
    }
    return builder.build();
  }

  private static <Q, R> void add(ServerServiceDefinition.Builder builder, MethodDescriptor<Q, R> method,
      CompletableFuture<ServerServiceDefinition> bound) {
    builder.addMethod(method, (call, headers) -> {
      ServerServiceDefinition now = bound.isCompletedExceptionally() ? null : bound.getNow(null);
      if (now != null) {
        return handler(now, method).startCall(call, headers);
      }
      Waiting<Q> waiting = new Waiting<>();
      // The call's context (deadline, cancellation) goes with it to the thread that starts it.
      Context context = Context.current();
      bound.whenComplete((definition, failure) -> context.run(() -> {
        if (failure != null) {
          waiting.drop();
          call.close(Status.UNAVAILABLE.withDescription(method.getServiceName() + " did not start: " + failure),
              new Metadata());
        } else {
          waiting.attach(handler(definition, method).startCall(call, headers));
        }
      }));
      return waiting;
    });
  }

  @SuppressWarnings("unchecked")
  private static <Q, R> ServerCallHandler<Q, R> handler(ServerServiceDefinition definition, MethodDescriptor<Q, R> method) {
    return (ServerCallHandler<Q, R>) definition.getMethod(method.getFullMethodName()).getServerCallHandler();
  }

  /**
   * Holds what gRPC tells about an early call until the real listener exists, then replays it in
   * order. gRPC calls a listener from one thread at a time; the lock keeps the replay and a new
   * event from overlapping or reordering.
   */
  private static final class Waiting<Q> extends ServerCall.Listener<Q> {
    private List<Consumer<ServerCall.Listener<Q>>> held = new ArrayList<>();
    private ServerCall.Listener<Q> target;

    synchronized void attach(ServerCall.Listener<Q> listener) {
      for (Consumer<ServerCall.Listener<Q>> event : held) {
        event.accept(listener);
      }
      held = null;
      target = listener;
    }

    synchronized void drop() {
      held = null;
      target = new ServerCall.Listener<>() {};
    }

    private synchronized void on(Consumer<ServerCall.Listener<Q>> event) {
      if (target != null) {
        event.accept(target);
      } else {
        held.add(event);
      }
    }

    @Override
    public void onMessage(Q message) {
      on(l -> l.onMessage(message));
    }

    @Override
    public void onHalfClose() {
      on(ServerCall.Listener::onHalfClose);
    }

    @Override
    public void onCancel() {
      on(ServerCall.Listener::onCancel);
    }

    @Override
    public void onComplete() {
      on(ServerCall.Listener::onComplete);
    }

    @Override
    public void onReady() {
      on(ServerCall.Listener::onReady);
    }
  }
}
