package dev.recall.sample.load;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * What to run: where, how fast, for how long, and which requests. Immutable; the {@code with...} methods
 * return changed copies.
 *
 * @param target        the service's base URI, e.g. {@code http://127.0.0.1:8080/}, or several instances' base
 *                      URIs, which then take the requests in turn (round robin, request by request)
 * @param mode          {@link Mode#OPEN} uses {@code ratePerSecond}, {@link Mode#CLOSED} uses {@code clients}
 * @param ratePerSecond requests per second in open mode
 * @param clients       concurrent clients in closed mode
 * @param warmup        sent but not recorded (JIT, connection pools, caches filling)
 * @param duration      the measured phase
 * @param mix           endpoint weights
 * @param zipfExponent  key popularity skew: rank r is chosen with probability proportional to 1/r^s (0: uniform)
 * @param products      product ids are 1..products
 * @param seed          makes the request sequence (and which keys are hot) repeatable
 * @param apdexT        Apdex threshold T: satisfied at or under T, tolerating at or under 4T
 * @param timeout       per request, after which it counts as a timeout error
 */
public record LoadSpec(Targets target, Mode mode, double ratePerSecond, int clients, Duration warmup, Duration duration,
                       Mix mix, double zipfExponent, int products, long seed, Duration apdexT, Duration timeout) {

    public LoadSpec {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(mix, "mix");
        Objects.requireNonNull(apdexT, "apdexT");
        Objects.requireNonNull(timeout, "timeout");
        if (!(ratePerSecond >= 0 && ratePerSecond <= 1_000_000) || mode == Mode.OPEN && ratePerSecond == 0) {
            throw new IllegalArgumentException("rate must be within (0, 1000000] requests per second: " + ratePerSecond);
        }
        if (clients < 1 || clients > 10_000) {
            throw new IllegalArgumentException("clients must be within 1..10000: " + clients);
        }
        if (warmup.isNegative()) {
            throw new IllegalArgumentException("warmup must not be negative");
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive");
        }
        if (!(zipfExponent >= 0 && zipfExponent <= 10)) {
            throw new IllegalArgumentException("zipf exponent must be within 0..10: " + zipfExponent);
        }
        if (products < 1) {
            throw new IllegalArgumentException("products must be at least 1");
        }
        if (apdexT.isNegative() || apdexT.isZero() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("apdex T and timeout must be positive");
        }
    }

    /** Open loop at 40 req/s (8 clients if switched to closed), 10 s warm-up, 30 s measured, the default mix. */
    public static LoadSpec defaults(URI target) {
        return defaults(Targets.of(target));
    }

    /** {@link #defaults(URI)} against several instances, taking the requests in turn. */
    public static LoadSpec defaults(Targets target) {
        return new LoadSpec(target, Mode.OPEN, 40, 8, Duration.ofSeconds(10), Duration.ofSeconds(30), Mix.DEFAULT,
                1.1, 2_000, 42, Duration.ofMillis(100), Duration.ofSeconds(10));
    }

    public LoadSpec withTarget(Targets target) {
        return new LoadSpec(target, mode, ratePerSecond, clients, warmup, duration, mix, zipfExponent, products, seed, apdexT, timeout);
    }

    /** Open loop at {@code rate} requests per second. */
    public LoadSpec withRate(double rate) {
        return new LoadSpec(target, Mode.OPEN, rate, clients, warmup, duration, mix, zipfExponent, products, seed, apdexT, timeout);
    }

    /** Closed loop with {@code n} clients. */
    public LoadSpec withClients(int n) {
        return new LoadSpec(target, Mode.CLOSED, ratePerSecond, n, warmup, duration, mix, zipfExponent, products, seed, apdexT, timeout);
    }

    public LoadSpec withPhases(Duration warmup, Duration duration) {
        return new LoadSpec(target, mode, ratePerSecond, clients, warmup, duration, mix, zipfExponent, products, seed, apdexT, timeout);
    }

    public LoadSpec withMix(Mix mix) {
        return new LoadSpec(target, mode, ratePerSecond, clients, warmup, duration, mix, zipfExponent, products, seed, apdexT, timeout);
    }

    public LoadSpec withKeys(double zipfExponent, int products, long seed) {
        return new LoadSpec(target, mode, ratePerSecond, clients, warmup, duration, mix, zipfExponent, products, seed, apdexT, timeout);
    }

    public LoadSpec withApdexT(Duration apdexT) {
        return new LoadSpec(target, mode, ratePerSecond, clients, warmup, duration, mix, zipfExponent, products, seed, apdexT, timeout);
    }

    public LoadSpec withTimeout(Duration timeout) {
        return new LoadSpec(target, mode, ratePerSecond, clients, warmup, duration, mix, zipfExponent, products, seed, apdexT, timeout);
    }

    /** One line for tables and logs, e.g. {@code open loop 40 req/s, warmup 10s, measured 30s}. */
    public String pacing() {
        String how = mode == Mode.OPEN
                ? "open loop " + trim(ratePerSecond) + " req/s"
                : "closed loop " + clients + " client" + (clients == 1 ? "" : "s");
        return how + ", warmup " + Durations.format(warmup) + ", measured " + Durations.format(duration);
    }

    /** The keys and mix, e.g. {@code zipf 1.1 over 2000 products, seed 42, mix product=40,...}. */
    public String workload() {
        return "zipf " + trim(zipfExponent) + " over " + products + " products, seed " + seed + ", mix " + mix;
    }

    static String trim(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
