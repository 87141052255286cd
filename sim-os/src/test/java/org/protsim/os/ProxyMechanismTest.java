package org.protsim.os;

import org.junit.jupiter.api.Test;
import org.protsim.core.config.ModelName;
import org.protsim.core.config.ProxyConfig;
import org.protsim.core.stats.Summary;
import org.protsim.os.mechanism.proxy.ProxyMechanism;
import org.protsim.os.mechanism.proxy.ProxyOps;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proxy mechanism's modes (docs/sources.md [002]) on scripted clients of a 16-page object,
 * each expectation derived by hand from the defaults: forwardCycles 1,868 (2 x 934), shareCycles
 * 390 (2 x 195), pageZeroCycles 600 (a page read in), pageCopyCycles 1,200.
 */
class ProxyMechanismTest {
    private static final ProxyConfig MAP_TIME = ProxyConfig.DEFAULT.withMode(ProxyConfig.MAP_TIME);
    private static final ProxyConfig PAGER = ProxyConfig.DEFAULT.withMode(ProxyConfig.PAGER);
    private static final ProxyConfig PAGER_SHARED = new ProxyConfig(ProxyConfig.PAGER, true, 1868, 390);
    private static final long PAGE = 4096;

    private static final class Client {
        final Harness h;
        final MemObject object;
        final Harness.Script script = new Harness.Script();
        long base;

        Client(Harness h) {
            this.h = h;
            this.object = h.kernel.newObject("data", 16, false);
        }
    }

    /** A client given a read-only proxy of pages [4, 12), mapping pages [4, 8) of it. */
    private static Client readOnlyClient(ModelName model, ProxyConfig proxy) {
        Harness h = Harness.of(model, 1, new ProxyMechanism(proxy));
        Client c = new Client(h);
        c.script.op(new ProxyOps.CreateProxy(c.object, Vma.READ, 4 * PAGE, 12 * PAGE))
                .op(new ProxyOps.MapProxy(1, 4 * PAGE, 4 * PAGE, Vma.READ))
                .check(() -> c.base = c.script.lastReturn());
        return c;
    }

    @Test
    void shouldRefuseMapsOutsideTheRangeOrAboveTheCap() {
        Client c = readOnlyClient(ModelName.CONVENTIONAL, MAP_TIME);
        c.script.op(new ProxyOps.MapProxy(1, 4 * PAGE, PAGE, Vma.READ | Vma.WRITE)) // above the cap
                .op(new ProxyOps.MapProxy(1, 2 * PAGE, PAGE, Vma.READ))                 // below the range
                .op(new ProxyOps.MapProxy(1, 11 * PAGE, 2 * PAGE, Vma.READ))            // runs past its end
                .op(new ProxyOps.MapProxy(2, 4 * PAGE, PAGE, Vma.READ));                // no such proxy
        c.h.kernel.spawn(c.h.image("client"), c.script);
        c.h.run();
        // returns (a yield returns nothing): create 1, the map's address, then the four refusals
        assertThat(c.script.returns.get(0)).isEqualTo(1);
        assertThat(c.script.returns.subList(2, 6)).containsExactly(ProxyOps.DENIED, ProxyOps.INVALID,
                ProxyOps.INVALID, ProxyOps.INVALID);
        assertThat(c.h.counter("proxy.created")).isEqualTo(1);
        assertThat(c.h.counter("proxy.maps")).isEqualTo(1);
        assertThat(c.h.counter("proxy.mapsRefused")).isEqualTo(4);
    }

    @Test
    void shouldRefuseRaisingRightsAboveTheCapWithMprotectButAllowLowering() {
        for (ProxyConfig mode : new ProxyConfig[] {MAP_TIME, PAGER}) {
            Client c = readOnlyClient(ModelName.CONVENTIONAL, mode);
            c.script.then(b -> new Op.Mprotect(c.base, PAGE, Vma.READ | Vma.WRITE))
                    .then(b -> new Op.Mprotect(c.base, PAGE, 0));
            c.h.kernel.spawn(c.h.image("client"), c.script);
            c.h.run();
            assertThat(c.script.returns.subList(2, 4)).as(mode.mode()).containsExactly(-13L, 0L);
        }
    }

    @Test
    void shouldKillAWriterThroughAReadOnlyProxyUnderEveryModelAndMode() {
        for (ModelName model : ModelName.values()) {
            for (ProxyConfig mode : new ProxyConfig[] {MAP_TIME, PAGER}) {
                Client c = readOnlyClient(model, mode);
                c.script.then(b -> {
                    b.add(c.base, 8, org.protsim.hw.Cpu.READ);
                    b.add(c.base + PAGE, 8, org.protsim.hw.Cpu.WRITE);
                    return Op.REFS;
                });
                Process p = c.h.kernel.spawn(c.h.image("client"), c.script);
                c.h.run();
                assertThat(c.h.counter("faults.segv")).as(model + " " + mode.mode()).isEqualTo(1);
                assertThat(c.h.kernel.exitStatusOf(p)).as(model + " " + mode.mode()).isEqualTo(128 + 11);
            }
        }
    }

    /** Reads pages 0..2 of the mapping twice each, then exits. */
    private static void readThreePagesTwice(Client c) {
        c.script.then(b -> {
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < 3; i++) {
                    b.add(c.base + i * PAGE, 8, org.protsim.hw.Cpu.READ);
                }
            }
            return Op.REFS;
        });
    }

    @Test
    void shouldForwardOneRequestPerFirstTouchAndHoldOneExtraFrameEachWithoutSharing() {
        Client c = readOnlyClient(ModelName.CONVENTIONAL, PAGER);
        readThreePagesTwice(c);
        Process p = c.h.kernel.spawn(c.h.image("client"), c.script);
        long[] frames = new long[2];
        c.script.check(() -> {
            frames[0] = c.h.frame(p, c.base);
            frames[1] = c.object.frame(4); // the real object's page behind the mapping's first
        });
        c.h.run();
        // 3 pages touched for the first time: 3 requests, 3 copies held beside the real object's 3
        assertThat(c.h.counter("proxy.forwardedRequests")).isEqualTo(3);
        assertThat(c.h.counter("proxy.framesHeldTwice")).isEqualTo(3);
        assertThat(c.h.counter("proxy.pageIns")).isEqualTo(3 + 3); // read into the real object, then the proxy
        assertThat(frames[0]).isNotZero().isNotEqualTo(frames[1]);
        // each: the round trip 1,868 + reading the real page in 600 + copying it 1,200 = 3,668
        assertLatencies(c.h, 3, 3668);
    }

    @Test
    void shouldServeBothObjectsFromOneFrameWhenSharing() {
        Client c = readOnlyClient(ModelName.CONVENTIONAL, PAGER_SHARED);
        readThreePagesTwice(c);
        Process p = c.h.kernel.spawn(c.h.image("client"), c.script);
        long[] frames = new long[2];
        c.script.check(() -> {
            frames[0] = c.h.frame(p, c.base);
            frames[1] = c.object.frame(4);
        });
        c.h.run();
        assertThat(c.h.counter("proxy.forwardedRequests")).isEqualTo(3);
        assertThat(c.h.counter("proxy.framesHeldTwice")).isZero();
        assertThat(c.h.counter("proxy.pageIns")).isEqualTo(3);
        assertThat(frames[0]).isNotZero().isEqualTo(frames[1]);
        // each: 1,868 + 600 read in + 390 attaching the page to the proxy too = 2,858
        assertLatencies(c.h, 3, 2858);
    }

    /** {@code count} fault latencies, every one {@code cycles} (to the histogram's resolution). */
    private static void assertLatencies(Harness h, long count, long cycles) {
        org.HdrHistogram.Histogram l = h.sim.stats().histogram("proxy.faultLatency").histogram();
        assertThat(l.getTotalCount()).isEqualTo(count);
        assertThat(l.getMinValue()).isEqualTo(l.lowestEquivalentValue(cycles));
        assertThat(l.lowestEquivalentValue(l.getMaxValue())).isEqualTo(l.lowestEquivalentValue(cycles));
    }

    @Test
    void shouldCostMapTimeExactlyWhatADirectMappingCosts() {
        // none: the client maps the real object itself (a yield standing in for the create call, so
        // both make the same number of system calls); map-time: it maps a proxy of the same pages
        Harness direct = Harness.of(ModelName.CONVENTIONAL, 1);
        MemObject o1 = direct.kernel.newObject("data", 16, false);
        Harness.Script s1 = new Harness.Script().op(new Op.Yield())
                .op(new Op.Mmap(0, 4 * PAGE, Vma.READ, Vma.SHARED, o1, 4));
        long[] base1 = new long[1];
        s1.check(() -> base1[0] = s1.returns.get(0));
        Client c = readOnlyClient(ModelName.CONVENTIONAL, MAP_TIME);
        for (Harness.Script s : new Harness.Script[] {s1, c.script}) {
            long[] base = s == s1 ? base1 : null;
            s.then(b -> {
                long at = base != null ? base[0] : c.base;
                for (int i = 0; i < 64; i++) {
                    b.add(at + (i % 4) * PAGE + (i / 4) * 64L, 8, org.protsim.hw.Cpu.READ);
                }
                return Op.REFS;
            });
        }
        direct.kernel.spawn(direct.image("client"), s1);
        c.h.kernel.spawn(c.h.image("client"), c.script);
        direct.run();
        c.h.run();
        assertThat(base1[0]).isEqualTo(c.base);
        Summary a = direct.summary();
        Summary b = c.h.summary();
        assertThat(b.cycles()).isEqualTo(a.cycles());
        assertThat(b.counter("faults.demand")).isEqualTo(a.counter("faults.demand")).isEqualTo(4);
        assertThat(b.counter("tlb.l1d.misses")).isEqualTo(a.counter("tlb.l1d.misses"));
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> modelsAndModes() {
        java.util.List<org.junit.jupiter.params.provider.Arguments> out = new java.util.ArrayList<>();
        for (ModelName m : ModelName.values()) {
            for (ProxyConfig p : new ProxyConfig[] {MAP_TIME, PAGER, PAGER_SHARED}) {
                out.add(org.junit.jupiter.params.provider.Arguments.of(m, p));
            }
        }
        return out.stream();
    }

    /**
     * The model x mechanism contract for proxies, audit on: two clients on two CPUs share one
     * object through a read-only and a read-write proxy, read and write it, narrow their rights,
     * unmap and exit; the audit checks after every operation that no translation outlives its rights.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0} with proxy {1}")
    @org.junit.jupiter.params.provider.MethodSource("modelsAndModes")
    void shouldKeepTheAuditUnderEveryModelAndProxyMode(ModelName model, ProxyConfig mode) {
        Harness h = Harness.of(model, 2, new ProxyMechanism(mode));
        MemObject o = h.kernel.newObject("data", 16, false);
        Harness.Script reader = new Harness.Script();
        Harness.Script writer = new Harness.Script();
        long[] at = new long[2];
        // each client creates its own proxy and maps it by the id it got back
        writer.op(new ProxyOps.CreateProxy(o, Vma.READ | Vma.WRITE, 4 * PAGE, 16 * PAGE))
                .then(b -> new ProxyOps.MapProxy((int) writer.lastReturn(), 4 * PAGE, 8 * PAGE, Vma.READ | Vma.WRITE))
                .check(() -> at[1] = writer.lastReturn())
                .then(b -> {
                    for (int i = 0; i < 8; i++) {
                        b.add(at[1] + i * PAGE, 8, i % 2 == 0 ? org.protsim.hw.Cpu.WRITE : org.protsim.hw.Cpu.READ);
                    }
                    return Op.REFS;
                })
                .then(b -> new Op.Mprotect(at[1], 8 * PAGE, Vma.READ))
                .then(b -> {
                    b.add(at[1], 8, org.protsim.hw.Cpu.READ);
                    return Op.REFS;
                });
        reader.op(new ProxyOps.CreateProxy(o, Vma.READ, 0, 8 * PAGE))
                .then(b -> new ProxyOps.MapProxy((int) reader.lastReturn(), 0, 8 * PAGE, Vma.READ))
                .check(() -> at[0] = reader.lastReturn())
                .then(b -> {
                    for (int i = 0; i < 8; i++) {
                        b.add(at[0] + i * PAGE, 8, org.protsim.hw.Cpu.READ);
                    }
                    return Op.REFS;
                })
                .then(b -> new Op.Mprotect(at[0], 2 * PAGE, 0))
                .then(b -> new Op.Munmap(at[0], 4 * PAGE));
        Process r = h.kernel.spawn(h.image("reader"), reader);
        Process w = h.kernel.spawn(h.image("writer"), writer);
        h.run();
        assertThat(h.kernel.exitStatusOf(r)).as(reader.returns.toString()).isZero();
        assertThat(h.kernel.exitStatusOf(w)).isZero();
        assertThat(h.counter("faults.segv")).isZero();
        assertThat(h.counter("proxy.maps")).isEqualTo(2);
        // pager: 8 pages first touched through each proxy, 16 requests; map-time forwards none
        assertThat(h.counter("proxy.forwardedRequests")).isEqualTo(ProxyConfig.PAGER.equals(mode.mode()) ? 16 : 0);
    }
}
