package dev.recall.sample.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ZipfSamplerTest {

    private static int[] counts(ZipfSampler zipf, long seed, int samples) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] counts = new int[zipf.size() + 1];
        for (int i = 0; i < samples; i++) {
            counts[zipf.sample(random)]++;
        }
        return counts;
    }

    @Test
    void rankOneOverRankTwoIsTwoToTheExponent() {
        for (double s : new double[] {0.8, 1.1, 1.5}) {
            int[] c = counts(new ZipfSampler(2_000, s), 7, 100_000);
            double ratio = (double) c[1] / c[2];
            // Standard error of the ratio is about 3% here; 8% is > 2.5 sigma yet far from a neighbouring exponent.
            assertEquals(Math.pow(2, s), ratio, 0.08 * Math.pow(2, s), "exponent " + s);
            // And rank 1's share matches its probability (1/H(n,s)).
            double p1 = new ZipfSampler(2_000, s).probability(1);
            assertEquals(p1, c[1] / 100_000.0, 4 * Math.sqrt(p1 * (1 - p1) / 100_000), "share of rank 1, s=" + s);
        }
    }

    @Test
    void probabilitiesFollowThePowerLawAndAddUpToOne() {
        ZipfSampler zipf = new ZipfSampler(100, 1.1);
        double sum = 0;
        for (int r = 1; r <= 100; r++) {
            sum += zipf.probability(r);
        }
        assertEquals(1.0, sum, 1e-12);
        assertEquals(Math.pow(10, 1.1), zipf.probability(1) / zipf.probability(10), 1e-9);
    }

    @Test
    void exponentZeroIsUniform() {
        int[] c = counts(new ZipfSampler(10, 0), 3, 100_000);
        for (int r = 1; r <= 10; r++) {
            assertEquals(10_000, c[r], 500, "rank " + r);
        }
        assertEquals(0, c[0]);
    }

    @Test
    void sameSeedSameSequenceOtherSeedOtherSequence() {
        ZipfSampler zipf = new ZipfSampler(2_000, 1.1);
        assertTrue(Arrays.equals(counts(zipf, 42, 10_000), counts(zipf, 42, 10_000)));
        assertNotEquals(Arrays.toString(counts(zipf, 42, 10_000)), Arrays.toString(counts(zipf, 43, 10_000)));
        SplittableRandom a = new SplittableRandom(5);
        SplittableRandom b = new SplittableRandom(5);
        for (int i = 0; i < 1_000; i++) {
            assertEquals(zipf.sample(a), zipf.sample(b));
        }
    }

    @Test
    void ranksStayInRangeEvenForExtremeDraws() {
        ZipfSampler zipf = new ZipfSampler(5, 1.0);
        assertEquals(1, zipf.sample(fixed(0.0)));
        assertEquals(5, zipf.sample(fixed(Math.nextDown(1.0))));
        // A draw exactly on the first boundary belongs to rank 2.
        assertEquals(2, zipf.sample(fixed(zipf.probability(1))));
        ZipfSampler single = new ZipfSampler(1, 2.0);
        assertEquals(1, single.sample(new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class, () -> new ZipfSampler(0, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new ZipfSampler(10, -1));
        assertThrows(IllegalArgumentException.class, () -> new ZipfSampler(10, Double.NaN));
    }

    private static java.util.random.RandomGenerator fixed(double value) {
        return new java.util.random.RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }
}
