package org.protsim.os;

import org.protsim.core.Simulation;
import org.protsim.core.config.IommuConfig;
import org.protsim.core.config.KernelConfig;
import org.protsim.core.config.MachineConfig;
import org.protsim.core.config.ModelConfig;
import org.protsim.core.config.ModelName;
import org.protsim.core.config.RunConfig;
import org.protsim.core.config.WorkloadConfig;
import org.protsim.core.stats.Summary;
import org.protsim.hw.Machine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/** A kernel on a machine, for tests that drive it with scripted programs. */
final class Harness {
    record NoWorkload() implements WorkloadConfig {
    }

    final RunConfig config;
    final Simulation sim;
    final Machine machine;
    final Kernel kernel;

    Harness(ModelConfig model, int cpus, long quantum, boolean audit) {
        this(model, cpus, quantum, audit, List.of());
    }

    /** A kernel with {@code mechanisms} active (after the configured ones). */
    Harness(ModelConfig model, int cpus, long quantum, boolean audit, List<KernelMechanism> mechanisms) {
        this(model, cpus, quantum, audit, IommuConfig.DEFAULT, mechanisms);
    }

    /** As above, with the IOMMU of {@code iommu}. */
    Harness(ModelConfig model, int cpus, long quantum, boolean audit, IommuConfig iommu,
            List<KernelMechanism> mechanisms) {
        RunConfig d = RunConfig.defaults(model, new NoWorkload());
        MachineConfig m = d.machine();
        MachineConfig machineConfig = m.withCpus(cpus).withIommu(iommu);
        this.config = new RunConfig(1, machineConfig, model,
                KernelConfig.DEFAULT.withQuantumCycles(quantum).withAudit(audit), new NoWorkload(), d.limits());
        this.sim = new Simulation(1);
        this.machine = new Machine(machineConfig, sim);
        this.kernel = new Kernel(config, sim, machine, Extensions.builtIn(), mechanisms);
    }

    /** A kernel configured by {@code kernel}, on a machine whose block device is {@code disk}. */
    Harness(ModelConfig model, int cpus, KernelConfig kernel, org.protsim.core.config.DiskConfig disk) {
        this(model, cpus, kernel, disk, List.of());
    }

    Harness(ModelConfig model, int cpus, KernelConfig kernel, org.protsim.core.config.DiskConfig disk,
            List<KernelMechanism> mechanisms) {
        RunConfig d = RunConfig.defaults(model, new NoWorkload());
        MachineConfig m = d.machine();
        MachineConfig machineConfig = new MachineConfig(cpus, m.cyclesPerNs(), m.cyclesPerReference(), m.tlb(),
                m.walker(), m.caches(), m.memory(), m.plb(), m.costs(), m.coherence(), disk, m.iommu(), m.core());
        this.config = new RunConfig(1, machineConfig, model, kernel, new NoWorkload(), d.limits());
        this.sim = new Simulation(1);
        this.machine = new Machine(machineConfig, sim);
        this.kernel = new Kernel(config, sim, machine, Extensions.builtIn(), mechanisms);
    }

    static Harness of(ModelName name, int cpus) {
        return new Harness(ModelConfig.DEFAULT.withName(name), cpus, KernelConfig.DEFAULT.quantumCycles(), true);
    }

    static Harness of(ModelName name, int cpus, KernelMechanism... mechanisms) {
        return new Harness(ModelConfig.DEFAULT.withName(name), cpus, KernelConfig.DEFAULT.quantumCycles(), true,
                List.of(mechanisms));
    }

    /** {@code mechanisms} active on a machine whose IOMMU is {@code iommu}, audit on. */
    static Harness withIommu(ModelName name, int cpus, IommuConfig iommu, KernelMechanism... mechanisms) {
        return new Harness(ModelConfig.DEFAULT.withName(name), cpus, KernelConfig.DEFAULT.quantumCycles(), true, iommu,
                List.of(mechanisms));
    }

    Image image(String name) {
        return kernel.newImage(name, 8, 16, 4);
    }

    void run() {
        sim.run(Long.MAX_VALUE);
    }

    long counter(String name) {
        return sim.stats().value(name);
    }

    Summary summary() {
        return sim.stats().summary("test");
    }

    /** The frame process {@code p} maps at {@code va}, or 0. */
    long frame(Process p, long va) {
        long pte = kernel.lookup(p.mm(), va);
        return pte == 0 ? 0 : org.protsim.hw.Pte.frame(pte);
    }

    /** A program that runs its steps in order, then exits; each step fills references or returns a syscall. */
    static final class Script implements TaskProgram {
        final Deque<Function<RefBuffer, Op>> steps = new ArrayDeque<>();
        final List<Long> returns = new ArrayList<>();

        Script then(Function<RefBuffer, Op> step) {
            steps.add(step);
            return this;
        }

        Script refs(int access, long... addresses) {
            return then(b -> {
                for (long a : addresses) {
                    b.add(a, 8, access);
                }
                return Op.REFS;
            });
        }

        Script write(long... addresses) {
            return refs(org.protsim.hw.Cpu.WRITE, addresses);
        }

        Script read(long... addresses) {
            return refs(org.protsim.hw.Cpu.READ, addresses);
        }

        Script op(Op op) {
            return then(b -> op);
        }

        /** Runs {@code check} when the program gets here (as a no-op syscall). */
        Script check(Runnable check) {
            return then(b -> {
                check.run();
                return new Op.Yield();
            });
        }

        /** Yields (spinning if alone on its CPU) until {@code condition} holds. */
        Script await(java.util.function.BooleanSupplier condition) {
            // a step that puts itself back until the condition holds (a holder, not a generic array)
            java.util.concurrent.atomic.AtomicReference<Function<RefBuffer, Op>> self =
                    new java.util.concurrent.atomic.AtomicReference<>();
            self.set(b -> {
                if (!condition.getAsBoolean()) {
                    steps.addFirst(self.get());
                }
                return new Op.Yield();
            });
            return then(self.get());
        }

        long lastReturn() {
            return returns.get(returns.size() - 1);
        }

        @Override
        public Op next(RefBuffer refs) {
            refs.clear();
            Function<RefBuffer, Op> step = steps.poll();
            return step == null ? new Op.Exit(0) : step.apply(refs);
        }

        @Override
        public void returned(long value) {
            returns.add(value);
        }
    }

    /** Pages of an image's data segment: the i-th page's address. */
    static long data(Image image, int i) {
        return image.dataBase() + i * 4096L;
    }
}
