package org.protsim.os.dma;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayDeque;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LongQueue} against {@link ArrayDeque}'s add and poll (what the driver's freed window slots
 * were kept in): any sequence of adds and polls returns the same values in the same order, across
 * the ring's wrap and growth.
 */
class LongQueueProperties {
    @Provide
    Arbitrary<List<Long>> steps() {
        // a negative step polls (when there is something), any other value is added
        return Arbitraries.longs().between(-3, 1L << 40).list().ofMaxSize(300);
    }

    @Property(tries = 300)
    void shouldPollWhatArrayDequePollsForEverySequenceOfAddsAndPolls(@ForAll("steps") List<Long> steps) {
        LongQueue queue = new LongQueue();
        ArrayDeque<Long> model = new ArrayDeque<>();
        for (long s : steps) {
            if (s < 0) {
                if (!model.isEmpty()) {
                    assertThat(queue.poll()).isEqualTo(model.poll());
                }
            } else {
                queue.add(s);
                model.add(s);
            }
            assertThat(queue.size()).isEqualTo(model.size());
            assertThat(queue.isEmpty()).isEqualTo(model.isEmpty());
        }
        while (!model.isEmpty()) {
            assertThat(queue.poll()).isEqualTo(model.poll());
        }
    }
}
