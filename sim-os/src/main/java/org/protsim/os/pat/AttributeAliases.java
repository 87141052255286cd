package org.protsim.os.pat;

import org.protsim.hw.Pte;

import java.util.HashMap;
import java.util.Map;

/**
 * The attribute aliases that exist, whatever checked them: for every non-RAM frame, the
 * attributes its present mappings carry. A mapping made while another of the frame carries a
 * different attribute, or a RAM frame mapped other than write-back (the kernel's direct map has
 * it write-back), is an alias nobody refused: docs/sources.md [004]'s hazard, which real
 * hardware answers with lost coherence (Intel SDM vol. 3 section 11.12.4). Counted as
 * {@code pat.aliasesUndetected}; under {@code kernel.pat} vma-walk or memtype-tree it stays 0.
 */
public final class AttributeAliases {
    /** Per non-RAM frame: present mappings by attribute (write-back, write-combining, uncached). */
    private final Map<Integer, int[]> byFrame = new HashMap<>();
    private long undetected;

    /** A present mapping of {@code frame} with {@code attribute} was made. */
    public void mapped(int frame, boolean ram, int attribute) {
        if (ram) {
            if (attribute != Pte.WRITE_BACK) {
                undetected++;
            }
            return;
        }
        int[] n = byFrame.computeIfAbsent(frame, f -> new int[3]);
        for (int a = 0; a < n.length; a++) {
            if (a != attribute && n[a] > 0) {
                undetected++;
                break;
            }
        }
        n[attribute]++;
    }

    /** A present mapping of {@code frame} with {@code attribute} went away. */
    public void unmapped(int frame, boolean ram, int attribute) {
        if (ram) {
            return;
        }
        int[] n = byFrame.get(frame);
        if (n != null && n[attribute] > 0) {
            n[attribute]--;
        }
    }

    public long undetected() {
        return undetected;
    }
}
