package org.protsim.os.mechanism.proxy;

import org.protsim.os.MemObject;
import org.protsim.os.Op;

/**
 * The system calls of proxy memory objects (docs/sources.md [002]); the same in {@code map-time}
 * and {@code pager} mode, so a program does not change between them.
 */
public final class ProxyOps {
    /** EACCES: more rights asked for than the proxy allows. */
    public static final long DENIED = -13;
    /** EINVAL: a range outside the proxy's, or not a proxy. */
    public static final long INVALID = -22;

    private ProxyOps() {
    }

    /**
     * {@code memory_object_create_proxy(memobj, new_max_protection, range_lower, range_upper)}: a proxy
     * of {@code object} allowing at most {@code maxProt} ({@link org.protsim.os.Vma} bits) over the
     * bytes [{@code rangeLower}, {@code rangeUpper}) of the object (page aligned). Returns its id
     * (from 1), or {@link #INVALID} for an empty or misaligned range or one past the object's end.
     */
    public record CreateProxy(MemObject object, int maxProt, long rangeLower, long rangeUpper)
            implements Op.MechanismOp {
    }

    /**
     * {@code vm_map} of proxy {@code proxy}: {@code length} bytes from byte {@code offset} of the
     * object with rights {@code prot}. Returns the address, {@link #DENIED} if {@code prot} exceeds
     * the proxy's maximum protection, or {@link #INVALID} if the bytes are not all inside its range.
     */
    public record MapProxy(int proxy, long offset, long length, int prot) implements Op.MechanismOp {
    }
}
