package tenet.store.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The store's core is what every Raft peer runs to apply the log: it must decide the same on
 * every peer, so it touches no framework, thread, clock or randomness. Adapters depend on the
 * core, never the other way round.
 */
class PureCoreTest {
  private static final String[] PURE = {
      "tenet.store.core..", "tenet.store.model..", "tenet.store.snapshot..", "tenet.store.status.."};

  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("tenet.store");

  @Test
  void pureCoreImportsNoFramework() {
    noClasses().that().resideInAnyPackage(PURE)
        .should().dependOnClassesThat().resideInAnyPackage(
            "org.apache.ratis..", "io.grpc..", "io.netty..", "org.apache.pekko..", "java.nio.file..", "java.io.File")
        .check(CLASSES);
  }

  @Test
  void pureCoreDrawsNoTimeNorRandomness() {
    noClasses().that().resideInAnyPackage(PURE)
        .should().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(System.class, "nanoTime")
        .orShould().callMethod(UUID.class, "randomUUID")
        .orShould().callMethod(Clock.class, "systemUTC")
        .orShould().callMethod(java.time.Instant.class, "now")
        .orShould().dependOnClassesThat().haveFullyQualifiedName(java.util.Random.class.getName())
        .check(CLASSES);
  }

  @Test
  void coreDoesNotDependOnAdapters() {
    noClasses().that().resideInAnyPackage(PURE)
        .should().dependOnClassesThat().resideInAnyPackage("tenet.store.ratis..", "tenet.store.rpc..")
        .check(CLASSES);
  }
}
