package org.protsim.core;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class PoolTest {
    @Test
    void shouldHandBackTheObjectGivenBackLastAndMakeOnlyWhenNoneIsFree() {
        AtomicInteger made = new AtomicInteger();
        Pool<int[]> pool = new Pool<>(() -> new int[]{made.incrementAndGet()});
        int[] a = pool.take();
        int[] b = pool.take();
        assertThat(made).hasValue(2); // nothing free yet: both made
        pool.give(a);
        pool.give(b);
        assertThat(pool.free()).isEqualTo(2);
        assertThat(pool.take()).isSameAs(b); // last in, first out
        assertThat(pool.take()).isSameAs(a);
        assertThat(made).hasValue(2);
        assertThat(pool.take()[0]).isEqualTo(3); // empty again: a new one
    }

    @Test
    void shouldKeepEveryObjectGivenBackPastItsFirstCapacity() {
        Pool<Object> pool = new Pool<>(Object::new);
        Object[] given = new Object[10]; // more than the 4 it starts with room for
        for (int i = 0; i < given.length; i++) {
            given[i] = new Object();
            pool.give(given[i]);
        }
        for (int i = given.length - 1; i >= 0; i--) {
            assertThat(pool.take()).isSameAs(given[i]);
        }
        assertThat(pool.free()).isZero();
    }
}
