package org.protsim.core;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class RandomStreamsTest {

    private static long[] draw(SplittableRandom r, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = r.nextLong();
        }
        return out;
    }

    @Test
    void shouldGiveTheSameNumbersForTheSameSeedAndName() {
        assertThat(draw(new RandomStreams(7).get("workload.fork"), 50))
                .isEqualTo(draw(new RandomStreams(7).get("workload.fork"), 50));
    }

    @Test
    void shouldNotChangeAStreamWhenAnotherIsAddedOrUsed() {
        RandomStreams alone = new RandomStreams(7);
        long[] expected = draw(alone.get("workload.fork"), 100);

        RandomStreams crowded = new RandomStreams(7);
        draw(crowded.get("tlb.replacement"), 1000);
        SplittableRandom fork = crowded.get("hw.new-stream-added-later");
        draw(fork, 10);
        long[] interleaved = new long[100];
        SplittableRandom target = crowded.get("workload.fork");
        SplittableRandom other = crowded.get("workload.exec");
        for (int i = 0; i < 100; i++) {
            other.nextLong();
            interleaved[i] = target.nextLong();
        }
        assertThat(interleaved).isEqualTo(expected);
    }

    @Test
    void shouldReturnTheSameStreamObjectForOneName() {
        RandomStreams s = new RandomStreams(3);
        assertThat(s.get("a")).isSameAs(s.get("a"));
    }

    @Test
    void shouldGiveDifferentNumbersForDifferentNamesAndSeeds() {
        long a = new RandomStreams(1).get("workload.fork").nextLong();
        long b = new RandomStreams(1).get("workload.exec").nextLong();
        long c = new RandomStreams(2).get("workload.fork").nextLong();
        assertThat(Set.of(a, b, c)).hasSize(3);
    }

    @Test
    void shouldDeriveDistinctReplicationSeedsWithReplicationZeroTheRunItself() {
        assertThat(RandomStreams.replicationSeed(42, 0)).isEqualTo(42);
        Set<Long> seeds = new HashSet<>();
        for (long root = 0; root < 20; root++) {
            for (int r = 0; r < 50; r++) {
                seeds.add(RandomStreams.replicationSeed(root, r));
            }
        }
        // replication 0 of root k is k itself; all 20 x 50 pairs must still be distinct
        assertThat(seeds).hasSize(20 * 50);
        assertThat(RandomStreams.replicationSeed(42, 3)).isEqualTo(RandomStreams.replicationSeed(42, 3));
    }

    @Test
    void shouldBeUniformEnoughForSampling() {
        // 10 buckets x 100,000 draws: a chi-square statistic with 9 degrees of freedom stays under 27.9 (p = 0.001)
        SplittableRandom r = new RandomStreams(11).get("uniform");
        int[] buckets = new int[10];
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            buckets[r.nextInt(10)]++;
        }
        double chi = 0;
        for (int b : buckets) {
            chi += Math.pow(b - n / 10.0, 2) / (n / 10.0);
        }
        assertThat(chi).isLessThan(27.9);
    }
}
