package dev.recall.agent.store;

/**
 * Whether the calling thread has stack enough to go through the agent's store path and back.
 *
 * <p>An application that recurses until {@code StackOverflowError} and catches it (parsers, request loops) makes the
 * error strike wherever the stack ends, and inside the agent that may be between a lock's acquisition and its
 * release in code the agent does not own (Caffeine's eviction lock, a queue's lock): the lock stays held and every
 * later cache write of the JVM blocks. So a call that will store goes through this probe first: it descends
 * {@link #DEPTH} frames of {@link #FRAME_BYTES} or more each (more than the store path below the caller uses) and
 * catches the overflow there, where nothing is held. A call without that room runs uncached; its exit, at the same
 * depth, then has the room too.
 *
 * <p>Stateless; any thread.
 */
public final class Headroom {

    /** Frames the probe descends; with the arguments below, some 8 KB of stack beyond the shadow zone the JVM keeps. */
    static final int DEPTH = 64;
    /** Ten of each frame's long arguments travel on the stack. */
    static final int FRAME_BYTES = 128;

    private Headroom() {
    }

    /**
     * After a probe found too little room, the thread's next calls run uncached without probing: a recursion that
     * reached the end of its stack goes on down (each overflow the probe meets is an error the JVM builds with its
     * stack trace, a costly thing to do at every level), and the thread comes back up, or starts again, soon.
     */
    static final int SKIPPED_AFTER_OVERFLOW = 256;
    private static final ThreadLocal<int[]> SKIPPING = ThreadLocal.withInitial(() -> new int[1]);

    /** @return {@code false} when the stack is too near its end for the store path: run the call uncached */
    public static boolean enough() {
        int[] skipping = SKIPPING.get();
        if (skipping[0] > 0) {
            skipping[0]--;
            return false;
        }
        try {
            return descend(DEPTH, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) != 0;
        } catch (StackOverflowError e) {
            skipping[0] = SKIPPED_AFTER_OVERFLOW;
            return false;
        }
    }

    // The arguments rotate so that no frame can be folded into another; each frame holds its own copies.
    private static long descend(int n, long a, long b, long c, long d, long e, long f, long g, long h, long i, long j,
                                long k, long l, long m, long o, long p) {
        if (n == 0) {
            return a | 1;
        }
        return descend(n - 1, p, a, b, c, d, e, f, g, h, i, j, k, l, m, o) + (a ^ p);
    }
}
