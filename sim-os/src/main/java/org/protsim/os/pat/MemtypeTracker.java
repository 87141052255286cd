package org.protsim.os.pat;

/**
 * The kernel's record of which cache attribute (memory type) each physical page range is
 * mapped with, and the check every new mapping passes, as docs/sources.md [004] sets it out and Linux's
 * x86 PAT code does it (arch/x86/mm/pat/memtype.c, memtype_interval.c):
 * <ul>
 *   <li>RAM must be mapped write-back; anything else is refused (docs/sources.md [004], Biederman's
 *       verify_pfn_mapping). RAM ranges are not recorded: their type is fixed.</li>
 *   <li>A non-RAM range that overlaps reservations may be reserved only with their type;
 *       otherwise the request is refused, as Linux's memtype_check_conflict refuses with
 *       -EBUSY ("conflicting memory types").</li>
 *   <li>Reservations may overlap and repeat: each is counted, so two drivers can share a
 *       region with one type (docs/sources.md [004]: "an object with reference count"), and a release
 *       drops one. A release names a range reserved exactly, or the tail of one (Linux's
 *       END_MATCH for mremap, which shrinks the reservation).</li>
 * </ul>
 * Ranges are in page frame numbers, half-open: [startPfn, endPfn). Attributes are
 * {@link org.protsim.hw.Pte}'s cache attributes.
 *
 * <p>Implementations differ only in how they find overlapping reservations, and so in cost:
 * each reports the cycles of its last operation from the steps it really took.
 */
public interface MemtypeTracker {
    /** What a reservation or release came to. */
    enum Outcome {
        ACCEPTED,
        /** Overlaps a reservation of another type (Linux -EBUSY). */
        CONFLICTING_MEMTYPE,
        /** RAM requested with a type other than write-back. */
        RAM_NOT_WRITE_BACK,
        /** A release of a range that is not reserved (Linux -EINVAL). */
        NOT_RESERVED
    }

    /** The implementation's config name ({@code vma-walk}, {@code memtype-tree}). */
    String name();

    /** Reserves [startPfn, endPfn) with {@code attribute}; {@code ram} says whether the range is RAM. */
    Outcome reserve(long startPfn, long endPfn, int attribute, boolean ram);

    /** Releases one reservation of [startPfn, endPfn) (or shrinks the one it is the tail of). */
    Outcome free(long startPfn, long endPfn, boolean ram);

    /** The type of the first reservation (lowest start) covering {@code pfn}, or -1 if none (memtype_lookup). */
    int attributeOf(long pfn);

    /** Reservations held, each repetition counted. */
    long reservations();

    /** Steps (list entries scanned, tree nodes visited) of the last operation. */
    long lastSteps();

    /** CPU cycles of the last operation: the fixed cost plus its steps at the per-step cost. */
    long lastCycles();
}
