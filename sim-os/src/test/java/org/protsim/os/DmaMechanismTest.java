package org.protsim.os;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.protsim.core.config.DmaConfig;
import org.protsim.core.config.IommuConfig;
import org.protsim.core.config.ModelName;
import org.protsim.hw.DeferredFlushQueue;
import org.protsim.os.dma.DmaDevice;
import org.protsim.os.dma.DmaMechanism;
import org.protsim.os.dma.DmaOps;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kernel.dma's four modes, each against what its definition says a device or driver can reach
 * (issue 14's Done-when): expectations follow from the modes' rules, not from a run's output.
 */
class DmaMechanismTest {
    /** A small NIC: 3,000 cycles of latency, 4 bytes per cycle, 8 descriptors, 2 register pages, 4 aperture pages. */
    static final DmaDevice NIC = new DmaDevice(0, "nic", 3_000, 4.0, 8, 2, 4);
    static final long BUF = 0x5000_0000L;

    /** A wild write: kind and its random draw; or a late write's delay (kind -1), or none (null). */
    record Wild(int kind, long target) {
    }

    /**
     * One client: maps a 2-page buffer, writes it, then makes {@code wild.size()} requests (map,
     * transfer, unmap), request i misbehaving as {@code wild.get(i)} says.
     */
    static Harness.Script client(List<Wild> wild) {
        return client(wild, null);
    }

    /**
     * As {@link #client(List)}; with {@code lateDone} the client waits after each unmap with a late
     * write until that many late writes have happened (so no later map can reuse the IOVA first).
     */
    static Harness.Script client(List<Wild> wild, java.util.function.IntSupplier lateDone) {
        Harness.Script s = new Harness.Script()
                .op(Op.Mmap.anonymous(BUF, 2 * 4096, Vma.READ | Vma.WRITE))
                .write(BUF, BUF + 4096);
        int[] lates = new int[1];
        for (Wild w : wild) {
            long[] handle = new long[1];
            s.op(new DmaOps.DmaMap(NIC, BUF, 2 * 4096, false))
                    .then(b -> {
                        handle[0] = s.returns.get(s.returns.size() - 1);
                        int kind = w == null || w.kind() < 0 ? DmaOps.WILD_NONE : w.kind();
                        return new DmaOps.DmaTransfer(NIC, handle[0], kind, w == null ? 0 : w.target());
                    })
                    .then(b -> new DmaOps.DmaUnmap(NIC, handle[0], w != null && w.kind() < 0 ? w.target() : -1));
            if (lateDone != null && w != null && w.kind() < 0) {
                int expected = ++lates[0];
                s.await(() -> lateDone.getAsInt() >= expected);
            }
        }
        return s;
    }

    static IommuConfig iommu(int queueEntries, long intervalCycles) {
        IommuConfig d = IommuConfig.DEFAULT;
        return new IommuConfig(d.iotlb(), d.walkCache(), d.levels(), d.pteWriteCycles(), d.iova(), d.invalidation(),
                new IommuConfig.FlushQueue(queueEntries, intervalCycles, d.flushQueue().queueCycles()));
    }

    /** 30 requests: 10 random-address device writes, 10 driver writes outside, 10 uses after unmap (1,000 cycles late). */
    static List<Wild> mixed(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Wild> w = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            // targets below 2^56 give IOVAs below 2^40, where the top-down IOVA allocator never reaches
            long t = r.nextLong() >>> 8;
            w.add(switch (i % 3) {
                case 0 -> new Wild(DmaOps.WILD_RANDOM_ADDRESS, t);
                case 1 -> new Wild(DmaOps.WILD_DRIVER_OUTSIDE, t);
                default -> new Wild(-1, 1_000);
            });
        }
        return w;
    }

    static long landed(Harness h) {
        long n = 0;
        for (String v : DmaMechanism.VICTIMS) {
            n += h.counter("dma.wildWrites.landed." + v);
        }
        return n;
    }

    @Test
    void shouldLandEveryWildWriteAndCatchNoneInTheSharedPool() {
        DmaMechanism dma = new DmaMechanism(DmaConfig.SHARED_POOL);
        Harness h = Harness.of(ModelName.PCID, 1, dma);
        Process p = h.kernel.spawn(h.image("client"), client(mixed(1)));
        h.run();
        assertThat(h.kernel.exitStatusOf(p)).isZero();
        // no IOMMU and the driver in the kernel's shared map: nothing stands between a write and a frame
        assertThat(h.counter("dma.requests")).isEqualTo(30);
        assertThat(h.counter("dma.wildWrites")).isEqualTo(30);
        assertThat(h.counter("dma.wildWrites.caught")).isZero();
        assertThat(landed(h)).isEqualTo(30);
        // the late writes hit the buffer's first frame, which the client still holds: its own
        assertThat(h.counter("dma.wildWrites.landed.own")).isGreaterThanOrEqualTo(10);
        // map and unmap cost nothing
        assertThat(h.sim.stats().histogram("dma.map.latency").histogram().getMaxValue()).isZero();
        assertThat(h.sim.stats().histogram("dma.unmap.latency").histogram().getMaxValue()).isZero();
    }

    @Test
    void shouldCatchEveryWriteToAnUnmappedIovaAndEveryUseAfterUnmapUnderStrict() {
        DmaMechanism dma = new DmaMechanism(DmaConfig.IOMMU_STRICT);
        Harness h = Harness.of(ModelName.CONVENTIONAL, 1, dma);
        List<String> outcomes = new ArrayList<>();
        dma.onWildWrite((kind, time, caught, victim) -> outcomes.add(kind + (caught ? " caught" : " landed")));
        // the client maps again only after its late write happened: a freed IOVA reused by the next map
        // would turn a use after unmap into a write through a valid mapping, which no IOMMU can tell apart
        h.kernel.spawn(h.image("client"), client(mixed(2),
                () -> (int) outcomes.stream().filter(o -> o.startsWith("useAfterUnmap")).count()));
        h.run();
        // random IOVAs below 2^40 are never mapped (the allocator works down from 2^48): all 10 caught; the
        // driver's writes go through the kernel's map, which the IOMMU does not guard: all 10 land; every
        // use after unmap comes after the invalidation was waited for: all 10 caught
        assertThat(outcomes).filteredOn(o -> o.startsWith("randomAddress")).hasSize(10).allMatch(o -> o.endsWith("caught"));
        assertThat(outcomes).filteredOn(o -> o.startsWith("useAfterUnmap")).hasSize(10).allMatch(o -> o.endsWith("caught"));
        assertThat(outcomes).filteredOn(o -> o.startsWith("driverOutside")).hasSize(10).allMatch(o -> o.endsWith("landed"));
        assertThat(h.counter("dma.wildWrites.caught")).isEqualTo(20);
        assertThat(h.counter("iommu.faults")).isEqualTo(20);
        // one page-selective invalidation per unmap, 30 unmaps
        assertThat(h.counter("iommu.invalidations")).isEqualTo(30);
    }

    @Test
    void shouldLetAUseAfterUnmapLandInsideTheDeferredWindowOnly() {
        long interval = 50_000;
        // one request each, its late write 1,000 cycles after the unmap (inside) or 2 intervals after (outside)
        for (long delay : new long[] {1_000, 2 * interval}) {
            DmaMechanism dma = new DmaMechanism(DmaConfig.IOMMU_DEFERRED);
            Harness h = Harness.withIommu(ModelName.CONVENTIONAL, 1, iommu(256, interval), dma);
            List<String> outcomes = new ArrayList<>();
            dma.onWildWrite((kind, time, caught, victim) -> outcomes.add(caught ? "caught" : victim));
            h.kernel.spawn(h.image("client"), client(List.of(new Wild(-1, delay))));
            h.run();
            // the stale IOTLB entry (filled by the transfer) translates until the timer's flush; the client
            // exited right after its unmap, so the page it reaches is a free one. After the flush the walk
            // finds no entry and the write faults
            assertThat(outcomes).containsExactly(delay < interval ? "free" : "caught");
            // the window: PTE cleared at the unmap, timer interval later the flush's domain invalidation is
            // submitted (200 cycles) and executed (400): exactly interval + 600 cycles
            var exposure = h.sim.stats().histogram("dma.exposure.latency").histogram();
            assertThat(exposure.getTotalCount()).isEqualTo(1);
            assertThat((double) exposure.getMaxValue()).isCloseTo(interval + 600, org.assertj.core.data.Offset.offset(60.0));
        }
    }

    @Test
    void shouldFlushTheDeferredQueueAtExactlyQueueEntriesAndOnTheTimer() {
        DmaMechanism dma = new DmaMechanism(DmaConfig.IOMMU_DEFERRED);
        Harness h = Harness.withIommu(ModelName.CONVENTIONAL, 1, iommu(4, 1_000_000_000_000L), dma);
        List<Wild> none = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            none.add(null);
        }
        int[] queuedAfter = new int[1];
        Harness.Script s = client(none).check(() -> queuedAfter[0] = dma.iommu().flushQueue(0).queued(0));
        h.kernel.spawn(h.image("client"), s);
        h.run();
        DeferredFlushQueue q = dma.iommu().flushQueue(0);
        // unmaps 1-4 fill the queue; the 5th finds 4 and flushes first (5 is then queued), 6-8 fill it
        // again and the 9th flushes: two full flushes, one entry left; the timer armed by the first unmap
        // flushes that one
        assertThat(queuedAfter[0]).isEqualTo(1);
        assertThat(q.fullFlushes()).isEqualTo(2);
        assertThat(q.timerFlushes()).isEqualTo(1);
        assertThat(h.counter("iommu.queueFlushes")).isEqualTo(3);
        assertThat(h.sim.stats().histogram("dma.exposure.latency").histogram().getTotalCount()).isEqualTo(9);
    }

    @ParameterizedTest
    @EnumSource(value = ModelName.class, names = {"CONVENTIONAL", "SASOS", "PCID"})
    void shouldLetTheDriverTouchOnlyPagesExposedToItAtThatMoment(ModelName model) {
        DmaMechanism dma = new DmaMechanism(DmaConfig.OWNED_PAGES);
        Harness h = Harness.of(model, 2, dma);
        Set<Long> lent = new HashSet<>();
        List<Boolean> touchedLent = new ArrayList<>();
        dma.onDriverTouch(f -> touchedLent.add(lent.contains((long) f)));
        List<String> driverWrites = new ArrayList<>();
        dma.onWildWrite((kind, time, caught, victim) -> {
            if (kind.equals("driverOutside")) {
                driverWrites.add(caught ? "caught" : victim);
            }
        });
        SplittableRandom r = new SplittableRandom(3);
        Harness.Script s = new Harness.Script()
                .op(Op.Mmap.anonymous(BUF, 2 * 4096, Vma.READ | Vma.WRITE))
                .write(BUF, BUF + 4096);
        Process[] self = new Process[1];
        for (int i = 0; i < 20; i++) {
            long[] handle = new long[1];
            long target = r.nextLong();
            s.check(() -> {
                        // the owner lends both buffer pages for the call
                        lent.add(h.frame(self[0], BUF));
                        lent.add(h.frame(self[0], BUF + 4096));
                    })
                    .op(new DmaOps.DmaMap(NIC, BUF, 2 * 4096, false))
                    .then(b -> {
                        handle[0] = s.lastReturn();
                        return new DmaOps.DmaTransfer(NIC, handle[0], DmaOps.WILD_DRIVER_OUTSIDE, target);
                    })
                    .then(b -> new DmaOps.DmaUnmap(NIC, handle[0], -1))
                    .check(lent::clear)
                    // between calls the driver may touch nothing of the client's
                    .check(() -> assertThat(lent).isEmpty());
        }
        self[0] = h.kernel.spawn(h.image("client"), s);
        h.run();
        assertThat(h.kernel.exitStatusOf(self[0])).isZero();
        assertThat(touchedLent).hasSize(20).containsOnly(true);
        // a write to a random address of the driver's domain reaches only a page lent at that moment
        assertThat(driverWrites).hasSize(20).allMatch(o -> o.equals("caught") || o.equals("own"));
        assertThat(h.counter("dma.wildWrites.landed.kernel") + h.counter("dma.wildWrites.landed.pageTable")
                + h.counter("dma.wildWrites.landed.otherProcess") + h.counter("dma.wildWrites.landed.free")).isZero();
    }

    @Test
    void shouldMakeTheLaterRequestsWaitForADescriptorWhenTheRingIsFull() {
        DmaDevice tiny = new DmaDevice(0, "tiny", 100_000, 1.0, 1, 1, 1);
        DmaMechanism dma = new DmaMechanism(DmaConfig.SHARED_POOL);
        Harness h = Harness.of(ModelName.CONVENTIONAL, 2, dma);
        for (int c = 0; c < 2; c++) {
            long buf = BUF + c * 0x100000L;
            Harness.Script s = new Harness.Script()
                    .op(Op.Mmap.anonymous(buf, 4096, Vma.READ | Vma.WRITE)).write(buf)
                    .op(new DmaOps.DmaMap(tiny, buf, 4096, true));
            s.then(b -> new DmaOps.DmaTransfer(tiny, s.lastReturn(), DmaOps.WILD_NONE, 0));
            h.kernel.spawn(h.image("c" + c), s);
        }
        h.run();
        // two clients, one descriptor: the second waits until the first completes
        assertThat(h.counter("dma.ringFullWaits")).isEqualTo(1);
        assertThat(h.counter("dma.requests")).isEqualTo(2);
        // each request: 4,096 bytes at 1 byte/cycle + 100,000 cycles; the second starts when the first's
        // transfer is done, so it completes no earlier than 2 x 4,096 + 100,000 cycles after the first began
        var lat = h.sim.stats().histogram("dma.request.latency").histogram();
        assertThat(lat.getMinValue()).isGreaterThanOrEqualTo(104_096 - 200);
    }

    @Test
    void shouldGiveTheSecondRequestOnlyItsOwnPagesFramesAndWildnessWhenItReusesTheFirstsObjects() {
        // the mechanism keeps the first request's mapping (3 frames) and device event for the second,
        // and the client keeps its transfer and unmap ops and sets them again, as driver-dma does
        DmaMechanism dma = new DmaMechanism(DmaConfig.IOMMU_STRICT);
        Harness h = Harness.of(ModelName.CONVENTIONAL, 1, dma);
        List<Integer> touched = new ArrayList<>();
        dma.onDriverTouch(touched::add);
        long buf2 = BUF + 0x100000L;
        DmaOps.DmaTransfer transfer = new DmaOps.DmaTransfer(NIC, 0, DmaOps.WILD_NONE, 0);
        DmaOps.DmaUnmap unmap = new DmaOps.DmaUnmap(NIC, 0, -1);
        Harness.Script s = new Harness.Script()
                .op(Op.Mmap.anonymous(BUF, 3 * 4096, Vma.READ | Vma.WRITE))
                .write(BUF, BUF + 4096, BUF + 2 * 4096)
                .op(Op.Mmap.anonymous(buf2, 4096, Vma.READ | Vma.WRITE))
                .write(buf2);
        long[] frames = new long[2]; // the buffers' first frames, read while the process lives
        Process[] self = new Process[1];
        s.check(() -> {
            frames[0] = h.frame(self[0], BUF);
            frames[1] = h.frame(self[0], buf2);
        }).op(new DmaOps.DmaMap(NIC, BUF, 3 * 4096, false));
        // the first: a random-address device write to IOVA (2^40 >>> 16) & ~4095 = 16 MiB, never mapped
        // (the allocator works down from 2^48): caught
        s.then(b -> transfer.set(s.lastReturn(), DmaOps.WILD_RANDOM_ADDRESS, 1L << 40))
                .then(b -> unmap.set(s.returns.get(s.returns.size() - 2), -1))
                .op(new DmaOps.DmaMap(NIC, buf2, 4096, true))
                .then(b -> transfer.set(s.lastReturn(), DmaOps.WILD_NONE, 0))
                .then(b -> unmap.set(s.returns.get(s.returns.size() - 2), -1));
        Process p = h.kernel.spawn(h.image("client"), s);
        self[0] = p;
        h.run();
        assertThat(h.kernel.exitStatusOf(p)).isZero();
        assertThat(h.counter("dma.requests")).isEqualTo(2);
        // 3 pages, then 1: 4 x 4,096 bytes, not 3 + 3
        assertThat(h.counter("dma.bytes")).isEqualTo(4 * 4096);
        // the first request's wild write only
        assertThat(h.counter("dma.wildWrites")).isEqualTo(1);
        assertThat(h.counter("dma.wildWrites.caught")).isEqualTo(1);
        // the driver's one touch per request: the first buffer's first frame, then the second buffer's
        assertThat(frames[1]).isNotEqualTo(frames[0]).isPositive();
        assertThat(touched).containsExactly((int) frames[0], (int) frames[1]);
        // one page-selective invalidation per unmap
        assertThat(h.counter("iommu.invalidations")).isEqualTo(2);
    }

    @Test
    void shouldKeepAMappingUnmappedDuringItsTransferFromTheNextMapUntilTheTransferCompletes() {
        // thread A starts a transfer on its buffer; thread B, on the other CPU, unmaps that buffer while
        // the device works (about 3,000 + 4,096 / 4 cycles) and maps another: the completion must still
        // see A's buffer (its frame in the driver's touch), not the one B mapped
        DmaMechanism dma = new DmaMechanism(DmaConfig.SHARED_POOL);
        Harness h = Harness.of(ModelName.CONVENTIONAL, 2, dma);
        long buf2 = BUF + 0x100000L;
        long[] frames = new long[2];
        long[] handle = new long[1];
        List<String> order = new ArrayList<>();
        dma.onDriverTouch(f -> order.add(f == frames[0] ? "touch first" : f == frames[1] ? "touch second" : "touch " + f));
        Harness.Script b = new Harness.Script();
        b.then(x -> new DmaOps.DmaUnmap(NIC, handle[0], -1))
                .op(new DmaOps.DmaMap(NIC, buf2, 4096, true))
                .then(x -> {
                    order.add("second mapped");
                    return new DmaOps.DmaUnmap(NIC, b.lastReturn(), -1);
                });
        Process[] self = new Process[1];
        Harness.Script a = new Harness.Script()
                .op(Op.Mmap.anonymous(BUF, 4096, Vma.READ | Vma.WRITE)).write(BUF)
                .op(Op.Mmap.anonymous(buf2, 4096, Vma.READ | Vma.WRITE)).write(buf2);
        a.check(() -> {
            frames[0] = h.frame(self[0], BUF);
            frames[1] = h.frame(self[0], buf2);
        }).op(new DmaOps.DmaMap(NIC, BUF, 4096, false));
        a.then(x -> {
            handle[0] = a.lastReturn();
            return new Op.Clone(b);
        }).then(x -> new DmaOps.DmaTransfer(NIC, handle[0], DmaOps.WILD_NONE, 0));
        self[0] = h.kernel.spawn(h.image("client"), a);
        h.run();
        assertThat(frames[1]).isNotEqualTo(frames[0]);
        assertThat(order).containsExactly("second mapped", "touch first");
    }
}
