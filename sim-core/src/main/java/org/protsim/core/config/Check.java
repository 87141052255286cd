package org.protsim.core.config;

import java.util.Collection;

/** Validation helpers for config records' compact constructors; each failure names the field. */
public final class Check {
    private Check() {
    }

    public static void that(boolean condition, String field, String message) {
        if (!condition) {
            throw new ConfigException(field, message);
        }
    }

    public static void positive(String field, long value) {
        that(value > 0, field, value + " must be positive");
    }

    public static void positive(String field, double value) {
        that(value > 0 && Double.isFinite(value), field, value + " must be positive");
    }

    public static void nonNegative(String field, long value) {
        that(value >= 0, field, value + " must not be negative");
    }

    public static void range(String field, long value, long min, long max) {
        that(value >= min && value <= max, field, value + " is outside " + min + ".." + max);
    }

    public static void fraction(String field, double value) {
        that(value >= 0 && value <= 1, field, value + " must be a fraction in 0..1");
    }

    public static void powerOfTwo(String field, long value) {
        that(value > 0 && Long.bitCount(value) == 1, field, value + " is not a power of two");
    }

    public static void notEmpty(String field, Collection<?> values) {
        that(values != null && !values.isEmpty(), field, "must not be empty");
    }

    public static void notBlank(String field, String value) {
        that(value != null && !value.isBlank(), field, "must not be empty");
    }
}
