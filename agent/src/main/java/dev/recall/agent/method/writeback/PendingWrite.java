package dev.recall.agent.method.writeback;

/**
 * One accepted write waiting for the writer: the call to replay (instance and arguments), the value it
 * writes, and its retry state. Created and changed only under its {@link WriteQueue}'s lock; the writer
 * reads {@code self} and {@code args} after taking it out, when nothing changes it any more.
 */
public final class PendingWrite {

    final Object key;
    final Object self;
    final Object[] args;
    final Object value;
    /** When the first write of this key not yet flushed was accepted: the age operators see. */
    final long acceptedNanos;
    /** Not queued: a caller writing through itself (queue full or closed), which holds the key meanwhile. */
    final boolean direct;
    int attempts;
    long notBeforeNanos;

    PendingWrite(Object key, Object self, Object[] args, Object value, long acceptedNanos) {
        this(key, self, args, value, acceptedNanos, false);
    }

    PendingWrite(Object key, Object self, Object[] args, Object value, long acceptedNanos, boolean direct) {
        this.direct = direct;
        this.key = key;
        this.self = self;
        this.args = args;
        this.value = value;
        this.acceptedNanos = acceptedNanos;
        this.notBeforeNanos = acceptedNanos;
    }

    public Object key() {
        return key;
    }

    public Object self() {
        return self;
    }

    public Object[] args() {
        return args;
    }
}
