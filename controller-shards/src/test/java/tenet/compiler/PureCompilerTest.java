package tenet.compiler;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The compiler (and the southbound registration planner) are pure functions of the desired state: no framework, no I/O, no clock. */
class PureCompilerTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("tenet.compiler", "tenet.southbound");

  @Test
  void importsNoFrameworkNorIo() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage(
            "org.apache.ratis..", "io.grpc..", "io.netty..", "org.apache.pekko..", "java.nio.file..", "java.io..",
            "tenet.store.ratis..", "tenet.store.rpc..")
        .check(CLASSES);
  }

  @Test
  void drawsNoTime() {
    noClasses().should().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(System.class, "nanoTime")
        .orShould().callMethod(java.time.Instant.class, "now")
        .check(CLASSES);
  }
}
