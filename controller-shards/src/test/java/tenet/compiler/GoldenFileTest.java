package tenet.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A golden check fails on a missing file as on a wrong one, unless asked to record. */
class GoldenFileTest {
  @TempDir
  Path dir;

  @Test
  void aMissingFileFailsAndIsNotWritten() {
    Path missing = dir.resolve("flows.txt");
    assertThatThrownBy(() -> Golden.check(missing, "rule\n")).isInstanceOf(AssertionError.class)
        .hasMessageContaining("is missing").hasMessageContaining("-Dtenet.golden.update=true");
    assertThat(missing).doesNotExist();
  }

  @Test
  void aDifferentFileFailsAndAnEqualOnePasses() throws Exception {
    Path recorded = Files.writeString(dir.resolve("flows.txt"), "rule\n");
    assertThatThrownBy(() -> Golden.check(recorded, "other rule\n")).isInstanceOf(AssertionError.class);
    assertThatCode(() -> Golden.check(recorded, "rule\n")).doesNotThrowAnyException();
  }
}
