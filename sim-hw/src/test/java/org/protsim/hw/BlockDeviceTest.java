package org.protsim.hw;

import org.junit.jupiter.api.Test;
import org.protsim.core.Event;
import org.protsim.core.Priority;
import org.protsim.core.Simulation;
import org.protsim.core.config.DiskConfig;
import org.protsim.core.config.DiskLatencyConfig;
import org.protsim.core.config.Distribution;
import org.protsim.core.config.IrqRouting;
import org.protsim.core.config.MachineConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BlockDeviceTest {
    private record Done(int cpu, long tag, long submittedAt, long completedAt, long cpuClock) {
    }

    private static Machine machine(Simulation sim, DiskConfig disk) {
        MachineConfig d = HwFixture.config(2);
        return new Machine(new MachineConfig(2, d.cyclesPerNs(), d.cyclesPerReference(), d.tlb(), d.walker(),
                d.caches(), d.memory(), d.plb(), d.costs(), d.coherence(), disk, d.iommu(), d.core()), sim);
    }

    private static DiskConfig fixed(long cycles, int parallel, IrqRouting irq, int irqCpu) {
        return new DiskConfig(new DiskLatencyConfig(Distribution.FIXED, cycles, 0), parallel, irq, irqCpu, 500);
    }

    @Test
    void shouldServeParallelRequestsAtOnceAndQueueTheRest() {
        Simulation sim = new Simulation(1);
        Machine m = machine(sim, fixed(1000, 2, IrqRouting.SUBMITTER, 0));
        List<Done> done = new ArrayList<>();
        m.disk().setHandler((cpu, tag, s, c) -> done.add(new Done(cpu.id(), tag, s, c, cpu.clock())));
        m.disk().submit(0, 10, 0);
        m.disk().submit(1, 11, 0);
        m.disk().submit(0, 12, 0);
        assertThat(m.disk().outstanding()).isEqualTo(3);
        sim.run(Long.MAX_VALUE);
        // two slots: 10 and 11 finish at 1,000; 12 waits for a slot and finishes at 2,000
        assertThat(done).containsExactly(
                new Done(0, 10, 0, 1000, 1500), new Done(1, 11, 0, 1000, 1500), new Done(0, 12, 0, 2000, 2500));
        assertThat(sim.stats().value("disk.queued")).isEqualTo(1);
        assertThat(sim.stats().value("disk.requests")).isEqualTo(3);
        assertThat(sim.stats().value("disk.completions")).isEqualTo(3);
        assertThat(sim.stats().histogram("disk.latency").histogram().getMaxValue()).isEqualTo(2000);
        // each interrupt's entry (500 cycles) is charged to the CPU that took it
        assertThat(m.cpu(0).cycles(CycleCategory.INTERRUPT)).isEqualTo(1000);
        assertThat(m.cpu(1).cycles(CycleCategory.INTERRUPT)).isEqualTo(500);
        assertThat(m.disk().outstanding()).isZero();
    }

    @Test
    void shouldDeliverEveryInterruptToTheFixedIrqCpu() {
        Simulation sim = new Simulation(1);
        Machine m = machine(sim, fixed(300, 4, IrqRouting.FIXED, 1));
        List<Integer> cpus = new ArrayList<>();
        m.disk().setHandler((cpu, tag, s, c) -> cpus.add(cpu.id()));
        for (int i = 0; i < 5; i++) {
            m.disk().submit(0, i, 0);
        }
        sim.run(Long.MAX_VALUE);
        assertThat(cpus).containsExactly(1, 1, 1, 1, 1);
        assertThat(m.cpu(1).cycles(CycleCategory.INTERRUPT)).isEqualTo(5 * 500);
        assertThat(m.cpu(0).cycles(CycleCategory.INTERRUPT)).isZero();
    }

    @Test
    void shouldServeAtTheSubmittersClockWhenItRunsAhead() {
        Simulation sim = new Simulation(1);
        Machine m = machine(sim, fixed(1000, 1, IrqRouting.SUBMITTER, 0));
        List<Long> at = new ArrayList<>();
        m.disk().setHandler((cpu, tag, s, c) -> at.add(c));
        m.cpu(0).advanceTo(700); // CPU0 has run ahead of the global clock (still 0)
        m.disk().submit(m.cpu(0), 1);
        sim.run(Long.MAX_VALUE);
        assertThat(at).containsExactly(1700L);
    }

    /**
     * A closed loop that keeps 8 requests outstanding (each completion submits the next) on a
     * device serving 5 at a time for a fixed 1,000 cycles: it saturates at 5 per 1,000 cycles, and
     * by Little's law each request spends 8 / (5 / 1,000) = 1,600 cycles in the device.
     */
    @Test
    void shouldSaturateAtParallelRequestsPerServiceTimeUnderAClosedLoop() {
        Simulation sim = new Simulation(1);
        Machine m = machine(sim, fixed(1000, 5, IrqRouting.SUBMITTER, 0));
        long[] completed = {0};
        BlockDevice disk = m.disk();
        disk.setHandler((cpu, tag, s, c) -> {
            completed[0]++;
            if (c < 1_000_000) {
                disk.submit(cpu.id(), tag, c);
            }
        });
        for (int i = 0; i < 8; i++) {
            disk.submit(0, i, 0);
        }
        sim.run(Long.MAX_VALUE);
        // 1,000 cycles a round, 5 completions per round; the last submissions happen just before 1,000,000
        double throughput = completed[0] / (double) sim.now();
        assertThat(throughput).isCloseTo(5 / 1000.0, within(0.0001));
        assertThat(sim.stats().histogram("disk.latency").histogram().getMean()).isCloseTo(1600, within(16.0));
    }

    /**
     * Poisson arrivals at rate 1/mean on 2 exponential servers of mean service time {@code mean}
     * (M/M/2, offered load a = 1, utilisation 0.5): Erlang's C formula gives the probability of
     * waiting C = (a^2/2! * 2/(2-a)) / (1 + a + a^2/2! * 2/(2-a)) = 1 / 3, and the mean time in the
     * system W = mean + C / (2/mean - 1/mean) = 4/3 mean.
     */
    @Test
    void shouldMatchErlangCForPoissonArrivalsOnTwoExponentialServers() {
        Simulation sim = new Simulation(7);
        long median = 10_000;
        Machine m = machine(sim, new DiskConfig(new DiskLatencyConfig(Distribution.EXPONENTIAL, median, 0), 2,
                IrqRouting.SUBMITTER, 0, 0));
        double mean = median / Math.log(2);
        SplittableRandom arrivals = new SplittableRandom(3);
        int n = 200_000;
        Event arrival = new Event(Priority.TIMER, "arrival") {
            int sent;

            @Override
            public void fire() {
                m.disk().submit(0, sent, sim.now());
                if (++sent < n) {
                    sim.schedule(this, Math.round(-mean * Math.log(1 - arrivals.nextDouble())));
                }
            }
        };
        sim.scheduleAt(arrival, 0);
        sim.run(Long.MAX_VALUE);
        double w = sim.stats().histogram("disk.latency").histogram().getMean();
        assertThat(w / mean).isCloseTo(4.0 / 3, within(0.02));
        assertThat(sim.stats().value("disk.completions")).isEqualTo(n);
    }

    /** ln of a log-normal time is normal: its median is e^mu and its 99th percentile e^(mu + 2.326 sigma). */
    @Test
    void shouldDrawLogNormalServiceTimesAroundTheMedianFromItsOwnStream() {
        long[] first = serviceTimes(42);
        long[] sorted = first.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        double p99 = sorted[(int) (sorted.length * 0.99)];
        assertThat(median).isCloseTo(30_000, within(300.0));
        assertThat(p99 / median).isCloseTo(Math.exp(2.326 * 0.25), within(0.03));
        assertThat(serviceTimes(42)).isEqualTo(first); // the same seed gives the same times
        assertThat(serviceTimes(43)).isNotEqualTo(first);
    }

    /** 20,000 requests one at a time (so no queueing) under seed {@code seed}: each one's latency. */
    private static long[] serviceTimes(long seed) {
        Simulation sim = new Simulation(seed);
        Machine m = machine(sim, new DiskConfig(new DiskLatencyConfig(Distribution.LOGNORMAL, 30_000, 0.25), 1,
                IrqRouting.SUBMITTER, 0, 0));
        long[] times = new long[20_000];
        BlockDevice disk = m.disk();
        disk.setHandler((cpu, tag, s, c) -> {
            times[(int) tag] = c - s;
            if (tag + 1 < times.length) {
                disk.submit(0, tag + 1, c);
            }
        });
        disk.submit(0, 0, 0);
        sim.run(Long.MAX_VALUE);
        return times;
    }
}
