package dev.recall.agent.store;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The write-back queues of a region's methods, asked on a miss: a write accepted and not yet made is what
 * a reader must see, even when its entry was evicted before the write ran.
 *
 * <p>Shared; a copy-on-write list, almost always empty, and then free to ask.
 */
final class WriteBackValues {

    private final List<PendingWrites> queues = new CopyOnWriteArrayList<>();

    void add(PendingWrites queue) {
        queues.add(queue);
    }

    /** The newest pending value of {@code key} in cached form, or {@code null} if none. */
    Object pendingValue(Object key) {
        for (PendingWrites q : queues) {
            Object v = q.pendingValue(key);
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
