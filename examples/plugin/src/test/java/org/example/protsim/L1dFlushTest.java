package org.example.protsim;

import org.junit.jupiter.api.Test;
import org.protsim.core.config.CacheConfig;
import org.protsim.core.config.Indexing;
import org.protsim.hw.Cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

class L1dFlushTest {
    /** Skylake's L1D: 32 KiB, 8-way, 64-byte lines, so 64 sets of 512 lines. */
    private static Cache l1d() {
        return new Cache("l1d", new CacheConfig(32, 8, 64, 4, Indexing.PIPT));
    }

    /**
     * Ten lines written and five others only read (all in distinct sets, nothing evicted): the flush
     * invalidates 15 lines and writes back the 10 dirty ones, 100 + 10 x 1 = 110 cycles at the
     * defaults; a second flush finds the cache empty and costs the fixed 100 alone.
     */
    @Test
    void shouldChargeTheFixedCostPlusOneWriteBackPerDirtyLine() {
        Cache c = l1d();
        for (long line = 0; line < 10; line++) {
            c.access(line, line, line, true);
        }
        for (long line = 10; line < 15; line++) {
            c.access(line, line, line, false);
        }
        L1dFlush f = new L1dFlush(L1dFlushConfig.DEFAULT);
        assertEquals(110, f.flush(c));
        assertEquals(15, f.lastLines());
        assertEquals(10, f.lastDirty());
        assertEquals(0, c.validLines());
        assertEquals(100, f.flush(c));
        assertEquals(0, f.lastLines());
    }

    /** A line written twice is one dirty line: 3 cycles per line gives 100 + 1 x 3 = 103. */
    @Test
    void shouldCountALineWrittenTwiceOnce() {
        Cache c = l1d();
        c.access(7, 7, 7, true);
        c.access(7, 7, 7, true);
        assertEquals(103, new L1dFlush(new L1dFlushConfig("msr", 100, 3)).flush(c));
    }
}
