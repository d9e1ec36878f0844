package tenet.agent.sriov;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** What VFs exist, which VF a port gets and what to set are records and functions: the I/O is in .host. */
class PureSriovTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("tenet.agent.sriov");

  @Test
  void thePlanDoesNoIo() {
    noClasses().that().resideInAPackage("tenet.agent.sriov")
        .should().dependOnClassesThat().resideInAnyPackage("java.io..", "java.nio..", "java.net..", "tenet.agent.ovs..",
            "tenet.agent.sriov.host..", "org.slf4j..")
        .orShould().dependOnClassesThat().belongToAnyOf(ProcessBuilder.class, Process.class, Runtime.class)
        .check(CLASSES);
  }
}
