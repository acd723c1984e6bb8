package dev.recall.agent.store;

import dev.recall.agent.config.StoreKind;

/** Makes the stores that live in Redis; one per agent, shared by every region that uses Redis. */
public interface RemoteStores {

    RemoteStore create(String region, StoreKind kind);
}
