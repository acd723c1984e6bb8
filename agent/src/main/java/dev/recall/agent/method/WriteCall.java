package dev.recall.agent.method;

import dev.recall.bridge.Call;

/** A write or eviction whose body runs now; its key and written value, taken before the body. */
final class WriteCall extends Call {
    final Object key;
    final Object value;

    WriteCall(Object key, Object value) {
        this.key = key;
        this.value = value;
    }
}
