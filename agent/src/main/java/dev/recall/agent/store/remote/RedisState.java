package dev.recall.agent.store.remote;

/**
 * The agent's view of a shared store (Redis or Memcached), as {@code RedisState} and {@code MemcachedState} on the Agent
 * MBean show it, by {@link #name()}: {@link #UP}, {@link #DOWN}, {@link #PROBING} from the connector's {@link Breaker};
 * {@link #UNUSED} while no region has asked for the store, so there is no connector yet.
 */
public enum RedisState {
    /** Commands go to Redis. */
    UP,
    /** Redis failed; every call runs without it until a probe succeeds. */
    DOWN,
    /** Connecting, or checking whether Redis is back (and applying what it missed) before trusting it. */
    PROBING,
    /** Configured, but no region has asked for it yet: nothing connects. Never a breaker's state. */
    UNUSED
}
