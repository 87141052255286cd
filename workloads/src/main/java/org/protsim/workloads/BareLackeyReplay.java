package org.protsim.workloads;

import org.protsim.os.RefBuffer;

import org.protsim.core.Event;
import org.protsim.core.InputError;
import org.protsim.core.Priority;
import org.protsim.core.Simulation;
import org.protsim.hw.Cpu;
import org.protsim.hw.DemandMapper;
import org.protsim.hw.Machine;
import org.protsim.workloads.trace.ReadAhead;


/**
 * A lackey trace replayed on the hardware alone: CPU 0 runs one address space (ASID 0)
 * whose pages a {@link DemandMapper} maps on first touch, from inside the walk: there is no
 * OS to fault into, so a first touch costs one miss per TLB level and one walk, as in
 * ChampSim or any plain LRU TLB model. The CPU runs references in a tight loop for one
 * lookahead window at a time, then yields to the event queue.
 */
final class BareLackeyReplay implements Workload {
    private final LackeyConfig config;

    BareLackeyReplay(LackeyConfig config) {
        this.config = config;
    }

    @Override
    public void start(RunContext run) {
        Machine machine = run.machine();
        Simulation sim = run.simulation();
        ReadAhead reader;
        try {
            reader = ReadAhead.open(config.path());
        } catch (InputError e) {
            throw new InputError("workload.path: " + e.getMessage());
        }
        DemandMapper mapper = new DemandMapper(machine.memory(), machine.pageTable());
        Cpu cpu = machine.cpu(0);
        cpu.context().set(mapper.root(), 0, 0, 0, 0, false);
        cpu.walker().mapOnFirstTouch(mapper);
        sim.stats().counter("faults.demand", "faults", "pages mapped on first touch", mapper::pagesMapped);
        sim.stats().counter("trace.lines", "lines", "trace lines read", reader::line);
        sim.stats().counter("trace.ignoredLines", "lines", "trace lines safely ignored (valgrind messages, blank)",
                reader::ignoredLines);
        sim.schedule(new Slice(sim, cpu, reader, run.config().kernel().lookaheadCycles()), 0);
    }

    private static final class Slice extends Event {
        private final Simulation sim;
        private final Cpu cpu;
        private final ReadAhead reader;
        private final long window;
        private final RefBuffer refs = new RefBuffer(4096);

        Slice(Simulation sim, Cpu cpu, ReadAhead reader, long window) {
            super(Priority.CPU, "cpu0.replay");
            this.sim = sim;
            this.cpu = cpu;
            this.reader = reader;
            this.window = window;
        }

        @Override
        public void fire() {
            cpu.advanceTo(sim.now());
            long horizon = sim.now() + window;
            RefBuffer b = refs;
            while (cpu.clock() < horizon) {
                if (b.position >= b.count && !reader.fill(b)) {
                    reader.close();
                    if (reader.references() == 0) {
                        throw InputError.at(reader.file(), reader.line() + 1, "no references in the trace");
                    }
                    // land the simulation clock on the CPU's last cycle
                    sim.scheduleAt(Event.of(Priority.BOOKKEEPING, "replay.end", () -> { }), cpu.clock());
                    return;
                }
                int i = b.position;
                int n = b.count;
                long[] addresses = b.addresses;
                int[] sizes = b.sizes;
                byte[] accesses = b.accesses;
                while (i < n && cpu.clock() < horizon) {
                    int r = cpu.reference(addresses[i], sizes[i], accesses[i]);
                    if (r != Cpu.OK) {
                        // every page is mapped read, write and execute as the walk reaches it
                        throw new IllegalStateException("unexpected fault " + r + " in a bare replay at 0x"
                                + Long.toHexString(cpu.faultAddress()));
                    }
                    i++;
                }
                b.position = i;
            }
            sim.scheduleAt(this, cpu.clock());
        }
    }
}
