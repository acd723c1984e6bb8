package dev.recall.agent.store.remote;

/** Told by the connector what other JVMs invalidated, and when it may have missed some. */
interface InvalidationListener {

    String region();

    /** Another JVM wrote or evicted this entry. */
    void invalidated(String redisKey);

    /** Every entry of the region is gone (a new generation). */
    void invalidatedAll();

    /** Messages may have been missed (Redis down, subscription lost): nothing held locally is trusted. */
    void lost();
}
