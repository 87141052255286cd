package org.protsim.os.dma;

import org.protsim.core.stats.Counter;
import org.protsim.core.stats.LatencyRecorder;
import org.protsim.core.stats.Stats;
import org.protsim.hw.CycleCategory;
import org.protsim.os.MechanismServices;
import org.protsim.os.pat.AttributeAliases;

import static org.protsim.os.dma.DmaMechanism.VICTIMS;

/** {@code kernel.dma}'s counters and latencies, registered at boot with their names, units and descriptions. */
final class DmaCounters {
    final Counter requests;
    final Counter bytes;
    final Counter wild;
    final Counter caught;
    final Counter[] landed;
    final Counter wildRandom;
    final Counter wildLate;
    final Counter wildDriver;
    final Counter ringWaits;
    final Counter touches;
    final LatencyRecorder mapLatency;
    final LatencyRecorder unmapLatency;
    final LatencyRecorder requestLatency;

    DmaCounters(MechanismServices s, AttributeAliases aliases) {
        Stats st = s.stats();
        requests = st.counter("dma.requests", "requests", "DMA requests completed");
        bytes = st.counter("dma.bytes", "bytes", "bytes the devices transferred");
        wild = st.counter("dma.wildWrites", "writes", "wild writes by a faulty device or driver");
        caught = st.counter("dma.wildWrites.caught", "writes", "wild writes stopped by an IOMMU or protection fault");
        landed = new Counter[VICTIMS.size()];
        for (int i = 0; i < landed.length; i++) {
            landed[i] = st.counter("dma.wildWrites.landed." + VICTIMS.get(i), "writes",
                    "wild writes that landed on a frame of kind " + VICTIMS.get(i));
        }
        wildRandom = st.counter("dma.wildWrites.randomAddress", "writes", "device writes to a random bus address");
        wildLate = st.counter("dma.wildWrites.useAfterUnmap", "writes", "device writes to a buffer after its unmap");
        wildDriver = st.counter("dma.wildWrites.driverOutside", "writes", "driver writes outside its buffers and state");
        ringWaits = st.counter("dma.ringFullWaits", "requests", "requests that waited for a free descriptor");
        touches = st.counter("dma.driver.touches", "accesses", "the driver's accesses to buffer pages (completion status)");
        mapLatency = st.histogram("dma.map.latency", "cycles", "CPU cycles of one dmaMap");
        unmapLatency = st.histogram("dma.unmap.latency", "cycles", "CPU cycles of one dmaUnmap");
        requestLatency = st.histogram("dma.request.latency", "cycles", "from dmaTransfer to its completion");
        st.counter("pat.aliasesUndetected", "mappings",
                "mappings of a frame with a cache attribute other than its other mappings' (or RAM not write-back) that were made",
                aliases::undetected);
        st.counter("pat.staleReads", "accesses", "uncached reads of a line a write-back alias left in a cache", () -> {
            long n = 0;
            for (int i = 0; i < s.cpuCount(); i++) {
                n += s.cpu(i).caches().staleReads();
            }
            return n;
        });
        double perSecond = s.config().machine().cyclesPerNs() * 1e9;
        st.derived("dma.requestsPerSecond", "requests/s", "DMA requests completed per simulated second",
                sum -> sum.counters().get("simulatedCycles") == 0 ? Double.NaN
                        : sum.counter("dma.requests") * perSecond / sum.counter("simulatedCycles"));
        for (CycleCategory c : CycleCategory.values()) {
            st.derived("dma.cyclesPerRequest." + c.json(), "cycles", "CPU cycles of " + c.json() + " per DMA request",
                    sum -> sum.counter("dma.requests") == 0 ? Double.NaN
                            : (double) sum.cycles().get(c.json()) / sum.counter("dma.requests"));
        }
    }
}
