package dev.recall.agent.method;

import dev.recall.agent.metrics.MethodStats;
import dev.recall.bridge.Call;

/**
 * One woven method that several rules name: a write or an eviction (the primary: what the method is in logs,
 * JMX and {@code stats}) and further evictions, each of its own region and key. The advice calls one site per
 * method, so this site runs them all in one step: every eviction's {@code enter} before the body (those marked
 * {@code beforeInvocation} evict there), and after the body returns, the evictions, then the primary's write,
 * so a write that names a region it also evicts leaves its own new entry. A failure of one part is that
 * part's: the others still apply.
 *
 * <p>Shared by every thread that calls the method; its state is its parts, final, each thread-safe.
 */
public final class CombinedMethod extends CachedMethod {

    private final CachedMethod primary;
    private final EvictMethod[] evictions;

    CombinedMethod(CachedMethod primary, EvictMethod[] evictions) {
        super(primary.spec(), primary.region());
        this.primary = primary;
        this.evictions = evictions.clone();
    }

    /** The state of one call: each part's, {@code null} where a part takes no part in it. */
    private static final class Calls extends Call {
        final Object primary;
        final Object[] evictions;

        Calls(Object primary, Object[] evictions) {
            this.primary = primary;
            this.evictions = evictions;
        }
    }

    /** What the method is besides its primary: the evictions, in the file's order. */
    public int evictionCount() {
        return evictions.length;
    }

    /** The write or eviction the method is shown as. */
    public CachedMethod primary() {
        return primary;
    }

    @Override
    public Object enter(Object self, Object a0, Object a1, Object[] args) {
        Object first = primary.enter(self, a0, a1, args);
        return combine(first, self, a0, a1, args);
    }

    @Override
    public Object defer(Class<?> type, Object self, Object[] args) {
        Object first = primary.defer(type, self, args);
        int arity = spec.arity();
        Object a0 = arity >= 1 && arity <= 2 ? args[0] : null;
        Object a1 = arity == 2 ? args[1] : null;
        Object[] all = arity <= 2 ? null : args;
        Object combined = combine(first, self, a0, a1, all);
        if (first != null && !(first instanceof Call)) {
            // The write was accepted for later and the body is skipped: what it makes stale goes now, as it
            // would have when the method returned.
            exitEvictions((Calls) combined, null, null);
            return first;
        }
        return combined;
    }

    private Object combine(Object first, Object self, Object a0, Object a1, Object[] args) {
        Object[] calls = new Object[evictions.length];
        boolean any = first instanceof Call;
        for (int i = 0; i < evictions.length; i++) {
            try {
                calls[i] = evictions[i].enter(self, a0, a1, args);
                any |= calls[i] != null;
            } catch (Throwable t) {
                failed("evicting", t); // EvictMethod catches its own; this is the last line of defence
            }
        }
        if (first != null && !(first instanceof Call)) {
            return new Calls(null, calls);
        }
        return any ? new Calls(first, calls) : null;
    }

    @Override
    public void exit(Call call, Object returned, Throwable thrown) {
        Calls calls = (Calls) call;
        exitEvictions(calls, returned, thrown);
        if (calls.primary instanceof Call c) {
            primary.exit(c, returned, thrown);
        }
    }

    private void exitEvictions(Calls calls, Object returned, Throwable thrown) {
        for (int i = 0; i < evictions.length; i++) {
            if (calls.evictions[i] instanceof Call c) {
                try {
                    evictions[i].exit(c, returned, thrown);
                } catch (Throwable t) {
                    failed("evicting", t);
                }
            }
        }
    }

    @Override
    public MethodStats stats() {
        return primary.stats();
    }

    @Override
    public boolean enabled() {
        return primary.enabled();
    }

    @Override
    public void setEnabled(boolean enabled) {
        primary.setEnabled(enabled);
        for (EvictMethod e : evictions) {
            e.setEnabled(enabled);
        }
    }

    @Override
    public void refuse(String reason) {
        primary.refuse(reason);
        for (EvictMethod e : evictions) {
            e.refuse(reason);
        }
    }

    @Override
    public String refusedReason() {
        return primary.refusedReason();
    }

    @Override
    public void resetStatistics() {
        primary.resetStatistics();
    }

    @Override
    void bindLoader(ClassLoader loader) {
        super.bindLoader(loader);
        primary.bindLoader(loader);
        for (EvictMethod e : evictions) {
            e.bindLoader(loader);
        }
    }

    @Override
    void markReleased() {
        super.markReleased();
        primary.markReleased();
        for (EvictMethod e : evictions) {
            e.markReleased();
        }
    }
}
