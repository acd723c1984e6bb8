package dev.recall.agent.advise;

import java.lang.management.ManagementFactory;

/**
 * The bytes the current thread has allocated so far, from the JVM's own per-thread counter
 * ({@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes}), read at the start and end of an
 * analysed call. Off until {@link #enable} (the advisor's background thread, once the application has
 * started: the management beans are not touched during premain) and on a JVM without the counter.
 *
 * <p>Shared; the bean is published through a volatile field and is itself thread-safe.
 */
final class Allocation {

    private static volatile com.sun.management.ThreadMXBean threads;

    private Allocation() {
    }

    static void enable() {
        if (threads != null) {
            return;
        }
        try {
            if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                    && t.isThreadAllocatedMemorySupported()) {
                if (!t.isThreadAllocatedMemoryEnabled()) {
                    t.setThreadAllocatedMemoryEnabled(true);
                }
                threads = t;
            }
        } catch (RuntimeException | LinkageError unsupported) {
            // No allocation figures on this JVM; everything else is observed as usual.
        }
    }

    /** Bytes allocated by the current thread so far, or -1 when not known. */
    static long current() {
        com.sun.management.ThreadMXBean t = threads;
        return t == null ? -1 : t.getCurrentThreadAllocatedBytes();
    }
}
