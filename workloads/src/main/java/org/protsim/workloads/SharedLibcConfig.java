package org.protsim.workloads;

import org.protsim.core.config.Check;
import org.protsim.core.config.WorkloadConfig;

import java.util.List;

/**
 * Processes mapping the same shared libraries, time-sliced on the machine's CPUs. A fraction
 * {@code libraryFraction} of references are instruction fetches from library text, Zipf
 * distributed over the libraries' pages (the hottest pages spread over the libraries); the
 * rest go to private data ({@code writeFraction} of them writes). Fetches come in stretches of
 * consecutive instructions ({@code fetchRun} on average, then a jump to a Zipf-chosen page),
 * data references in stretches of consecutive words ({@code dataRun} on average, then a jump to a
 * uniformly chosen private page); the key names keep the word "run" they were published with.
 */
public record SharedLibcConfig(int processes, List<Library> libraries, int privatePages, double libraryFraction,
                               double zipfExponent, long refsPerProcess, double writeFraction, double fetchRun,
                               double dataRun) implements WorkloadConfig {
    public static final String TYPE = "shared-libc";
    public static final SharedLibcConfig DEFAULT = new SharedLibcConfig(16,
            List.of(new Library("ld.so", 60), new Library("libc", 400)), 64, 0.6, 1.0, 1_000_000, 0.3, 8, 4);

    /** One shared library: its name and text pages. */
    public record Library(String name, int textPages) {
        public Library {
            Check.notBlank("name", name);
            Check.range("textPages", textPages, 1, 1 << 20);
        }
    }

    public SharedLibcConfig {
        Check.range("processes", processes, 1, 1_000_000);
        Check.notEmpty("libraries", libraries);
        Check.that(libraries.stream().map(Library::name).distinct().count() == libraries.size(), "libraries",
                "names a library twice");
        Check.range("privatePages", privatePages, 1, 1 << 24);
        Check.fraction("libraryFraction", libraryFraction);
        Check.that(zipfExponent >= 0 && zipfExponent <= 10, "zipfExponent", zipfExponent + " is outside 0..10");
        Check.nonNegative("refsPerProcess", refsPerProcess);
        Check.fraction("writeFraction", writeFraction);
        Check.that(fetchRun >= 1 && fetchRun <= 1024, "fetchRun", fetchRun + " is outside 1..1024");
        Check.that(dataRun >= 1 && dataRun <= 512, "dataRun", dataRun + " is outside 1..512");
        libraries = List.copyOf(libraries);
    }

    public int libraryPages() {
        return libraries.stream().mapToInt(Library::textPages).sum();
    }

    /** This record's workload type ({@link #TYPE}), registered in {@code META-INF/services} as a plugin's is. */
    public static final class Type implements WorkloadProvider {
        @Override
        public String name() {
            return TYPE;
        }

        @Override
        public String description() {
            return "processes mapping the same libraries, time-sliced, Zipf fetches over library text";
        }

        @Override
        public WorkloadConfig defaults() {
            return DEFAULT;
        }

        @Override
        public Workload create(WorkloadConfig config) {
            SharedLibcConfig c = (SharedLibcConfig) config;
            return new SharedLibc(c);
        }
    }
}
