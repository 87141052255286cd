package org.protsim.hw;

import org.junit.jupiter.api.Test;
import org.protsim.core.config.PlbConfig;

import static org.assertj.core.api.Assertions.assertThat;

class PlbTest {
    private final ProtectionTable table = (domain, va, out) -> {
        if (domain == 1 && va >= 0x1000 && va < 0x5000) {
            out.set(0x1000, 0x5000, ProtectionTable.READ | ProtectionTable.WRITE);
            return true;
        }
        if (domain == 2 && va >= 0x4000 && va < 0x8000) {
            out.set(0x4000, 0x8000, ProtectionTable.READ);
            return true;
        }
        return false;
    };

    @Test
    void shouldMissRefillAndThenHitWithinTheRegion() {
        Plb plb = new Plb(new PlbConfig(4, 0, 24));
        assertThat(plb.lookup(1, 0x2000)).isEqualTo(-1);
        assertThat(plb.refill(1, 0x2000, table)).isEqualTo(3);
        assertThat(plb.lookup(1, 0x4FFF)).isEqualTo(3);
        assertThat(plb.lookup(1, 0x5000)).isEqualTo(-1);
        assertThat(plb.hits()).isEqualTo(1);
        assertThat(plb.misses()).isEqualTo(2);
    }

    @Test
    void shouldKeepDomainsApartOverTheSameAddresses() {
        Plb plb = new Plb(new PlbConfig(4, 0, 24));
        plb.refill(1, 0x4000, table);
        assertThat(plb.lookup(2, 0x4000)).isEqualTo(-1);
        assertThat(plb.refill(2, 0x4000, table)).isEqualTo(ProtectionTable.READ);
        assertThat(plb.refill(3, 0x4000, table)).isEqualTo(-1);
        assertThat(plb.flushDomain(1)).isEqualTo(1);
        assertThat(plb.lookup(1, 0x4000)).isEqualTo(-1);
        assertThat(plb.lookup(2, 0x4000)).isEqualTo(ProtectionTable.READ);
        assertThat(plb.flushRange(0x7000, 0x9000)).isEqualTo(1);
        assertThat(plb.lookup(2, 0x4000)).isEqualTo(-1);
    }

    @Test
    void shouldReplaceTheLeastRecentlyUsedEntryWhenFull() {
        ProtectionTable pages = (domain, va, out) -> {
            long base = va & ~0xFFFL;
            out.set(base, base + 0x1000, ProtectionTable.READ);
            return true;
        };
        Plb plb = new Plb(new PlbConfig(2, 0, 24));
        plb.refill(1, 0x1000, pages);
        plb.refill(1, 0x2000, pages);
        plb.lookup(1, 0x1000);          // 0x1000 most recent
        plb.refill(1, 0x3000, pages);   // evicts 0x2000
        assertThat(plb.lookup(1, 0x2000)).isEqualTo(-1);
        assertThat(plb.lookup(1, 0x1000)).isNotNegative();
        assertThat(plb.lookup(1, 0x3000)).isNotNegative();
    }
}
