package org.protsim.core.plugin;

/**
 * Something protsim finds with {@link java.util.ServiceLoader} and a config chooses by name: a
 * TLB replacement policy, a workload type, a protection model, a kernel mechanism. Built-in
 * implementations register exactly as a plugin's do (a {@code META-INF/services} file naming the
 * provider class), so there is one path for both, as JDBC drivers and JMH profilers are found.
 *
 * <p>A provider class needs a public no-argument constructor and must be stateless: one
 * instance serves every run of a JVM, runs in parallel included.
 */
public interface Provider {
    /**
     * The name a config selects this provider by ({@code "lru"}, {@code "fork-storm"}): lower-case
     * letters, digits and dashes, starting with a letter; unique among the providers of its kind.
     */
    String name();

    /** One line for listings and error messages: what this provider models and where it comes from. */
    default String description() {
        return "";
    }
}
