package tenet.store.core.net;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/**
 * The validation core must give the same answer on every replica, so this package may not reach
 * for threads, files, sockets, clocks, the environment or DNS. java.net is allowed only because
 * InetAddress is the type Guava's parser hands back; the name-resolving methods are banned.
 */
class NetPackagePurityTest {

  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("tenet.store.core.net");

  @Test
  void dependsOnlyOnTheJdkValueTypesAndGuavaNet() {
    classes().should().onlyDependOnClassesThat().resideInAnyPackage(
            "tenet.store.core.net..", "java.lang", "java.lang.invoke", "java.lang.runtime",
            "java.util", "java.util.function", "java.util.regex", "java.util.stream", "java.math",
            "java.net", "com.google.common.net")
        .check(CLASSES);
  }

  @Test
  void neverResolvesNames() {
    noClasses().should().callMethod(InetAddress.class, "getByName", String.class)
        .orShould().callMethod(InetAddress.class, "getAllByName", String.class)
        .orShould().callMethod(InetAddress.class, "getLocalHost")
        .orShould().callMethod(InetAddress.class, "getHostName")
        .orShould().callMethod(InetAddress.class, "getCanonicalHostName")
        .check(CLASSES);
  }

  @Test
  void touchesNoThreadsClocksOrEnvironment() {
    noClasses().should().accessClassesThat().haveFullyQualifiedName(Thread.class.getName())
        .orShould().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(System.class, "nanoTime")
        .orShould().callMethod(System.class, "getenv", String.class)
        .orShould().callMethod(System.class, "getProperty", String.class)
        .check(CLASSES);
  }
}
