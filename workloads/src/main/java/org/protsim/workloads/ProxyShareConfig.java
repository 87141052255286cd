package org.protsim.workloads;

import org.protsim.core.config.Check;
import org.protsim.core.config.WorkloadConfig;

/**
 * A server holding a large memory object (a file cache, a data set) hands its clients proxies
 * of it (docs/sources.md [002]): each client gets a range of {@code rangePages} pages, read-only
 * or, for a fraction {@code readWriteFraction} of them, read-write, maps it and makes
 * {@code refsPerClient} references over it, Zipf distributed (hottest pages first), writing
 * {@code writeFraction} of them if it may. A fraction {@code violationRate} of the read-only
 * clients then tries one thing its proxy forbids, chosen uniformly: a write through the
 * read-only mapping, a map outside its range, or raising its rights with mprotect.
 *
 * <p>Under {@code kernel.proxy.mode} {@code none} there are no proxies: every client maps the
 * real object with its full rights, so every violation goes through.
 */
public record ProxyShareConfig(int objectPages, int clients, int rangePages, double readWriteFraction,
                               long refsPerClient, double zipfExponent, double writeFraction,
                               double violationRate) implements WorkloadConfig {
    public static final String TYPE = "proxy-share";
    /** A 16 MiB data set, 16 clients with 2 MiB views each; a quarter read-write; a quarter of the rest misbehave. */
    public static final ProxyShareConfig DEFAULT = new ProxyShareConfig(4096, 16, 512, 0.25, 100_000, 1.0, 0.3,
            0.25);

    public ProxyShareConfig {
        Check.range("objectPages", objectPages, 2, 1 << 24);
        Check.range("clients", clients, 1, 10_000);
        Check.range("rangePages", rangePages, 1, objectPages - 1); // room outside it for the out-of-range map
        Check.fraction("readWriteFraction", readWriteFraction);
        Check.nonNegative("refsPerClient", refsPerClient);
        Check.that(zipfExponent >= 0 && zipfExponent <= 10, "zipfExponent", zipfExponent + " is outside 0..10");
        Check.fraction("writeFraction", writeFraction);
        Check.fraction("violationRate", violationRate);
    }

    /** This record's workload type ({@link #TYPE}), registered in {@code META-INF/services} as a plugin's is. */
    public static final class Type implements WorkloadProvider {
        @Override
        public String name() {
            return TYPE;
        }

        @Override
        public String description() {
            return "a server handing its clients proxies of one large memory object";
        }

        @Override
        public WorkloadConfig defaults() {
            return DEFAULT;
        }

        @Override
        public Workload create(WorkloadConfig config) {
            return new ProxyShare((ProxyShareConfig) config);
        }
    }
}
