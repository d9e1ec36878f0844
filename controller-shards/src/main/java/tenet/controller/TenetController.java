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
import tenet.api.v1.FabricGrpc;
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
   * Starts the store, then the API, then the compiler cluster's node. The API goes up as soon as
   * the store is: a restarted controller answers (with a leader) while Pekko starts, which costs
   * more CPU than the store's start on this machine (measured: 2.5 s of the 5 s of CPU to a serving
   * API with a class-data archive, twice that without). The southbound and fabric services are
   * served at once too, and their early calls wait for the compiler's node (GrpcEndpoints.deferred).
   */
  public static TenetController start(ControllerConfig config) throws IOException {
    log.info("controller {} starting ({})", config.store().nodeId(), ProcessUptime.describe());
    StoreNode store = StoreNode.start(config.store());
    ExecutorService watchExecutor = Executors.newVirtualThreadPerTaskExecutor();
    NodeCompiler compiler = new NodeCompiler(store.stateMachine());
    CompletableFuture<ControllerCluster> clusterReady = new CompletableFuture<>();
    GrpcEndpoints.RunningServer api = null;
    ControllerCluster cluster = null;
    try {
      api = GrpcEndpoints.startServer(config.apiHost(), config.apiPort(), List.of(
          new NorthboundService(store, watchExecutor),
          new AdminService(store),
          GrpcEndpoints.deferred(SouthboundGrpc.getServiceDescriptor(), clusterReady.thenApply(c ->
              new SouthboundService(c, compiler, store.stateMachine(), store.client(),
                  config.southbound().maxWaitingRules()))),
          GrpcEndpoints.deferred(FabricGrpc.getServiceDescriptor(),
              clusterReady.thenApply(c -> new FabricService(c, store.stateMachine())))));
      log.info("controller {} serving the API on {}:{} ({})", config.store().nodeId(), config.apiHost(), api.port(),
          ProcessUptime.describe());
      cluster = ControllerCluster.start(config.store().nodeId(), config.compiler());
      clusterReady.complete(cluster);
      log.info("controller {}: controller cluster node started on {}:{} ({})", config.store().nodeId(),
          config.compiler().host(), config.compiler().port(), ProcessUptime.describe());
      return new TenetController(store, api, watchExecutor, compiler, cluster);
    } catch (IOException | RuntimeException e) {
      clusterReady.completeExceptionally(e);
      if (api != null) {
        api.close();
      }
      if (cluster != null) {
        cluster.close();
      }
      compiler.close();
      store.close();
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
