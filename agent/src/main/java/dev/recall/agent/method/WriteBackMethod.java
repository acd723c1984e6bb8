package dev.recall.agent.method;

import dev.recall.agent.key.KeyFunction;
import dev.recall.agent.method.writeback.PendingWrite;
import dev.recall.agent.method.writeback.WriteQueue;
import dev.recall.agent.method.writeback.Writer;
import dev.recall.agent.store.Region;
import dev.recall.bridge.Bridge;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * {@code WRITE_BACK} on a void method: the region's entry is set at once and the call returns; the method
 * itself runs later on the agent's {@link Writer}, which coalesces writes per key (last wins), retries
 * failures and drains at shutdown. When the queue is full, or closed for shutdown, the caller writes
 * through instead (the inherited {@link WriteThroughMethod} behaviour). Until a write has reached the
 * method, readers of the region see it even if its entry was evicted ({@link Region#pendingValue}).
 *
 * <p>The writer replays a write as an ordinary call of the method; the advice recognises that call by a
 * thread-local mark and lets the body run.
 *
 * <p>Shared by all threads. Accepting a write and setting its entry happen under one of 64 key-striped
 * locks, so two writes of one key reach the queue and the region in the same order.
 */
public final class WriteBackMethod extends WriteThroughMethod implements Writer.Target {

    private static final int STRIPES = 64;
    /** Set by the writer around its replay of a write: that call of the method runs its body. */
    private static final ThreadLocal<Boolean> REPLAYING = new ThreadLocal<>();

    private final WriteQueue queue;
    private final Object[] stripes = new Object[STRIPES];
    private volatile Method target;

    public WriteBackMethod(MethodSpec spec, Region region, Writer writer) {
        super(spec, region);
        this.queue = new WriteQueue(writer.settings().maxPending(), writer.settings().delay().toNanos());
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
        region.acceptPendingWrites(queue);
        writer.register(this);
    }

    @Override
    public Object defer(Class<?> type, Object self, Object[] args) {
        if (REPLAYING.get() != null) {
            REPLAYING.remove();
            return null;
        }
        if (!enabled()) {
            return null;
        }
        int arity = spec.arity();
        Object a0 = arity >= 1 && arity <= 2 ? args[0] : null;
        Object a1 = arity == 2 ? args[1] : null;
        Object[] all = arity <= 2 ? null : args;
        Object key;
        Object value;
        try {
            key = keys.key(self, a0, a1, all);
            value = KeyFunction.argument(arity, settings.valueIndex(), a0, a1, all);
            if (target == null) {
                target = MethodTarget.resolve(type, spec.signature());
            }
        } catch (Throwable t) {
            failed("accepting a write", t);
            return null;
        }
        // Inside a read-write transaction the write is made now, through, in the caller's transaction: deferred, it
        // would run outside it, be neither seen by its reads nor rolled back with it.
        boolean inTransaction = inWriteTransaction();
        synchronized (stripes[(key.hashCode() & 0x7fffffff) % STRIPES]) {
            if (!inTransaction && queue.offer(key, self, args, value, System.nanoTime())) {
                try {
                    writeEntry(key, value);
                } catch (Throwable t) {
                    // The write is accepted and will run; readers see it through the queue meanwhile.
                    failed("setting the entry of an accepted write", t);
                }
                return Bridge.NULL;
            }
        }
        // Full, shutting down, or in a transaction: this caller writes through, once no write of the key runs, and holds the
        // key in the queue until its write has ended (see ended), so that no write of it runs beside it.
        queue.awaitDirectTurn(key, self, args, value, System.nanoTime());
        Object call = null;
        try {
            call = enter(self, a0, a1, all);
        } finally {
            if (call == null) {
                queue.directDone(key, false, System.nanoTime()); // no exit will come for this call
            }
        }
        return call;
    }

    @Override
    public void replay(PendingWrite write) throws Throwable {
        Method m = target;
        REPLAYING.set(Boolean.TRUE);
        try {
            m.invoke(write.self(), write.args());
        } catch (InvocationTargetException e) {
            throw e.getCause();
        } finally {
            REPLAYING.remove();
        }
    }

    @Override
    protected void ended(Object key, boolean succeeded) {
        queue.directDone(key, succeeded, System.nanoTime());
    }

    /** A caller that wrote through while the queue was full must not overwrite a write accepted after it began. */
    @Override
    protected boolean entryIsCurrent(Object key) {
        return queue.latest(key) == null;
    }

    @Override
    public void resetStatistics() {
        super.resetStatistics();
        queue.resetStatistics();
    }

    @Override
    public WriteQueue queue() {
        return queue;
    }
}
