package dev.recall.bench.advised;

/**
 * Methods the advisor observes in {@link dev.recall.bench.AdviseBench}: the benchmark's JVM with the agent runs with
 * {@code advise=dev.recall.bench.advised.**}. One costs tens of microseconds, as a method worth caching does, and
 * stays observed; one costs well under a microsecond and is retired by the advisor once measured (its calls then
 * go through the bridge and nothing more).
 */
public class AdvisedTargets {

    private final long[] data = new long[4096];

    public AdvisedTargets() {
        for (int i = 0; i < data.length; i++) {
            data[i] = i * 0x9E3779B97F4A7C15L;
        }
    }

    /** About 30 µs of arithmetic over the table, seeded by the key. */
    public long work(long key) {
        long h = key;
        for (int round = 0; round < 8; round++) {
            for (long d : data) {
                h = (h ^ d) * 0xBF58476D1CE4E5B9L;
            }
        }
        return h;
    }

    /**
     * A few nanoseconds: a lookup in the table. It calls a method (Math.floorMod), so the advisor observes it (it
     * skips only code that calls nothing), finds it too cheap and retires it.
     */
    public long cheap(long key) {
        return data[Math.floorMod(key, data.length)] + key;
    }
}
