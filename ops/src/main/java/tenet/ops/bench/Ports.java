package tenet.ops.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports, each handed out once per run. Chosen below the kernel's ephemeral range
 * (32768 and up on Linux) so that no outgoing connection takes the port of a killed process
 * before it is restarted on the same port.
 */
public final class Ports {
  private static final int LOW = 20000;
  private static final int HIGH = 32000;

  private final Set<Integer> handedOut = new HashSet<>();

  synchronized int next() throws IOException {
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOW, HIGH);
      if (handedOut.contains(port)) {
        continue;
      }
      try (ServerSocket probe = new ServerSocket()) {
        probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      } catch (IOException taken) {
        continue;
      }
      handedOut.add(port);
      return port;
    }
    throw new IOException("found no free loopback port in " + LOW + ".." + HIGH);
  }
}
