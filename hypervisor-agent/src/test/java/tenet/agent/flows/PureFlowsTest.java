package tenet.agent.flows;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** What to change in OVS is worked out by records and functions: running the tools is in .ovs. */
class PureFlowsTest {
  @Test
  void theDiffDoesNoIo() {
    noClasses().that().resideInAPackage("tenet.agent.flows")
        .should().dependOnClassesThat().resideInAnyPackage("java.io..", "java.nio.file..", "java.net..",
            "tenet.agent.ovs..", "org.slf4j..")
        .orShould().dependOnClassesThat().belongToAnyOf(ProcessBuilder.class, Process.class, Runtime.class, Thread.class)
        .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("tenet.agent.flows"));
  }
}
