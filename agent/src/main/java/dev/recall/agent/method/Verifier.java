package dev.recall.agent.method;

import dev.recall.agent.config.Durations;
import dev.recall.agent.key.Fingerprint;
import dev.recall.agent.key.Keys;
import dev.recall.agent.log.Log;
import dev.recall.agent.store.Entry;
import dev.recall.bridge.Bridge;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code verify:}: on a share of the hits of a reading method, the method also runs, on the caller's thread
 * and with the caller's receiver and arguments, and what it returns is compared by value with the entry (a
 * {@link Fingerprint} of each: fields, collections by content); the caller still gets the cached value, so
 * verifying changes nothing the application sees, only what the hit costs. A difference is a stale hit: the
 * entry outlived the data it was made from. The agent runs the method through reflection; the woven code of
 * that call recognises it ({@link #claim}) and runs the body uncached.
 *
 * <p>One per verified method, shared by its callers: its state is the share (final) and the resolved method
 * (racy, idempotent); which method the current thread is verifying is thread-confined.
 */
final class Verifier {

    /** The method whose next woven call on this thread is a verification: run it, do not answer it. */
    private static final ThreadLocal<ReadMethod> RUNNING = new ThreadLocal<>();

    private final ReadMethod method;
    private final double share;
    private volatile Method target;
    private volatile boolean unavailable;

    Verifier(ReadMethod method, double share) {
        this.method = method;
        this.share = share;
    }

    /** Whether this hit is one to verify. */
    boolean due() {
        return !unavailable && (share >= 1 || ThreadLocalRandom.current().nextDouble() < share);
    }

    /** Whether the current thread is verifying {@code m}: its look-up must not answer from the cache. */
    static boolean running(ReadMethod m) {
        return RUNNING.get() == m;
    }

    /** The woven call of a verification: {@code true} once, and the body runs uncached. */
    static boolean claim(ReadMethod m) {
        if (RUNNING.get() == m) {
            RUNNING.remove();
            return true;
        }
        return false;
    }

    /**
     * Runs the method as the hit's caller called it and compares its result with {@code entry}'s. Never throws:
     * a verification that fails counts nothing and is said once.
     */
    void verify(Object key, Entry entry, Object self, Object a0, Object a1, Object[] args) {
        Method m = target();
        if (m == null) {
            return;
        }
        Object fresh;
        RUNNING.set(method);
        try {
            fresh = m.invoke(self, MethodTarget.arguments(method.spec().arity(), a0, a1, args));
        } catch (InvocationTargetException e) {
            Log.warnOnce(method.spec().signature().display() + "|verify-threw", "verify: a verifying run of "
                    + method.spec().signature() + " threw " + e.getCause().getClass().getName() + " (its message is not printed: it may hold data of the "
                    + "call); such hits are not counted as verified");
            return;
        } catch (Throwable t) {
            Log.warnOnce(method.spec().signature().display() + "|verify-failed", "verify: could not run "
                    + method.spec().signature() + " to verify a hit (" + t + ")");
            return;
        } finally {
            RUNNING.remove();
        }
        try {
            boolean stale = !sameValue(Bridge.unwrap(entry.value() instanceof dev.recall.agent.codec.ValueCopier.Unloaded u ? u.copy() : entry.value()), fresh);
            method.stats().verified(stale);
            if (stale) {
                long ageMillis = (System.nanoTime() - entry.bornNanos()) / 1_000_000;
                String age = ageMillis < 1000 ? ageMillis + "ms" : String.format(Locale.ROOT, "%.1fs", ageMillis / 1000.0);
                Log.warnOnce(method.spec().signature().display() + "|stale-hit", "verify: a hit of " + method.spec().signature()
                        + " was stale: a key " + Keys.describe(key) + ", entry " + age + " old (ttl " + Durations.format(Duration.ofNanos(method.ttlNanos())) + "), and the method now returns "
                        + "something else. StaleHits counts such hits (only the first is logged): shorten the ttl, or evict "
                        + "the key where its data is written");
            }
        } catch (Throwable t) {
            Log.once(method.spec().signature().display() + "|verify-compare", "verify: comparing a result of "
                    + method.spec().signature() + " failed", t);
        }
    }

    /** Equal by value: equal objects, or equal fingerprints of their state (entities without equals alike). */
    static boolean sameValue(Object cached, Object fresh) {
        return Objects.deepEquals(cached, fresh) || Fingerprint.of(cached) == Fingerprint.of(fresh);
    }

    private Method target() {
        Method m = target;
        if (m == null && !unavailable) {
            try {
                Class<?> type = Class.forName(method.spec().signature().className(), false, method.loader());
                m = MethodTarget.resolve(type, method.spec().signature());
                target = m;
            } catch (Throwable t) {
                unavailable = true;
                Log.warnOnce(method.spec().signature().display() + "|unverifiable", method.spec().signature() + ": verify needs "
                        + "the agent to call the method itself, which it cannot (" + t + "); its hits are not verified");
            }
        }
        return m;
    }
}
