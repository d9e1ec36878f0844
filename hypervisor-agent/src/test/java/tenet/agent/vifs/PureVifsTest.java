package tenet.agent.vifs;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Which ports are plugged in, and when to say so, is decided by records and functions: the socket is in .ovs. */
class PureVifsTest {
  @Test
  void theDecisionDoesNoIo() {
    noClasses().that().resideInAPackage("tenet.agent.vifs")
        .should().dependOnClassesThat().resideInAnyPackage("java.io..", "java.nio..", "java.net..",
            "java.util.concurrent..", "tenet.agent.ovs..", "org.slf4j..", "com.google.gson..")
        .orShould().dependOnClassesThat().belongToAnyOf(ProcessBuilder.class, Process.class, Runtime.class, Thread.class)
        .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("tenet.agent.vifs"));
  }
}
