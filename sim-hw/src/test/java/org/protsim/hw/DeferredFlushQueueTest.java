package org.protsim.hw;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.protsim.core.Simulation;
import org.protsim.core.config.IommuConfig;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Linux's deferred flush queue: full at {@code queueEntries}, or the timer
 * {@code flushIntervalCycles} after the first queued unmap. Here 4 entries and 10,000 cycles;
 * costs as IommuTest's defaults (PTE write 100, queue 30, submit 200, domain invalidation 400,
 * status 195, poll 195, magazine 30).
 */
class DeferredFlushQueueTest {
    Simulation sim;
    PhysicalMemory memory;
    Iommu iommu;
    int domain;
    DeferredFlushQueue fq;
    final List<long[]> flushes = new ArrayList<>();

    @BeforeEach
    void setUp() {
        sim = new Simulation(1);
        memory = new PhysicalMemory(1 << 16);
        IommuConfig c = IommuConfig.DEFAULT;
        iommu = IommuTest.iommu(new IommuConfig(c.iotlb(), c.walkCache(), c.levels(), c.pteWriteCycles(), c.iova(),
                c.invalidation(), new IommuConfig.FlushQueue(4, 10_000, 30)), sim, memory, 2);
        domain = iommu.attachToNewDomain(0, 7);
        fq = iommu.flushQueue(domain);
        fq.setListener((d, time, cycles, byTimer) -> flushes.add(new long[]{time, cycles, byTimer ? 1 : 0}));
    }

    long mapOne(int cpu) {
        long pfn = iommu.iova(domain).alloc(cpu, 1);
        iommu.map(domain, pfn << 12, memory.allocate(PhysicalMemory.DATA, 7), true, 7);
        return pfn;
    }

    @Test
    void shouldFlushExactlyWhenAnUnmapFindsTheQueueHoldingQueueEntries() {
        for (int i = 0; i < 4; i++) {
            assertThat(fq.unmap(0, mapOne(0), 1, 0)).as("PTE clear 100 + queue 30").isEqualTo(130);
        }
        assertThat(iommu.queueFlushes()).isZero();
        assertThat(fq.queued(0)).isEqualTo(4);

        long cycles = fq.unmap(0, mapOne(0), 1, 0);
        // 130, then the flush at 130: submit 200 (unit done at 330 + 400 = 730), wait from 330: seen at
        // max(530, 730) + 195 + 195 = 1120 (790), then 4 IOVAs back to the magazine at 30 each
        assertThat(cycles).isEqualTo(130 + 200 + 790 + 4 * 30);
        assertThat(iommu.queueFlushes()).isEqualTo(1);
        assertThat(iommu.invalidations()).isEqualTo(1);
        assertThat(fq.queued(0)).isEqualTo(1);
        assertThat(fq.fullFlushes()).isEqualTo(1);
    }

    @Test
    void shouldCountEachCpusQueueSeparately() {
        for (int i = 0; i < 4; i++) {
            fq.unmap(0, mapOne(0), 1, 0);
            fq.unmap(1, mapOne(1), 1, 0);
        }
        assertThat(iommu.queueFlushes()).isZero();
        fq.unmap(1, mapOne(1), 1, 0);
        assertThat(iommu.queueFlushes()).isEqualTo(1);
        // one domain flush empties every CPU's queue
        assertThat(fq.queued(0)).isZero();
        assertThat(fq.queued(1)).isEqualTo(1);
    }

    @Test
    void shouldFlushOnTheTimerAfterTheIntervalAndMeasureTheWindowOfExposure() {
        fq.unmap(0, mapOne(0), 1, 0); // PTE cleared at 100; timer at 100 + 10,000
        fq.unmap(0, mapOne(0), 1, 5_000); // timer already pending: not moved
        assertThat(fq.timerPending()).isTrue();

        sim.run(Long.MAX_VALUE);

        assertThat(flushes).hasSize(1);
        assertThat(flushes.get(0)[0]).isEqualTo(10_100);
        // 200 + 790 + two IOVAs freed at 30
        assertThat(flushes.get(0)[1]).isEqualTo(200 + 790 + 2 * 30);
        assertThat(flushes.get(0)[2]).isEqualTo(1);
        assertThat(fq.queued(0)).isZero();
        // the unit drops the domain's entries at 10,100 + 200 + 400 = 10,700; unmaps cleared at 100 and 5,100
        var h = sim.stats().histogram("dma.exposure.latency").histogram();
        assertThat(h.getTotalCount()).isEqualTo(2);
        // (HdrHistogram keeps 3 significant digits: compare within its resolution)
        assertThat(h.valuesAreEquivalent(h.getMaxValue(), 10_600)).isTrue();
        assertThat(h.valuesAreEquivalent(h.getMinValue(), 5_600)).isTrue();
    }

    @Test
    void shouldLetAUseAfterUnmapLandOnlyInsideTheWindow() {
        long pfn = iommu.iova(domain).alloc(0, 1);
        int frame = memory.allocate(PhysicalMemory.DATA, 7);
        iommu.map(domain, pfn << 12, frame, true, 7);
        iommu.dma(0, pfn << 12, true, 0); // the device's translation is in the IOTLB
        fq.unmap(0, pfn, 1, 0);

        assertThat(iommu.dma(0, pfn << 12, true, 9_000)).as("inside the window").isEqualTo(frame);
        sim.run(Long.MAX_VALUE); // timer flush at 10,100; the unit is done at 10,700
        assertThat(iommu.dma(0, pfn << 12, true, 10_700)).as("after the flush").isEqualTo(Iommu.FAULT);
    }

    @Test
    void shouldNotHandTheIovaOutAgainBeforeTheFlush() {
        long pfn = mapOne(0);
        fq.unmap(0, pfn, 1, 0);
        assertThat(iommu.iova(domain).alloc(0, 1)).isNotEqualTo(pfn);
        sim.run(Long.MAX_VALUE);
        assertThat(iommu.iova(domain).alloc(0, 1)).as("freed to CPU 0's magazine by the flush").isEqualTo(pfn);
    }
}
