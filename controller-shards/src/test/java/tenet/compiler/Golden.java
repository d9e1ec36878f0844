package tenet.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares output with a recorded file. A missing file fails like a wrong one: a test that
 * records what it computes and passes checks nothing (a renamed case, a lost file). Recording is
 * asked for on purpose, as etcd's raft tests take -rewrite: {@code -Dtenet.golden.update=true}
 * writes every file the run compares, and the diff is then reviewed.
 */
public final class Golden {
  public static final String UPDATE_PROPERTY = "tenet.golden.update";

  private Golden() {}

  public static void check(Path expected, String actual) throws IOException {
    if (Boolean.getBoolean(UPDATE_PROPERTY)) {
      Files.writeString(expected, actual, StandardCharsets.UTF_8);
      System.out.println("golden: wrote " + expected + " (-D" + UPDATE_PROPERTY + "=true): review the diff");
      return;
    }
    if (!Files.exists(expected)) {
      fail(expected + " is missing: record it with -D" + UPDATE_PROPERTY + "=true and review what it holds");
    }
    assertThat(actual).as("%s (an intended change: rerun with -D%s=true and review the diff)", expected, UPDATE_PROPERTY)
        .isEqualTo(Files.readString(expected, StandardCharsets.UTF_8));
  }
}
