package org.protsim.core.config;

/**
 * Primitive cycle costs of kernel and hardware operations. These are inputs; what protsim
 * reports (switch latency, fork latency, shootdown latency) is built from them by the
 * simulation, never set directly.
 */
public record CostsConfig(
        int syscallCycles,
        int faultCycles,
        int pageZeroCycles,
        int pageCopyCycles,
        int pteCopyCycles,
        int forkCycles,
        int execCycles,
        int contextSwitchCycles,
        int rootSwitchCycles,
        int flushAllCycles,
        int flushNonGlobalCycles,
        int flushAsidCycles,
        int flushPageCycles,
        int flushSharedCycles,
        int rangeFlushCeilingPages,
        int ipiLatencyCycles,
        int ipiHandlerCycles,
        int cacheFlushLineCycles,
        int ipiSendCycles) {

    // Kernel primitives are not published figures (docs/hardware-costs.md "Kernel primitives");
    // tools/costs measures them on the development machine (a KVM guest at 2.0 GHz TSC, 2026-11-21),
    // where faults and page-table work are inflated 2-4x against bare metal. The defaults below are
    // bare-metal estimates at 3 GHz that stay below those measured upper bounds; each line says which
    // measurement bounds it.
    public static final CostsConfig DEFAULT = new CostsConfig(
            // syscall entry + exit, 100 ns (tools/costs: null syscall 154 ns in the guest)
            300,
            // exception entry, handling and return of a minor fault, without zeroing or copying, 0.5 us
            // (tools/costs: read fault mapping the zero page 1.0 us in the guest)
            1500,
            // clear one 4 KiB page, 200 ns (tools/costs: 47 ns cache-hot, 637 ns cold)
            600,
            // copy one 4 KiB page, 400 ns (tools/costs: 49 ns cache-hot, 906 ns cold)
            1200,
            // copy one PTE at fork with the page's refcount update, 20 ns (tools/costs: fork+exit grows by
            // 221 ns per resident page in the guest, copy and teardown together)
            60,
            // fixed work of fork apart from page tables (task, mm and VMA structures), 10 us
            // (tools/costs: fork+exit+wait of a tiny process 196 us in the guest)
            30000,
            // fixed work of exec apart from page tables (loading and parsing the image), 20 us
            60000,
            // scheduler pick plus register save and restore, without root switch and flushes, 0.5 us
            // (tools/costs: pipe ping-pong 2.5 us per switch in the guest, two syscalls included)
            1500,
            // write of the page-table root register (MOV CR3 with the no-flush bit), "on the order of a
            // hundred cycles" (docs/hardware-costs.md "CR3 write", Linux pti.rst)
            100,
            // full TLB flush including global entries (CR4.PGE toggle); ~96 cycles for the flush itself
            // (docs/hardware-costs.md "full flush by CR3 reload")
            96,
            // flush of all non-global entries (CR3 reload without PCID);
            // docs/hardware-costs.md "full flush by CR3 reload"
            96,
            // flush of one ASID's entries (INVPCID single-context), taken equal to a CR3 reload
            96,
            // INVLPG of one page, ~260 cycles (docs/hardware-costs.md "INVLPG, one page")
            260,
            // flush of one shared space's entries (ARC: a loop over the JTLB), taken equal to a full flush
            96,
            // above this many pages a range flush becomes a full flush (Linux x86;
            // docs/hardware-costs.md "range flush ceiling")
            33,
            // one-way IPI delivery, calibrated: with the handler below and the send to the target
            // (ipiSendCycles), a one-remote-CPU shootdown costs ~0.7 us more than a local one
            // (docs/hardware-costs.md "remote shootdown", Amit 2019: 0.7 us local, 1.4 us with 1 remote):
            // 200 + 2 x 600 + 500 + INVLPG 260 = 2,160 cycles = 0.72 us at 3 GHz (700 before the send was
            // charged)
            600,
            // interrupt entry, flush bookkeeping and acknowledgement on the remote CPU (flush cost is added apart)
            500,
            // write back and invalidate one cache line (CLFLUSH)
            100,
            // the initiator's work per target before the next one, as Linux's smp_call_function_many_cond
            // (kernel/smp.c) does it for a TLB flush: llist_add of the call onto the target's queue (a
            // locked update of a line the target last wrote, ~60: an LLC round trip plus the atomic, as
            // IommuConfig's lockCycles), the x2APIC ICR write of its IPI (native_x2apic_icr_write, a WRMSR,
            // ~80: not published, an estimate) and, in csd_lock_wait, reading back the flag the target
            // cleared (~60, the same transfer). An estimate, not fitted to Amit's figure
            // (docs/hardware-costs.md "IPI to each target")
            200);

    public CostsConfig {
        Check.nonNegative("syscallCycles", syscallCycles);
        Check.nonNegative("faultCycles", faultCycles);
        Check.nonNegative("pageZeroCycles", pageZeroCycles);
        Check.nonNegative("pageCopyCycles", pageCopyCycles);
        Check.nonNegative("pteCopyCycles", pteCopyCycles);
        Check.nonNegative("forkCycles", forkCycles);
        Check.nonNegative("execCycles", execCycles);
        Check.nonNegative("contextSwitchCycles", contextSwitchCycles);
        Check.nonNegative("rootSwitchCycles", rootSwitchCycles);
        Check.nonNegative("flushAllCycles", flushAllCycles);
        Check.nonNegative("flushNonGlobalCycles", flushNonGlobalCycles);
        Check.nonNegative("flushAsidCycles", flushAsidCycles);
        Check.nonNegative("flushPageCycles", flushPageCycles);
        Check.nonNegative("flushSharedCycles", flushSharedCycles);
        Check.positive("rangeFlushCeilingPages", rangeFlushCeilingPages);
        Check.nonNegative("ipiLatencyCycles", ipiLatencyCycles);
        Check.nonNegative("ipiHandlerCycles", ipiHandlerCycles);
        Check.nonNegative("cacheFlushLineCycles", cacheFlushLineCycles);
        Check.nonNegative("ipiSendCycles", ipiSendCycles);
    }
}
