package dev.recall.agent.method;

import dev.recall.agent.store.Region;
import dev.recall.bridge.Call;

/**
 * {@code @CacheEvict} (and JSR-107's {@code @CacheRemove}, {@code @CacheRemoveAll}): removes a key, or every entry,
 * of a region, before the method runs or after it returns normally (or throws one of the exceptions named to evict).
 */
public final class EvictMethod extends CachedMethod {

    private final MethodSettings.Evict settings;

    public EvictMethod(MethodSpec spec, Region region) {
        super(spec, region);
        this.settings = (MethodSettings.Evict) spec.settings();
    }

    @Override
    public Object enter(Object self, Object a0, Object a1, Object[] args) {
        if (!enabled()) {
            return null;
        }
        try {
            Object key = settings.allEntries() ? null : keys.key(self, a0, a1, args);
            if (settings.beforeInvocation()) {
                evict(key);
                return null;
            }
            return new WriteCall(key, null);
        } catch (Throwable t) {
            failed("evicting", t);
            return null;
        }
    }

    @Override
    public void exit(Call call, Object returned, Throwable thrown) {
        if (thrown != null && !settings.evictedOn().includes(thrown)) {
            return;
        }
        try {
            evict(((WriteCall) call).key);
        } catch (Throwable t) {
            failed("evicting", t);
        }
    }

    /** Now, and again when the caller's read-write transaction ends (the write it made is visible only then). */
    private void evict(Object key) {
        evictNow(key);
        againAtCommit(() -> evictNow(key));
    }

    private void evictNow(Object key) {
        if (settings.allEntries()) {
            region.invalidateAll();
        } else {
            region.invalidate(key);
        }
    }
}
