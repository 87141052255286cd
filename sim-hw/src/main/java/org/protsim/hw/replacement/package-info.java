/**
 * TLB replacement policies: the {@link org.protsim.hw.replacement.ReplacementPolicy} extension point
 * and the built-in {@code lru}, {@code plru} and {@code random}.
 */
package org.protsim.hw.replacement;
