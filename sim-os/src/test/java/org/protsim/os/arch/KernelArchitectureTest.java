package org.protsim.os.arch;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * DESIGN.md section 4: the kernel is a set of parts, and models and mechanisms reach it through
 * narrow services, never the kernel object (STYLE.md practice 16). The packages of sim-os call
 * each other in one direction only: org.protsim.os (the kernel and its public interfaces) knows
 * no model or mechanism package; those find it, and are found by name through ServiceLoader.
 */
@AnalyzeClasses(packages = "org.protsim.os", importOptions = ImportOption.DoNotIncludeTests.class)
class KernelArchitectureTest {

    @ArchTest
    static final ArchRule noCyclesBetweenThePackagesOfSimOs = slices().matching("org.protsim.(**)")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule theKernelKnowsNoModelOrMechanism = noClasses().that().resideInAPackage("org.protsim.os")
            .should().dependOnClassesThat().resideInAnyPackage("org.protsim.os.model..", "org.protsim.os.mechanism..");

    @ArchTest
    static final ArchRule modelsSeeTheServicesNotTheKernel = noClasses()
            .that().resideInAnyPackage("org.protsim.os.model..", "org.protsim.os.mechanism..")
            .should().dependOnClassesThat().haveFullyQualifiedName("org.protsim.os.Kernel")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("org.protsim.os.KernelServices");
}
