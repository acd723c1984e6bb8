package dev.recall.agent.method;

import dev.recall.agent.codec.CodecException;
import dev.recall.agent.codec.UncacheableValueException;
import dev.recall.agent.key.KeyFunction;
import dev.recall.agent.store.Entry;
import dev.recall.agent.store.Region;
import dev.recall.bridge.Bridge;
import dev.recall.bridge.Call;

/**
 * {@code WRITE_THROUGH}: the method runs; on a normal return the region's entry for the key becomes the
 * written value. On an exception the entry is invalidated: the write may or may not have reached the
 * system of record, so the only safe entry is none.
 */
public class WriteThroughMethod extends CachedMethod {

    protected final MethodSettings.Write settings;

    public WriteThroughMethod(MethodSpec spec, Region region) {
        super(spec, region);
        this.settings = (MethodSettings.Write) spec.settings();
    }

    @Override
    public final Object enter(Object self, Object a0, Object a1, Object[] args) {
        if (!enabled() && refusedReason() == null) {
            return null; // switched off: a refused writer still invalidates what it writes (see exit)
        }
        try {
            Object key = keys.key(self, a0, a1, args);
            Object value = settings.valueIndex() < 0 ? null : KeyFunction.argument(spec.arity(), settings.valueIndex(), a0, a1, args);
            if (settings.beforeInvocation()) {
                writeEntry(key, value); // JSR-107's @CachePut(afterInvocation = false): whatever the body then does
                return null;
            }
            return new WriteCall(key, value, region.beginWrite(key, this));
        } catch (Throwable t) {
            failed("computing the key", t);
            return null;
        }
    }

    /** Makes {@code value} the entry of {@code key} at once (a {@code null} not to be cached removes it). */
    protected final void writeEntry(Object key, Object value) {
        Entry entry = entryFor(key, value);
        if (entry == null) {
            region.invalidate(key);
        } else {
            region.write(key, entry, this);
            stats.put();
        }
    }

    /**
     * The entry a written {@code value} becomes; {@code null} (invalidate the key) for a null that is not
     * cached, for any write of a refused method, and for a value that cannot be held by value.
     */
    private Entry entryFor(Object key, Object value) {
        if (value == null && !settings.entries().cacheNulls() || refusedReason() != null) {
            return null;
        }
        // What a later hit on this entry saves is the cost of loading it, which the previous
        // entry knew; a write itself says nothing about that cost.
        // (Not asked of a remote store: a round trip only to learn a figure for the metrics.)
        Entry previous = region.remote() ? null : region.get(key, this);
        long loadNanos = previous == null ? 0 : previous.loadNanos();
        try {
            return entryOf(value, loadNanos, System.nanoTime());
        } catch (UncacheableValueException e) {
            uncacheableResult(e); // the key is invalidated: a later read loads the complete value
            return null;
        } catch (CodecException e) {
            failed("holding a written value by value (" + e.getMessage() + "); its key is invalidated instead", e);
            return null;
        }
    }

    /** Whether the value this call wrote is still the newest of its key (a write-back may have accepted a newer one). */
    protected boolean entryIsCurrent(Object key) {
        return true;
    }

    /**
     * Ends the write begun in {@link #enter}, whatever happened: the entry becomes the written value only
     * if no other write of the key overlapped this one ({@link dev.recall.agent.store.WriteTicket#end}); an exception, or an
     * entry that cannot be built, invalidates the key instead, never half-writes it.
     */
    @Override
    public final void exit(Call call, Object returned, Throwable thrown) {
        WriteCall c = (WriteCall) call;
        Entry entry = null;
        boolean newerAccepted = false;
        // Inside a read-write transaction the written value is not committed: readers elsewhere must not get it,
        // and it may be rolled back. The key is invalidated now, and again when the transaction ends.
        boolean inTransaction = inWriteTransaction();
        try {
            // An exception named to write all the same (JSR-107's cacheFor) writes the parameter's value.
            boolean writes = thrown == null || settings.valueIndex() >= 0 && settings.writtenOn().includes(thrown);
            if (thrown != null && exceptions != null) {
                exceptions.threw(c.key, thrown, 0); // @CacheResult(skipGet = true): it never reads the cache, but fills it
            }
            if (writes) {
                newerAccepted = !entryIsCurrent(c.key);
                if (!newerAccepted && !inTransaction) {
                    entry = entryFor(c.key, settings.valueIndex() < 0 ? returned : c.value);
                }
            }
        } catch (Throwable t) {
            failed("writing the entry", t);
        }
        try {
            if (newerAccepted) {
                c.write.leave();
            } else {
                c.write.end(entry, this);
                if (entry != null) {
                    stats.put();
                }
            }
        } catch (Throwable t) {
            failed("writing the entry", t);
            try {
                region.invalidate(c.key);
            } catch (Throwable ignored) {
                // already counted and logged
            }
        } finally {
            ended(c.key, thrown == null);
            if (inTransaction) {
                againAtCommit(() -> region.invalidate(c.key));
            }
        }
    }

    /**
     * Called last by every {@link #exit}, whatever happened: the write of {@code key} is over.
     *
     * @param succeeded whether the method returned normally
     */
    protected void ended(Object key, boolean succeeded) {
    }
}
