package dev.recall.sample.load;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Draws ranks 1..n with probability proportional to {@code 1 / rank^exponent}: a few keys get most of the
 * traffic, as real catalogues do (exponent 0 is uniform, about 1 is classic Zipf).
 *
 * <p>The cumulative distribution is computed once, so a draw is one uniform number and a binary search.
 * Immutable and safe to share between threads; the randomness comes from the caller, which keeps
 * sequences repeatable per seed and keeps the sampler free of synchronisation.
 */
public final class ZipfSampler {

    private final double[] cdf;
    private final double exponent;

    public ZipfSampler(int n, double exponent) {
        if (n < 1) {
            throw new IllegalArgumentException("need at least one rank: " + n);
        }
        if (!(exponent >= 0) || Double.isInfinite(exponent)) {
            throw new IllegalArgumentException("exponent must be a finite number >= 0: " + exponent);
        }
        this.exponent = exponent;
        this.cdf = new double[n];
        double sum = 0;
        for (int rank = 1; rank <= n; rank++) {
            sum += Math.pow(rank, -exponent);
            cdf[rank - 1] = sum;
        }
        for (int i = 0; i < n; i++) {
            cdf[i] /= sum;
        }
        // Rounding could leave the last entry a hair under 1, and a draw just under 1 would then fall off the end.
        cdf[n - 1] = 1.0;
    }

    public int size() {
        return cdf.length;
    }

    public double exponent() {
        return exponent;
    }

    /** A rank in 1..n. */
    public int sample(RandomGenerator random) {
        double u = random.nextDouble();
        int i = Arrays.binarySearch(cdf, u);
        // Rank r owns [cdf[r-2], cdf[r-1]); an exact hit on a boundary belongs to the next rank.
        int index = i >= 0 ? i + 1 : -i - 1;
        return Math.min(index, cdf.length - 1) + 1;
    }

    /** The probability of {@code rank} (1..n). */
    public double probability(int rank) {
        if (rank < 1 || rank > cdf.length) {
            throw new IllegalArgumentException("rank outside 1.." + cdf.length + ": " + rank);
        }
        return rank == 1 ? cdf[0] : cdf[rank - 1] - cdf[rank - 2];
    }
}
