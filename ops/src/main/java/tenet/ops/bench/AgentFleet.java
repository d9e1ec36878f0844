package tenet.ops.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * C simulated agents in this JVM, spread over the controllers as real agents would be configured:
 * agent c lists every controller, starting at controller c mod n, so the streams spread evenly;
 * when its controller dies, the agent's link tries the others in an order of the chassis' own
 * (ControllerLink.failoverOrder). The agents share one thread per core
 * (each agent always on the same one). The reconnect backoff is tenet-agent's default
 * (hypervisor-agent reference.conf, tenet.agent.reconnect).
 */
final class AgentFleet implements AutoCloseable {
  private final List<SimulatedAgent> agents;
  private final List<ScheduledExecutorService> threads;

  private AgentFleet(List<SimulatedAgent> agents, List<ScheduledExecutorService> threads) {
    this.agents = agents;
    this.threads = threads;
  }

  /** {@code controllers}: every controller's API endpoint, "host:port". */
  static AgentFleet start(int chassis, List<String> controllers) {
    Config reconnect = ConfigFactory.load().getConfig("tenet.agent.reconnect");
    Duration min = reconnect.getDuration("min");
    Duration max = reconnect.getDuration("max");
    List<ScheduledExecutorService> threads = new ArrayList<>();
    for (int i = 0; i < Math.max(2, Runtime.getRuntime().availableProcessors()); i++) {
      String name = "agents-" + i;
      // What a closing stream hands over after close is dropped, not thrown on a gRPC thread.
      threads.add(new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
      }, new ThreadPoolExecutor.DiscardPolicy()));
    }
    List<SimulatedAgent> agents = new ArrayList<>(chassis);
    for (int c = 0; c < chassis; c++) {
      agents.add(new SimulatedAgent(CompileTopology.chassisName(c), CompileTopology.tunnelIp(c),
          rotated(controllers, c), min, max, threads.get(c % threads.size())));
    }
    agents.forEach(SimulatedAgent::start);
    return new AgentFleet(List.copyOf(agents), threads);
  }

  /** {@code list} starting at its element {@code first} mod its size. */
  static List<String> rotated(List<String> list, int first) {
    List<String> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      out.add(list.get((first + i) % list.size()));
    }
    return out;
  }

  SimulatedAgent agent(int chassis) {
    return agents.get(chassis);
  }

  List<SimulatedAgent> agents() {
    return agents;
  }

  @Override
  public void close() {
    agents.forEach(SimulatedAgent::close);
    for (ScheduledExecutorService t : threads) {
      t.shutdown();
    }
    for (ScheduledExecutorService t : threads) {
      try {
        if (!t.awaitTermination(5, TimeUnit.SECONDS)) {
          t.shutdownNow();
        }
      } catch (InterruptedException e) {
        t.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }
}
