package org.protsim.core.config;

/**
 * The machine's block device: requests are served {@code parallelRequests} at a time, in order of
 * submission, the others wait in its queue; each completion raises an interrupt on one CPU.
 *
 * @param latency          service time of one request
 * @param parallelRequests requests the device serves at once (its internal parallelism: flash dies and channels)
 * @param irq              which CPU takes a completion interrupt: the submitter's, or {@code irqCpu}
 * @param irqCpu           the CPU taking every completion interrupt when {@code irq} is fixed
 * @param interruptCycles  interrupt entry, acknowledgement and return on that CPU, before the kernel's handler
 */
public record DiskConfig(DiskLatencyConfig latency, int parallelRequests, IrqRouting irq, int irqCpu,
                         int interruptCycles) {
    public static final DiskConfig DEFAULT = new DiskConfig(DiskLatencyConfig.DEFAULT,
            // Little's law on AnandTech's Intel Optane SSD DC P4800X review (2017), 4 KiB random reads:
            // 584.8k IOPS at queue depth 16 with a 9 us median at queue depth 1, so 584.8k/s x 9 us = 5.3
            // requests in service at saturation (Intel's specification: 550k IOPS)
            5,
            IrqRouting.SUBMITTER, 0,
            // taken equal to the shootdown IPI's handler entry and acknowledgement (CostsConfig
            // ipiHandlerCycles, COSTS.md "remote shootdown"); the kernel's completion work is charged apart
            500);

    public DiskConfig {
        Check.that(latency != null, "latency", "must be given");
        Check.range("parallelRequests", parallelRequests, 1, 1 << 16);
        Check.that(irq != null, "irq", "must be given");
        Check.range("irqCpu", irqCpu, 0, MachineConfig.MAX_CPUS - 1);
        Check.nonNegative("interruptCycles", interruptCycles);
    }
}
