package dev.recall.bridge;

/**
 * The state of one invocation whose body runs (a miss, or a write), carried by the advice from
 * {@link Site#enter} to {@link Site#exit}. Confined to the calling thread.
 */
public abstract class Call {
}
