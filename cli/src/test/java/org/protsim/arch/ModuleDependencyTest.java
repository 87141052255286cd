package org.protsim.arch;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * DESIGN.md section 1: dependencies point one way, cli → workloads → sim-os → sim-hw → sim-core.
 * Hardware knows nothing of processes; the OS knows nothing of workloads; workloads know nothing
 * of the command line or of the orchestration that runs them.
 */
@AnalyzeClasses(packages = "org.protsim", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleDependencyTest {

    @ArchTest
    static final ArchRule coreDependsOnNothingAbove = noClasses().that().resideInAPackage("org.protsim.core..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.protsim.hw..", "org.protsim.os..", "org.protsim.workloads..", "org.protsim.orchestration..",
                    "org.protsim.validate..", "org.protsim.cli..", "org.protsim.bench..");

    @ArchTest
    static final ArchRule hardwareKnowsNoKernelOrWorkload = noClasses().that().resideInAPackage("org.protsim.hw..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.protsim.os..", "org.protsim.workloads..", "org.protsim.orchestration..", "org.protsim.validate..",
                    "org.protsim.cli..", "org.protsim.bench..");

    @ArchTest
    static final ArchRule kernelKnowsNoWorkload = noClasses().that().resideInAPackage("org.protsim.os..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.protsim.workloads..", "org.protsim.orchestration..", "org.protsim.validate..", "org.protsim.cli..",
                    "org.protsim.bench..");

    @ArchTest
    static final ArchRule workloadsKnowNoBenchmarks = noClasses().that()
            .resideInAnyPackage(
                    "org.protsim.workloads..", "org.protsim.orchestration..", "org.protsim.validate..", "org.protsim.cli..")
            .should().dependOnClassesThat().resideInAPackage("org.protsim.bench..");

    @ArchTest
    static final ArchRule workloadGeneratorsDoNotCallTheCommandLine = noClasses().that()
            .resideInAPackage("org.protsim.workloads..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.protsim.orchestration..", "org.protsim.validate..", "org.protsim.cli..");

    @ArchTest
    static final ArchRule orchestrationDoesNotCallTheCommandLine = noClasses().that()
            .resideInAPackage("org.protsim.orchestration..")
            .should().dependOnClassesThat().resideInAnyPackage("org.protsim.validate..", "org.protsim.cli..");

    /** validate runs experiments through the orchestration; the command line only presents them. */
    @ArchTest
    static final ArchRule validationDoesNotCallTheCommandLine = noClasses().that()
            .resideInAPackage("org.protsim.validate..")
            .should().dependOnClassesThat().resideInAPackage("org.protsim.cli..");
}
