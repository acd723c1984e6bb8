package dev.recall.agent.method;

import dev.recall.agent.key.Fingerprint;
import dev.recall.agent.log.Log;
import dev.recall.agent.metrics.MethodStats;
import dev.recall.agent.store.Region;
import java.lang.ref.WeakReference;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The regions of a method kept apart per receiver state ({@link MethodSpec#byReceiver}): one per distinct state of
 * its receivers (a fingerprint of their fields, three references deep, the same in every JVM for equal state), named
 * {@link #name}, so two instances that differ never answer each other's calls and equal ones share, across JVMs
 * too; at most {@link #MAX_PARTITIONS}.
 *
 * <p>Shared by every thread that calls the method: the regions are a concurrent map, filled through the registry's
 * function (set once, volatile); the receiver seen last is a racy volatile pair.
 */
final class ReceiverRegions {

    private static final int MAX_PARTITIONS = 64;
    private static final long NEW_RECEIVER_REPORT = 1_000;

    private final MethodSpec spec;
    private final MethodStats stats;
    private final ConcurrentHashMap<Long, Region> partitions = new ConcurrentHashMap<>();
    private volatile Function<String, Region> partitionRegions;
    /**
     * The receiver seen last and its region: a service singleton is the receiver of almost every call, and
     * comparing it is cheaper than its fingerprint. Racy by design: whatever pair a thread reads is right for
     * its receiver. Weak, so the method keeps no instance alive.
     */
    private volatile Partition last;
    private final AtomicLong receiverChanges = new AtomicLong();

    private record Partition(WeakReference<Object> receiver, Region region) {
    }

    ReceiverRegions(MethodSpec spec, MethodStats stats) {
        this.spec = spec;
        this.stats = stats;
    }

    /**
     * The name of the region of receivers in {@code state} of the method whose region is {@code region}. Other JVMs
     * name it alike, so a shared store's entries of equal receivers are shared.
     */
    static String name(String region, long state) {
        return region + "#" + Long.toHexString(state);
    }

    /** Called once by the registry: how the region of a receiver state is made ({@code name -> region}). */
    void bind(Function<String, Region> regionsByName) {
        this.partitionRegions = regionsByName;
    }

    /**
     * The region of a call on {@code self} (not {@code null}).
     *
     * @return {@code null} when the receiver's state would need a region beyond the limit: the call runs uncached
     */
    Region of(Object self) {
        Partition p = last;
        if (p != null && p.receiver().get() == self) {
            return p.region();
        }
        return partitionOf(self);
    }

    private Region partitionOf(Object self) {
        long state = Fingerprint.ofReceiver(self);
        Region r = partitions.get(state);
        if (r == null) {
            if (partitions.size() >= MAX_PARTITIONS) {
                Log.warnOnce(spec.signature().display() + "|partitions", spec.signature() + " is called on instances of "
                        + MAX_PARTITIONS + " different states, each with entries of its own; calls on further states run "
                        + "uncached. If all instances answer alike, mark it shared: true; or name the state that matters "
                        + "in the key, like {this.table}");
                return null;
            }
            r = partitions.computeIfAbsent(state, s -> partitionRegions.apply(name(spec.region(), s)));
        }
        last = new Partition(new WeakReference<>(self), r);
        long changes = receiverChanges.incrementAndGet();
        if (changes == NEW_RECEIVER_REPORT && changes * 10 >= (stats.hits() + stats.misses()) * 9) {
            Log.warnOnce(spec.signature().display() + "|receivers", spec.signature() + " is called on a new instance almost "
                    + "every time (" + changes + " so far): entries are kept per receiver state, which is read anew for each. "
                    + "If all instances answer alike, mark it shared: true; or name the state that matters, like {this.id}");
        }
        return r;
    }

    /** The regions of the receiver states seen so far. */
    Collection<Region> all() {
        return List.copyOf(partitions.values());
    }
}
