package dev.recall.agent.store;

import dev.recall.agent.config.StoreKind;

/** Makes the stores that live in Redis; one per agent, shared by every region that uses Redis. */
public interface RemoteStores {

    RemoteStore create(String region, StoreKind kind);

    /**
     * A method whose entries will live in a {@code kind} store was matched: start connecting now (in the background;
     * nothing here waits), so that its first call finds the connection up, and {@code RedisState} / {@code
     * MemcachedState} say how the store is doing from the moment a method is matched, not only once one is called.
     */
    default void prepare(StoreKind kind) {
    }
}
