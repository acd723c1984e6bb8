package dev.recall.agent.store;

/**
 * Whether the calling thread has stack enough to go through the agent's store path and back.
 *
 * <p>An application that recurses until {@code StackOverflowError} and catches it (parsers, request loops) makes the
 * error strike wherever the stack ends, and inside the agent that may be between a lock's acquisition and its
 * release in code the agent does not own (Caffeine's eviction lock, a queue's lock): the lock stays held and every
 * later cache write of the JVM blocks. So a call that will store goes through this probe first: it descends
 * {@link #DEPTH} frames of {@link #WIDE} arguments each (more stack than the store path below the caller uses) and
 * catches the overflow there, where nothing is held. A call without that room runs uncached; its exit, at the same
 * depth, then has the room too.
 *
 * <p>Stateless; any thread.
 */
public final class Headroom {

    /**
     * Frames the probe descends: with {@link #WIDE} arguments each, about 1.2 KB a frame in compiled code (1,175 B
     * measured on JDK 25, x64), some 9 KB beyond the shadow zone the JVM keeps. The probe it replaces descended 64
     * frames of 15 arguments: once compiled (C2 inlines one level of a recursion, and passes few arguments on the
     * stack) only 62 B a frame, 4 KB in all, for 280 ns a miss; this one takes about 110 ns (thread CPU time, one
     * million probes, same JVM).
     */
    static final int DEPTH = 8;
    /** The {@code long} arguments of each frame, most of them passed on the stack: the bytes each frame takes. */
    static final int WIDE = 62;

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
            return descend(DEPTH, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
                    24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47,
                    48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62) != 0;
        } catch (StackOverflowError e) {
            skipping[0] = SKIPPED_AFTER_OVERFLOW;
            return false;
        }
    }

    // The arguments rotate so that no frame can be folded into another; each frame holds its own copies.
    private static long descend(int n, long a0, long a1, long a2, long a3, long a4, long a5, long a6, long a7,
            long a8, long a9, long a10, long a11, long a12, long a13, long a14, long a15, long a16,
            long a17, long a18, long a19, long a20, long a21, long a22, long a23, long a24, long a25,
            long a26, long a27, long a28, long a29, long a30, long a31, long a32, long a33, long a34,
            long a35, long a36, long a37, long a38, long a39, long a40, long a41, long a42, long a43,
            long a44, long a45, long a46, long a47, long a48, long a49, long a50, long a51, long a52,
            long a53, long a54, long a55, long a56, long a57, long a58, long a59, long a60, long a61) {
        if (n == 0) {
            return a0 | 1;
        }
        return descend(n - 1, a61, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17,
                a18, a19, a20, a21, a22, a23, a24, a25, a26, a27, a28, a29, a30, a31, a32, a33, a34, a35, a36, a37,
                a38, a39, a40, a41, a42, a43, a44, a45, a46, a47, a48, a49, a50, a51, a52, a53, a54, a55, a56, a57,
                a58, a59, a60) + (a0 ^ a61);
    }
}
