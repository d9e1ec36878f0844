package tenet.controller.southbound;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import tenet.controller.ControllerConfig;
import tenet.controller.TenetController;

/** A real single-node controller for tests, on free ports, its data under {@code dir}. */
final class LoneController {
  private LoneController() {}

  /** {@code settings}: more of the {@code tenet.controller} section (HOCON), or "". */
  static TenetController start(Path dir, String settings) throws IOException {
    int raft;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      raft = s.getLocalPort();
    }
    return TenetController.start(ControllerConfig.from(ConfigFactory.parseString("""
        tenet.controller {
          data-dir = "%s"
          api.port = 0
          raft.port = %d
          compiler.port = 0
          %s
        }""".formatted(dir.resolve("data"), raft, settings)).withFallback(ConfigFactory.load()).resolve()));
  }
}
