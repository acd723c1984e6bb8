package dev.recall.agent.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one method's calls met in Redis and in the near cache. Shared by every thread calling the
 * method; plain adders, read by JMX.
 */
public final class RemoteCounters {

    private final LongAdder remoteHits = new LongAdder();
    private final LongAdder remoteMisses = new LongAdder();
    private final LongAdder remoteErrors = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder nearHits = new LongAdder();

    public void remoteHit() {
        remoteHits.increment();
    }

    public void remoteMiss() {
        remoteMisses.increment();
    }

    /** Redis failed or was skipped because it is down; the call went on without it. */
    public void remoteError() {
        remoteErrors.increment();
    }

    /** A value in Redis failed its signature, or named a class outside the allowlist: never deserialized. */
    public void rejected() {
        rejected.increment();
    }

    public void nearHit() {
        nearHits.increment();
    }

    public long remoteHits() {
        return remoteHits.sum();
    }

    public long remoteMisses() {
        return remoteMisses.sum();
    }

    public long remoteErrors() {
        return remoteErrors.sum();
    }

    public long rejectedEntries() {
        return rejected.sum();
    }

    public long nearHits() {
        return nearHits.sum();
    }

    void reset() {
        remoteHits.reset();
        remoteMisses.reset();
        remoteErrors.reset();
        rejected.reset();
        nearHits.reset();
    }
}
