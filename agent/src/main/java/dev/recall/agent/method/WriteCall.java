package dev.recall.agent.method;

import dev.recall.bridge.Call;

/** A write or eviction whose body runs now; its key and written value, taken before the body. */
final class WriteCall extends Call {
    final Object key;
    final Object value;
    /** A write-through's token from {@code Region.beginWrite}; unused by evictions. */
    final long token;

    WriteCall(Object key, Object value) {
        this(key, value, 0);
    }

    WriteCall(Object key, Object value, long token) {
        this.key = key;
        this.value = value;
        this.token = token;
    }
}
