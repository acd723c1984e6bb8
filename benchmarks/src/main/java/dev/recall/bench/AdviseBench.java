package dev.recall.bench;

import dev.recall.bench.advised.AdvisedTargets;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Calls of methods the advisor observes, run once without the agent and once with
 * {@code advise=dev.recall.bench.advised.**} ({@link AdviseBenchMain}): the ratio is what observing costs a call.
 * Keys cycle over 64 values, so the arguments repeat as a cacheable method's do.
 */
@State(Scope.Benchmark)
public class AdviseBench {

    private final AdvisedTargets targets = new AdvisedTargets();
    private long next;

    @Benchmark
    public long observed() {
        return targets.work(next++ & 63);
    }

    @Benchmark
    public long cheap() {
        return targets.cheap(next++ & 63);
    }
}
