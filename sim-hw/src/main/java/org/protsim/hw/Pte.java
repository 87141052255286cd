package org.protsim.hw;

/**
 * Page-table entry format: x86-64's layout (Intel SDM vol. 3A, section 4.5, "4-level paging
 * and 5-level paging") with protsim's uses of the bits the hardware leaves to software.
 *
 * <pre>
 *  bit 0      present
 *  bit 1      writable
 *  bit 2      user
 *  bits 3-4   cache attribute (0 write-back, 1 write-combining, 2 uncached; x86's PWT/PCD slots)
 *  bit 7      huge: a leaf above level 1 (2 MiB at level 2, 1 GiB at level 3)
 *  bit 8      global: matches every address-space tag
 *  bit 9      copy-on-write (software)
 *  bit 10     copy pending (software, in a not-present entry: the frame to copy from on first touch)
 *  bits 12-51 frame number
 *  bits 52-57 shared-space id, valid when bit 58 is set (ARC-style shared TLB entries)
 *  bit 63     no-execute
 * </pre>
 * An entry of value 0 is "not present".
 */
public final class Pte {
    private Pte() {
    }

    public static final long PRESENT = 1L;
    public static final long WRITABLE = 1L << 1;
    public static final long USER = 1L << 2;
    public static final int ATTR_SHIFT = 3;
    public static final long ATTR_MASK = 3L << ATTR_SHIFT;
    public static final long HUGE = 1L << 7;
    public static final long GLOBAL = 1L << 8;
    public static final long COW = 1L << 9;
    public static final long COPY_PENDING = 1L << 10;
    public static final int FRAME_SHIFT = 12;
    public static final long FRAME_MASK = ((1L << 40) - 1) << FRAME_SHIFT;
    public static final int SHARED_SHIFT = 52;
    public static final long SHARED_ID_MASK = 63L << SHARED_SHIFT;
    public static final long SHARED = 1L << 58;
    public static final long NO_EXECUTE = 1L << 63;

    /** Cache attributes (memory types). */
    public static final int WRITE_BACK = 0;
    public static final int WRITE_COMBINING = 1;
    public static final int UNCACHED = 2;

    public static boolean present(long pte) {
        return (pte & PRESENT) != 0;
    }

    public static boolean writable(long pte) {
        return (pte & WRITABLE) != 0;
    }

    public static boolean global(long pte) {
        return (pte & GLOBAL) != 0;
    }

    public static boolean huge(long pte) {
        return (pte & HUGE) != 0;
    }

    public static boolean cow(long pte) {
        return (pte & COW) != 0;
    }

    public static boolean shared(long pte) {
        return (pte & SHARED) != 0;
    }

    public static int sharedSpace(long pte) {
        return (int) ((pte & SHARED_ID_MASK) >>> SHARED_SHIFT);
    }

    public static long frame(long pte) {
        return (pte & FRAME_MASK) >>> FRAME_SHIFT;
    }

    public static int attribute(long pte) {
        return (int) ((pte & ATTR_MASK) >>> ATTR_SHIFT);
    }

    /** A present entry pointing at {@code frame} with the given flag bits. */
    public static long of(long frame, long flags) {
        return PRESENT | flags | (frame << FRAME_SHIFT);
    }

    public static long withAttribute(long pte, int attribute) {
        return (pte & ~ATTR_MASK) | ((long) attribute << ATTR_SHIFT);
    }

    public static long withSharedSpace(long pte, int space) {
        return (pte & ~SHARED_ID_MASK) | SHARED | ((long) space << SHARED_SHIFT);
    }

    public static long withFrame(long pte, long frame) {
        return (pte & ~FRAME_MASK) | (frame << FRAME_SHIFT);
    }

    /** What an upper-level entry pointing at a table holds: present, writable, user (rights are checked at the leaf). */
    public static long table(long frame) {
        return of(frame, WRITABLE | USER);
    }

    /** True if {@code a} grants nothing that {@code b} does not (present, write, user, execute). */
    public static boolean noMorePermissive(long a, long b) {
        if (!present(a)) {
            return true;
        }
        if (!present(b)) {
            return false;
        }
        if (writable(a) && !writable(b)) {
            return false;
        }
        if ((a & USER) != 0 && (b & USER) == 0) {
            return false;
        }
        return (a & NO_EXECUTE) != 0 || (b & NO_EXECUTE) == 0;
    }
}
