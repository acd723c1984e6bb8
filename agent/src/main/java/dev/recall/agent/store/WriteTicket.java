package dev.recall.agent.store;

/**
 * One write-through of one key, between {@link Region#beginWrite} (before the method runs) and its end (after it
 * returned or threw): its place among this JVM's writes of the key ({@link WritesInFlight}), and what a store shared
 * with other JVMs marked ({@link RemoteStore#beginWrite}; {@code null}: nothing, or it could not mark the key).
 * Exactly one of {@link #end} and {@link #leave} is called, once.
 *
 * <p>Confined to the thread that runs the write.
 */
public final class WriteTicket {

    private final Region region;
    private final Object key;
    private final long token;
    private final Object mark;

    WriteTicket(Region region, Object key, long token, Object mark) {
        this.region = region;
        this.key = key;
        this.token = token;
        this.mark = mark;
    }

    /**
     * Ends the write, always once its method has returned or thrown: {@code entry} becomes the key's entry if this
     * write had the key to itself, else (another write or an eviction overlapped it, here or in another JVM, or
     * {@code entry} is {@code null}) the key is invalidated ({@link Region#endWrite}).
     */
    public void end(Entry entry, Accessor accessor) {
        region.endWrite(key, token, mark, entry, accessor);
    }

    /** Ends a write that leaves the entry as it is (a newer write-back of the key owns it). */
    public void leave() {
        region.leaveWrite(key);
    }
}
