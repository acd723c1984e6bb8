package dev.recall.agent.method;

import dev.recall.agent.store.Region;
import dev.recall.bridge.Call;

/** A write or eviction whose body runs now; its key and written value, taken before the body. */
final class WriteCall extends Call {
    final Object key;
    final Object value;
    /** What a write-through's {@code Region.beginWrite} took; {@code null} for evictions. */
    final Region.WriteBegun begun;

    WriteCall(Object key, Object value) {
        this(key, value, null);
    }

    WriteCall(Object key, Object value, Region.WriteBegun begun) {
        this.key = key;
        this.value = value;
        this.begun = begun;
    }
}
