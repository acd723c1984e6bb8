package dev.recall.agent.method;

import dev.recall.agent.store.WriteTicket;
import dev.recall.bridge.Call;

/** A write or eviction whose body runs now; its key and written value, taken before the body. */
final class WriteCall extends Call {
    final Object key;
    final Object value;
    /** The write-through's place among the key's writes, taken before the body ran; {@code null} for evictions. */
    final WriteTicket write;

    WriteCall(Object key, Object value) {
        this(key, value, null);
    }

    WriteCall(Object key, Object value, WriteTicket write) {
        this.key = key;
        this.value = value;
        this.write = write;
    }
}
