package org.protsim.validate;

import org.protsim.core.config.Check;

/**
 * A measurement of a real machine that protsim is held against: what was measured, its value
 * (a range, or one value as {@code low == high}), where it was published and under what condition.
 *
 * @param quantity  what the number is, in words
 * @param unit      its unit
 * @param low       the published value, or the low end of the published range
 * @param high      the high end (equal to {@code low} for a single value)
 * @param source    where it was published
 * @param condition the machine and setting it was measured on
 */
public record Published(String quantity, String unit, double low, double high, String source, String condition) {
    public Published {
        Check.notBlank("quantity", quantity);
        Check.notBlank("source", source);
        Check.that(low > 0 && high >= low, "high", "the published range " + low + ".." + high + " is empty");
    }

    /** The value a prediction's ratio is taken against: the middle of the range. */
    public double mid() {
        return (low + high) / 2;
    }

    public String text() {
        return low == high ? Validation.number(low) + " " + unit
                : Validation.number(low) + "–" + Validation.number(high) + " " + unit;
    }
}
