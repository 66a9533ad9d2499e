package io.facsimile.core.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The map of the core that the README's "Architecture" section draws, checked on the compiled classes:
 * no cycles between packages, the facade on top, and the lower packages never reaching up.
 */
class PackageRulesTest {

    static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.facsimile.core");
    }

    @Test
    void noTwoPackagesDependOnEachOther() {
        slices().matching("io.facsimile.core.(**)").should().beFreeOfCycles().check(core);
    }

    @Test
    void onlyTheFacadeUsesTheFacade() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.facsimile.core.api..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.facsimile.core.api..")
                .check(core);
    }

    @Test
    void aReleaseIsAValueThatKnowsNothingOfRenderBundleOrDeploy() {
        classes()
                .that()
                .resideInAPackage("io.facsimile.core.release..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage(
                        "io.facsimile.core.release..", "io.facsimile.core", "java..", "com.fasterxml.jackson..")
                .because("release is the value render writes, bundle archives and deploy carries")
                .check(core);
    }

    @Test
    void deployAndModuleDoNotReachUpIntoBundling() {
        noClasses()
                .that()
                .resideInAnyPackage("io.facsimile.core.deploy..", "io.facsimile.core.module..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.facsimile.core.bundle..", "io.facsimile.core.install..", "io.facsimile.core.template..")
                .check(core);
    }

    @Test
    void incrementalBuildsKnowNothingOfWhatTheyKeepCurrent() {
        noClasses()
                .that()
                .resideInAPackage("io.facsimile.core.incremental..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.facsimile.core.api..",
                        "io.facsimile.core.install..",
                        "io.facsimile.core.template..",
                        "io.facsimile.core.bundle..",
                        "io.facsimile.core.deploy..")
                .because("stamps, fingerprints and listings compare inputs; what renders them sits above")
                .check(core);
    }
}
