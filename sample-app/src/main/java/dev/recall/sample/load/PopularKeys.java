package dev.recall.sample.load;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * Keys drawn by Zipf popularity. The keys are ranked by a seeded shuffle first, so the hot keys are spread
 * over the key space (product 1417, not products 1, 2 and 3, which could all share a cache bucket or a
 * database page) while staying the same for a given seed.
 *
 * <p>Immutable and safe to share between threads; callers bring their own random generator.
 */
final class PopularKeys<T> {

    private final List<T> byRank;
    private final ZipfSampler zipf;

    PopularKeys(List<T> keys, double exponent, long shuffleSeed) {
        List<T> ranked = new ArrayList<>(keys);
        Collections.shuffle(ranked, new Random(shuffleSeed));
        this.byRank = List.copyOf(ranked);
        this.zipf = new ZipfSampler(byRank.size(), exponent);
    }

    T next(RandomGenerator random) {
        return byRank.get(zipf.sample(random) - 1);
    }

    /** The key at popularity rank 1..n: rank 1 is the hottest. */
    T atRank(int rank) {
        return byRank.get(rank - 1);
    }

    int size() {
        return byRank.size();
    }
}
