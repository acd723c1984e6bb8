package dev.recall.agent.store.remote;

/** The agent's view of Redis, as {@code RedisState} on the Agent MBean shows it. */
public enum RedisState {
    /** Commands go to Redis. */
    UP,
    /** Redis failed; every call runs without it until a probe succeeds. */
    DOWN,
    /** Connecting, or checking whether Redis is back (and applying what it missed) before trusting it. */
    PROBING
}
