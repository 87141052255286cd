package org.protsim.hw.replacement;

import org.protsim.core.config.ConfigException;
import org.protsim.core.config.MachineConfig;
import org.protsim.core.config.TlbConfig;
import org.protsim.core.plugin.Registry;

/** The replacement policies a run may use, and the check of a machine config against them. */
public final class ReplacementPolicies {
    private static final Registry<ReplacementPolicy> BUILTIN =
            discover(ReplacementPolicies.class.getClassLoader());

    private ReplacementPolicies() {
    }

    /** protsim's own policies (and any on its class path). */
    public static Registry<ReplacementPolicy> builtin() {
        return BUILTIN;
    }

    /** Every policy visible to {@code loader}: protsim's and those of plugin jars. */
    public static Registry<ReplacementPolicy> discover(ClassLoader loader) {
        return Registry.discover(ReplacementPolicy.class, "replacement policy", loader);
    }

    /**
     * Checks that every TLB of {@code machine} names a policy of {@code policies} that supports its
     * ways.
     *
     * @throws ConfigException at {@code machine.tlb.<level>.replacement} or {@code .ways}
     */
    public static void check(MachineConfig machine, Registry<ReplacementPolicy> policies) {
        check("machine.tlb.l1i", machine.tlb().l1i(), policies);
        check("machine.tlb.l1d", machine.tlb().l1d(), policies);
        check("machine.tlb.l2", machine.tlb().l2(), policies);
    }

    private static void check(String path, TlbConfig tlb, Registry<ReplacementPolicy> policies) {
        ReplacementPolicy p = policies.require(path + ".replacement", tlb.replacement());
        String bad = p.unsupportedWays(tlb.ways());
        if (bad != null) {
            throw new ConfigException(path + ".ways", bad);
        }
    }
}
