package org.protsim.validate;

import org.junit.jupiter.api.Test;
import org.protsim.core.config.CoreConfig;

import static org.assertj.core.api.Assertions.assertThat;

/** Experiments whose prediction can be derived by hand from the machine's constants. */
class ExperimentsTest {
    @Test
    void shouldPredictAStrictUnmapFromTheIommuConstantsWhenTheRingsBuffersStayMapped() {
        double cycles = new StrictIommuUnmap().predict(CoreConfig.SERIAL, true);
        // IommuConfig defaults: PTE clear 100; the page invalidation submitted at 100 (200; the unit is done at
        // 300 + 400 = 700); the wait submitted at 300 reaches the unit at 500, its status is written at
        // max(500, 700) + 195 and polled + 195 = 1,090, so 790; freeing one IOVA in a tree of 513 ranges
        // (the ring's 512 and this one) on the global allocator: lock 60 + (find + erase) 2 * 10 steps * 42
        // (a red-black tree of 513 nodes is 10 deep) = 900. 100 + 200 + 790 + 900 = 1,990
        assertThat(cycles).isEqualTo(1990.0);
    }

    @Test
    void shouldChargeTheSameStrictUnmapUnderBothCoresBecauseItIsNoMissOfTheCore() {
        // the unmap's cycles are the kernel's and the IOMMU's, charged whole: no window hides them
        assertThat(new StrictIommuUnmap().predict(CoreConfig.INTERVAL, true)).isEqualTo(1990.0);
    }

    @Test
    void shouldCountTwoSystemCallsPerIoForLibaioAndNoneForIoUringWithPolling() {
        // one I/O in flight: io_submit and a blocking io_getevents per I/O, 2 (Axboe); io_uring with SQPOLL
        // and a polled completion ring: 0, so it saves 2 - 0 = 2
        assertThat(new SyscallsPerIo(SyscallsPerIo.Interface.LIBAIO).predict(CoreConfig.SERIAL, true)).isEqualTo(2.0);
        assertThat(new SyscallsPerIo(SyscallsPerIo.Interface.SAVED_BY_IO_URING).predict(CoreConfig.INTERVAL, true))
                .isEqualTo(2.0);
    }
}
