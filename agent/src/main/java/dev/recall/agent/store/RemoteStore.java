package dev.recall.agent.store;

import dev.recall.agent.config.StoreKind;

/** A store whose entries live (also) in Redis. */
public interface RemoteStore extends Store {

    StoreKind kind();

    @Override
    default boolean remote() {
        return true;
    }
}
