package dev.recall.agent.method;

import dev.recall.agent.store.Entry;
import dev.recall.agent.store.Region;

/**
 * What a {@link ReadMethod}'s quick look-up learnt on a miss, for the {@code enter} that the woven code calls
 * next on the same thread with the same receiver and arguments (nothing runs in between): the region and the key,
 * so that a miss computes its key once, and, where the look-up read the store itself (a store in the JVM, whose
 * quick look-up is its read), the entry found or its absence, so that the miss does not read it again before it
 * loads.
 *
 * <p>One instance per thread, in a thread-local, confined to it; every {@code enter} of a method that may look up
 * empties it, so a finding serves one call at most and holds the call's objects no longer than that.
 */
final class Looked {

    private static final ThreadLocal<Looked> OF_THREAD = ThreadLocal.withInitial(Looked::new);

    private ReadMethod method;
    private Object self;
    private Object a0;
    private Object a1;
    private Object[] args;
    Region region;
    Object key;
    /** The entry found, which is past its deadline or unloaded; {@code null}: none. Meaningful only when {@link #read}. */
    Entry entry;
    /** Whether {@link #entry} is what a read of the store would return (the quick look-up read the store itself). */
    boolean read;

    private Looked() {
    }

    /** Called by the quick look-up of {@code method} after a miss, for the enter that follows. */
    static void leave(ReadMethod method, Object self, Object a0, Object a1, Object[] args, Region region, Object key,
                      Entry entry, boolean read) {
        Looked l = OF_THREAD.get();
        l.method = method;
        l.self = self;
        l.a0 = a0;
        l.a1 = a1;
        l.args = args;
        l.region = region;
        l.key = key;
        l.entry = entry;
        l.read = read;
    }

    /**
     * Called first by every enter of a method that may look up: what its quick look-up left for this very call, or
     * {@code null} (none left, or left by another call); empties the thread's finding either way.
     */
    static Looked take(ReadMethod method, Object self, Object a0, Object a1, Object[] args) {
        Looked l = OF_THREAD.get();
        if (l.method == null) {
            return null;
        }
        boolean mine = l.method == method && l.self == self && l.a0 == a0 && l.a1 == a1 && l.args == args;
        Looked found = mine ? copy(l) : null;
        l.method = null;
        l.self = null;
        l.a0 = null;
        l.a1 = null;
        l.args = null;
        l.region = null;
        l.key = null;
        l.entry = null;
        return found;
    }

    private static Looked copy(Looked l) {
        Looked c = new Looked();
        c.region = l.region;
        c.key = l.key;
        c.entry = l.entry;
        c.read = l.read;
        return c;
    }
}
