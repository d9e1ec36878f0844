package tenet.controller;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tenet.agent.v1.SouthboundGrpc;
import tenet.api.v1.AdminGrpc;
import tenet.api.v1.FabricGrpc;
import tenet.api.v1.NorthboundGrpc;
import tenet.rpc.GrpcEndpoints;
import tenet.store.ratis.ProcessUptime;
import tenet.store.ratis.StoreNode;
import tenet.store.rpc.AdminService;
import tenet.store.rpc.NorthboundService;
import tenet.cluster.ControllerCluster;
import tenet.controller.api.FabricService;
import tenet.controller.southbound.NodeCompiler;
import tenet.controller.southbound.SouthboundService;

/**
 * The tenet-controller process: a peer of the replicated store, the northbound API, a node of the
 * compiler cluster and the southbound endpoint for agents. Keeps nothing that the store cannot
 * give back, so a kill -9 costs only the time to restart.
 */
public final class TenetController implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TenetController.class);

  private final StoreNode store;
  private final GrpcEndpoints.RunningServer api;
  private final ExecutorService watchExecutor;
  private final NodeCompiler compiler;
  private final ControllerCluster cluster;

  private TenetController(StoreNode store, GrpcEndpoints.RunningServer api, ExecutorService watchExecutor,
      NodeCompiler compiler, ControllerCluster cluster) {
    this.store = store;
    this.api = api;
    this.watchExecutor = watchExecutor;
    this.compiler = compiler;
    this.cluster = cluster;
  }

  /**
   * Opens the API, then starts the store, then the compiler cluster's node. The API goes up
   * first, every service deferred until what it needs is up (GrpcEndpoints.deferred: an early
   * call waits, nothing is refused): a restarted controller then answers, with a leader, as soon
   * as its store has one. Opened after the store, on a machine busy with a failover, it came a
   * second after the store was up (1.35 s to start the store, then 1 s more to serve); and Pekko
   * costs more CPU to start than the store (2.5 s of the 5 s of CPU to a serving API with a
   * class-data archive, twice that without), so agents' streams and the fabric service wait for
   * the compiler's node the same way.
   */
  public static TenetController start(ControllerConfig config) throws IOException {
    log.info("controller {} starting ({})", config.store().nodeId(), ProcessUptime.describe());
    ExecutorService watchExecutor = Executors.newVirtualThreadPerTaskExecutor();
    CompletableFuture<StoreNode> storeReady = new CompletableFuture<>();
    CompletableFuture<NodeCompiler> compilerReady = new CompletableFuture<>();
    CompletableFuture<ControllerCluster> clusterReady = new CompletableFuture<>();
    GrpcEndpoints.RunningServer api = null;
    StoreNode store = null;
    NodeCompiler compiler = null;
    ControllerCluster cluster = null;
    try {
      api = GrpcEndpoints.startServer(config.apiHost(), config.apiPort(), List.of(
          GrpcEndpoints.deferred(NorthboundGrpc.getServiceDescriptor(),
              storeReady.thenApply(s -> new NorthboundService(s, watchExecutor))),
          GrpcEndpoints.deferred(AdminGrpc.getServiceDescriptor(), storeReady.thenApply(AdminService::new)),
          // Both complete before the cluster does: join() does not wait.
          GrpcEndpoints.deferred(SouthboundGrpc.getServiceDescriptor(), clusterReady.thenApply(c ->
              new SouthboundService(c, compilerReady.join(), storeReady.join().stateMachine(), storeReady.join().client(),
                  config.southbound().maxWaitingRules()))),
          GrpcEndpoints.deferred(FabricGrpc.getServiceDescriptor(),
              clusterReady.thenApply(c -> new FabricService(c, storeReady.join().stateMachine())))));
      log.info("controller {} serving the API on {}:{} ({})", config.store().nodeId(), config.apiHost(), api.port(),
          ProcessUptime.describe());
      store = StoreNode.start(config.store());
      storeReady.complete(store);
      compiler = new NodeCompiler(store.stateMachine());
      compilerReady.complete(compiler);
      cluster = ControllerCluster.start(config.store().nodeId(), config.compiler());
      clusterReady.complete(cluster);
      log.info("controller {}: controller cluster node started on {}:{} ({})", config.store().nodeId(),
          config.compiler().host(), config.compiler().port(), ProcessUptime.describe());
      return new TenetController(store, api, watchExecutor, compiler, cluster);
    } catch (IOException | RuntimeException e) {
      storeReady.completeExceptionally(e);
      compilerReady.completeExceptionally(e);
      clusterReady.completeExceptionally(e);
      if (api != null) {
        api.close();
      }
      if (cluster != null) {
        cluster.close();
      }
      if (compiler != null) {
        compiler.close();
      }
      if (store != null) {
        store.close();
      }
      watchExecutor.shutdownNow();
      throw e;
    }
  }

  public int apiPort() {
    return api.port();
  }

  public StoreNode store() {
    return store;
  }

  @Override
  public void close() throws IOException {
    api.close();
    cluster.close();
    compiler.close();
    watchExecutor.shutdownNow();
    store.close();
  }

  /** {@code tenet-controller [--config FILE]}: runs until SIGTERM/SIGINT. */
  public static void main(String[] args) throws Exception {
    Config config;
    try {
      config = load(args);
    } catch (IllegalArgumentException | ConfigException e) {
      System.err.println("tenet-controller: " + e.getMessage());
      System.exit(2);
      return;
    }
    TenetController controller = start(ControllerConfig.from(config));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        controller.close();
      } catch (IOException e) {
        log.warn("shutdown: {}", e.toString());
      }
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
  }

  static Config load(String[] args) {
    Config base = ConfigFactory.load();
    if (args.length == 0) {
      return base;
    }
    if (args.length == 2 && (args[0].equals("--config") || args[0].equals("-c"))) {
      File file = new File(args[1]);
      if (!file.isFile()) {
        throw new IllegalArgumentException("config file " + file + " does not exist");
      }
      // load() lays system properties over the file over reference.conf, then resolves, so
      // defaults that refer to node-id follow the file's node-id.
      return ConfigFactory.load(ConfigFactory.parseFile(file));
    }
    throw new IllegalArgumentException("usage: tenet-controller [--config FILE]");
  }
}
