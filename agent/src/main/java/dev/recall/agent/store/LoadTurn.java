package dev.recall.agent.store;

/**
 * A process's turn to load one key for {@code READ_THROUGH}, handed out by the region's store once the
 * threads of this JVM have agreed which of them loads. A store inside the JVM gives it at once; a store
 * shared by several JVMs gives it to one JVM at a time, and to the others the entry that JVM loaded.
 *
 * <p>Confined to the thread that took it: it is released on that thread, after the result is stored.
 */
public interface LoadTurn {

    /** The entry someone else stored while this thread waited for its turn: return it and load nothing. */
    Entry loaded();

    /** Lets the next process take its turn; called once the result is stored, or the load failed. */
    void release();

    /** The turn to load, with nobody to tell when it ends. */
    LoadTurn MINE = found(null);

    /** No turn needed: {@code entry} was stored meanwhile ({@code null}: load it). */
    static LoadTurn found(Entry entry) {
        return new LoadTurn() {
            @Override
            public Entry loaded() {
                return entry;
            }

            @Override
            public void release() {
                // nothing was held
            }
        };
    }
}
