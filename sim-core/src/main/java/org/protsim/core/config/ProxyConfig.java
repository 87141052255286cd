package org.protsim.core.config;

/**
 * {@code kernel.proxy}: proxy memory objects, restricted views of a memory object handed to
 * clients (docs/sources.md [002], the Hurd's {@code memory_object_create_proxy}).
 *
 * @param mode              {@code none} (the default): no proxies, clients map the real object with its full
 *                          rights; {@code map-time}: {@code vm_map} of a proxy validates the request and installs
 *                          a normal mapping with its maximum protection capped; {@code pager}: the kernel is the
 *                          proxy's pager and forwards every page request to the real object's pager
 * @param shareFrames       pager only: true attaches the page the real pager returns to both objects (one
 *                          frame, {@code shareCycles} of bookkeeping); false copies it into a frame of the
 *                          proxy's own (the page held twice, read in twice)
 * @param forwardCycles     pager only: one forwarded request, a message to the real pager and its reply: two
 *                          inter-address-space IPCs of 934 cycles (docs/hardware-costs.md "L4Re IPC")
 * @param shareCycles       pager with shareFrames only: attaching a page to the proxy object as well, two cold
 *                          structure updates (the object's page hash bucket, the page's object list) at
 *                          195 cycles each (docs/hardware-costs.md "Skylake DRAM latency")
 */
public record ProxyConfig(String mode, boolean shareFrames, long forwardCycles, long shareCycles)
        implements MechanismConfig {
    public static final ProxyConfig DEFAULT = new ProxyConfig(NONE, false, 2 * 934, 2 * 195);

    /** vm_map of a proxy validates the request and installs a mapping with its maximum protection capped. */
    public static final String MAP_TIME = "map-time";
    /** The kernel is the proxy's pager and forwards every page request to the real object's pager. */
    public static final String PAGER = "pager";

    public ProxyConfig {
        Check.that(mode != null, "mode", "must be given");
        Check.range("forwardCycles", forwardCycles, 0, 1_000_000_000L);
        Check.range("shareCycles", shareCycles, 0, 1_000_000_000L);
    }

    /** This config in {@code m} mode, its parameters kept. */
    public ProxyConfig withMode(String m) {
        return new ProxyConfig(m, shareFrames, forwardCycles, shareCycles);
    }
}
