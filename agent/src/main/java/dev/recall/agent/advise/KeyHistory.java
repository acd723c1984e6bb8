package dev.recall.agent.advise;

import dev.recall.agent.key.Fingerprint;
import dev.recall.agent.method.ArgumentWrites;
import java.util.Arrays;

/**
 * What the analysed calls of one method showed about its arguments and results, in bounded memory: a small
 * table of the argument states seen lately (a 64-bit fingerprint of their values each, two-way associative,
 * 128 slots, the least recently seen of a set replaced), each with the fingerprint of the result it gave,
 * the receiver it was called on and since when that result has been seen. From it: how often arguments
 * repeat, whether a repeat gives the same result, how long a result stays the same, whether equal arguments
 * on other receivers give the same result ({@code shared}), and, per argument, whether it decides the result
 * at all (a key of the others suffices). The lives of the last 64 results seen to change are kept for their median.
 *
 * <p>A repeat is counted only among analysed calls, so with sampling a key called rarely looks unique: the
 * repeat share is a lower bound of the hit ratio a cache would have. Not thread-safe: the owning
 * {@link Evidence} calls it under its lock.
 */
final class KeyHistory {

    private static final int SETS = 64;
    private static final int SLOTS = SETS * 2;
    /** Per argument, the slots of the table keyed by the other arguments (arity 2 to 4). */
    private static final int REDUCED = 32;
    private static final int MAX_REDUCED_ARITY = 4;
    /** The lives of changed results kept (the latest), from which their median is taken. */
    private static final int LIVES = 64;

    private final long[] keys = new long[SLOTS];
    private final long[] results = new long[SLOTS];
    private final long[] receivers = new long[SLOTS];
    private final long[] since = new long[SLOTS];
    private final long[] seen = new long[SLOTS];
    private final boolean[] used = new boolean[SLOTS];

    private final int arity;
    private final long[] reducedKeys;
    private final long[] reducedArgument;
    private final long[] reducedResult;
    private final boolean[] reducedUsed;
    private final long[] decides;
    private final long[] decidesNot;

    long lookups;
    long repeats;
    long crossRepeats;
    long unchanged;
    long changed;
    long agreeAcross;
    long disagreeAcross;
    private final long[] lives = new long[LIVES];
    private long livesCount;
    long longestUnchangedNanos;

    KeyHistory(int arity) {
        this.arity = arity;
        boolean reduce = arity >= 2 && arity <= MAX_REDUCED_ARITY;
        int n = reduce ? arity * REDUCED : 0;
        reducedKeys = new long[n];
        reducedArgument = new long[n];
        reducedResult = new long[n];
        reducedUsed = new boolean[n];
        decides = new long[reduce ? arity : 0];
        decidesNot = new long[reduce ? arity : 0];
    }

    /**
     * One analysed call: {@code args} and {@code receiver} are the fingerprints of its arguments and receiver
     * before the body ran, {@code result} that of what it returned.
     *
     * @return whether this was a repeat (on this receiver or another) whose result differed from the one seen before:
     * its data may have been written since {@link #changedAfter}
     */
    boolean record(long args, long receiver, ArgumentWrites arguments, long result, long now) {
        lookups++;
        boolean change = false;
        int base = (int) ((args ^ (args >>> 29)) & (SETS - 1)) * 2;
        int slot = used[base] && keys[base] == args ? base : used[base + 1] && keys[base + 1] == args ? base + 1 : -1;
        if (slot >= 0) {
            if (receivers[slot] == receiver) {
                repeats++;
                if (results[slot] == result) {
                    unchanged++;
                    seen[slot] = now;
                    longestUnchangedNanos = Math.max(longestUnchangedNanos, now - since[slot]);
                } else {
                    changed++;
                    change = true;
                    changedAfter = seen[slot];
                    // The old result lived at least until it was last seen, at most until now: with sampled calls
                    // it is often seen once, so the lower bound says nothing; the middle is the estimate.
                    life((seen[slot] - since[slot] + now - since[slot]) / 2);
                    results[slot] = result;
                    since[slot] = now;
                    seen[slot] = now;
                }
            } else {
                crossRepeats++;
                if (results[slot] == result) {
                    agreeAcross++;
                } else {
                    disagreeAcross++;
                    // For the write trace all the same: a receiver's state may be what the write changed too.
                    change = true;
                    changedAfter = seen[slot];
                }
                fill(slot, args, receiver, result, now);
            }
        } else {
            int victim = !used[base] ? base : !used[base + 1] ? base + 1 : seen[base] - seen[base + 1] <= 0 ? base : base + 1;
            fill(victim, args, receiver, result, now);
        }
        if (decides.length > 0) {
            reduce(receiver, arguments, result);
        }
        return change;
    }

    /** After a change ({@link #record} returned true): when the old result was last seen, so the write came after. */
    long changedAfter;

    private void fill(int slot, long args, long receiver, long result, long now) {
        keys[slot] = args;
        receivers[slot] = receiver;
        results[slot] = result;
        since[slot] = now;
        seen[slot] = now;
        used[slot] = true;
    }

    /**
     * Per argument {@code i}: calls whose other arguments (and receiver) were equal and argument {@code i}
     * differed either gave the same result (it does not decide) or not (it does).
     */
    private void reduce(long receiver, ArgumentWrites arguments, long result) {
        for (int i = 0; i < arity; i++) {
            long reduced = Fingerprint.mix(receiver, i);
            for (int j = 0; j < arity; j++) {
                if (j != i) {
                    reduced = Fingerprint.mix(reduced, arguments.before(j));
                }
            }
            int slot = i * REDUCED + (int) (reduced & (REDUCED - 1));
            long argument = arguments.before(i);
            if (reducedUsed[slot] && reducedKeys[slot] == reduced && reducedArgument[slot] != argument) {
                if (reducedResult[slot] == result) {
                    decidesNot[i]++;
                } else {
                    decides[i]++;
                }
            }
            reducedKeys[slot] = reduced;
            reducedArgument[slot] = argument;
            reducedResult[slot] = result;
            reducedUsed[slot] = true;
        }
    }

    private void life(long nanos) {
        lives[(int) (livesCount++ % LIVES)] = Math.max(0, nanos / 1_000_000);
        longestUnchangedNanos = Math.max(longestUnchangedNanos, nanos);
    }

    /** The median life of the latest results seen to change, in milliseconds; -1 if none was seen to change. */
    long medianLifeMillis() {
        if (livesCount == 0) {
            return -1;
        }
        long[] kept = Arrays.copyOf(lives, (int) Math.min(livesCount, LIVES));
        Arrays.sort(kept);
        return kept[kept.length / 2];
    }

    /** The indices of the arguments seen not to decide the result (and never seen to decide it). */
    boolean[] undecisive(long minimumEvidence) {
        boolean[] out = new boolean[arity];
        for (int i = 0; i < decides.length; i++) {
            out[i] = decides[i] == 0 && decidesNot[i] >= minimumEvidence;
        }
        return out;
    }
}
