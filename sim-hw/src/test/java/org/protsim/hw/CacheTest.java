package org.protsim.hw;

import org.junit.jupiter.api.Test;
import org.protsim.core.config.CacheConfig;
import org.protsim.core.config.CachesConfig;
import org.protsim.core.config.Indexing;

import static org.assertj.core.api.Assertions.assertThat;

class CacheTest {
    /** 1 KiB, 2-way, 64-byte lines: 8 sets, so lines 0, 8 and 16 share set 0. */
    private static Cache small() {
        return new Cache("c", new CacheConfig(1, 2, 64, 4, Indexing.PIPT));
    }

    private static boolean access(Cache c, long line, boolean write) {
        return c.access(line, line, line, write);
    }

    @Test
    void shouldEvictTheLeastRecentlyUsedLineOfATwoWaySetStepByStep() {
        Cache c = small();
        assertThat(access(c, 0, false)).isFalse();
        assertThat(access(c, 8, false)).isFalse();
        assertThat(access(c, 0, false)).isTrue();   // 0 most recent
        assertThat(access(c, 16, false)).isFalse(); // evicts 8
        assertThat(access(c, 0, false)).isTrue();
        assertThat(access(c, 8, false)).isFalse();  // evicts 16
        assertThat(access(c, 1, false)).isFalse();  // set 1, no effect on set 0
        assertThat(access(c, 0, false)).isTrue();
        assertThat(c.hits()).isEqualTo(3);
        assertThat(c.misses()).isEqualTo(5);
    }

    @Test
    void shouldWriteBackOnlyDirtyVictimsIntoTheNextLevel() {
        Cache c = small();
        Cache next = new Cache("n", new CacheConfig(4, 4, 64, 12, Indexing.PIPT));
        c.setNext(next);
        access(c, 0, true);   // dirty
        access(c, 8, false);
        access(c, 16, false); // evicts 0 (dirty): one writeback, absorbed by next without counting a lookup
        access(c, 24, false); // evicts 8 (clean)
        assertThat(c.writebacks()).isEqualTo(1);
        assertThat(next.hits() + next.misses()).isZero();
        assertThat(access(next, 0, false)).isTrue();
        assertThat(access(next, 8, false)).isFalse();
    }

    @Test
    void shouldFlushEverythingWritingBackDirtyLines() {
        Cache c = small();
        access(c, 0, true);
        access(c, 1, false);
        assertThat(c.flushAll()).isEqualTo(2);
        assertThat(c.writebacks()).isEqualTo(1);
        assertThat(c.validLines()).isZero();
        assertThat(access(c, 1, false)).isFalse();
        assertThat(c.flushLine(1, 1)).isEqualTo(1);
        assertThat(c.flushLine(1, 1)).isZero();
    }

    @Test
    void shouldIndexAVirtuallyIndexedCacheByTheVirtualLine() {
        CacheHierarchy h = new CacheHierarchy(
                new Cache("l1d", new CacheConfig(32, 2, 64, 4, Indexing.VIVT)), // 256 sets: index bits above the page
                new Cache("l1i", CachesConfig.DEFAULT.l1i()), new Cache("l2", CachesConfig.DEFAULT.l2()),
                new Cache("llc", CachesConfig.DEFAULT.llc()), 64, 195);
        // two processes' homonyms: the same virtual address, different frames. A VIVT cache without
        // a flush on switch would hit the other process's line: that is why models must scrub it.
        assertThat(h.access(0x1000, 0x7_0000, false, false, Pte.WRITE_BACK)).isEqualTo(195);
        assertThat(h.access(0x1000, 0x9_0000, false, false, Pte.WRITE_BACK)).isEqualTo(4);
    }

    @Test
    void shouldChargeTheLatencyOfTheFirstLevelThatHits() {
        CachesConfig d = CachesConfig.DEFAULT;
        CacheHierarchy h = new CacheHierarchy(new Cache("l1d", d.l1d()), new Cache("l1i", d.l1i()),
                new Cache("l2", d.l2()), new Cache("llc", d.llc()), 64, 195);
        assertThat(h.access(0x1000, 0x1000, false, false, Pte.WRITE_BACK)).isEqualTo(195);
        assertThat(h.access(0x1000, 0x1000, false, false, Pte.WRITE_BACK)).isEqualTo(4);
        // L1d: 32 KiB / 64 B / 8 ways = 64 sets, so lines 4 KiB apart share a set; 8 more evict the first
        for (int i = 1; i <= 8; i++) {
            h.access(0x1000 + i * 0x1000L, 0x1000 + i * 0x1000L, false, false, Pte.WRITE_BACK);
        }
        assertThat(h.access(0x1000, 0x1000, false, false, Pte.WRITE_BACK)).isEqualTo(12); // from L2
        assertThat(h.memoryAccesses()).isEqualTo(9);
        // instruction fetches use the L1i: the data line is not there, but L2 has it
        assertThat(h.access(0x1000, 0x1000, true, false, Pte.WRITE_BACK)).isEqualTo(12);
    }

    @Test
    void shouldBypassCachesForUncachedFramesAndPostWriteCombiningWrites() {
        CachesConfig d = CachesConfig.DEFAULT;
        CacheHierarchy h = new CacheHierarchy(new Cache("l1d", d.l1d()), new Cache("l1i", d.l1i()),
                new Cache("l2", d.l2()), new Cache("llc", d.llc()), 64, 195);
        assertThat(h.access(0x2000, 0x2000, false, false, Pte.UNCACHED)).isEqualTo(195);
        assertThat(h.access(0x2000, 0x2000, false, false, Pte.UNCACHED)).isEqualTo(195);
        assertThat(h.access(0x2000, 0x2000, false, true, Pte.WRITE_COMBINING)).isEqualTo(4);
        assertThat(h.access(0x2000, 0x2000, false, false, Pte.WRITE_COMBINING)).isEqualTo(195);
        assertThat(h.l1d().hits() + h.l1d().misses()).isZero();
        assertThat(h.uncachedAccesses()).isEqualTo(4);
    }

    @Test
    void shouldFillTheLinesAheadOfAnAscendingStreamIntoL2WithinItsPage() {
        CachesConfig d = CachesConfig.DEFAULT;
        CacheHierarchy h = new CacheHierarchy(new Cache("l1d", d.l1d()), new Cache("l1i", d.l1i()),
                new Cache("l2", d.l2()), new Cache("llc", d.llc()), 64, 195, 4);
        // lines 0 and 1 of the page at 0x10000 miss to memory; the second is one above the first, so
        // lines 2..5 (4 ahead) are filled: they cost an L2 hit (12), not memory (195)
        assertThat(h.access(0x10000, 0x10000, false, false, Pte.WRITE_BACK)).isEqualTo(195);
        assertThat(h.access(0x10040, 0x10040, false, false, Pte.WRITE_BACK)).isEqualTo(195);
        assertThat(h.prefetches()).isEqualTo(4);
        for (long line = 2; line <= 5; line++) {
            // each lookup is the next line again: the stream runs on, 4 ahead of it (to line 9)
            assertThat(h.access(0x10000 + 64 * line, 0x10000 + 64 * line, false, false, Pte.WRITE_BACK)).isEqualTo(12);
        }
        assertThat(h.prefetches()).isEqualTo(8); // lines 2..9
        assertThat(h.memoryAccesses()).isEqualTo(2);
        // the prefetcher stops at the page: a stream at lines 62 and 63 of page 0x20000 fills nothing past it
        h.access(0x20000 + 64 * 62, 0x20000 + 64 * 62, false, false, Pte.WRITE_BACK);
        h.access(0x20000 + 64 * 63, 0x20000 + 64 * 63, false, false, Pte.WRITE_BACK);
        assertThat(h.prefetches()).isEqualTo(8);
        assertThat(h.access(0x21000, 0x21000, false, false, Pte.WRITE_BACK)).isEqualTo(195);
    }

    @Test
    void shouldPrefetchNothingWithoutTheStreamerAsProtsimAlwaysHad() {
        CachesConfig d = CachesConfig.DEFAULT;
        assertThat(d.streamPrefetchLines()).isZero();
        CacheHierarchy h = new CacheHierarchy(new Cache("l1d", d.l1d()), new Cache("l1i", d.l1i()),
                new Cache("l2", d.l2()), new Cache("llc", d.llc()), 64, 195, d.streamPrefetchLines());
        h.access(0x10000, 0x10000, false, false, Pte.WRITE_BACK);
        h.access(0x10040, 0x10040, false, false, Pte.WRITE_BACK);
        assertThat(h.access(0x10080, 0x10080, false, false, Pte.WRITE_BACK)).isEqualTo(195);
        assertThat(h.prefetches()).isZero();
    }
}
