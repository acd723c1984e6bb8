package dev.recall.tck;

import javax.cache.annotation.BeanProvider;

/**
 * The TCK's beans with no container: a new instance of the class asked for, by its no-argument constructor. No
 * proxy and no interceptor: whatever the TCK sees cached, the agent woven into the class did.
 */
public final class InstantiatingBeanProvider implements BeanProvider {

    /** Beans served so far: {@link ExecutedTests} tells a test that ran from one the TCK skipped silently. */
    private static final java.util.concurrent.atomic.AtomicLong SERVED = new java.util.concurrent.atomic.AtomicLong();

    static long served() {
        return SERVED.get();
    }

    @Override
    public <T> T getBeanByType(Class<T> type) {
        SERVED.incrementAndGet();
        try {
            return type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot instantiate " + type.getName(), e);
        }
    }
}
