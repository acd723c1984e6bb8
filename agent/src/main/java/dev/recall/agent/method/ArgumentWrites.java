package dev.recall.agent.method;

import dev.recall.agent.key.Fingerprint;
import dev.recall.agent.key.KeyFunction;

/**
 * The arguments of one load as they were before the body ran, kept as fingerprints, so that a method that
 * writes into what its caller passed (fills a {@code Map} or a {@code Model}, appends to a list, sets a
 * field) is found: a cache hit would skip that write, so such a method must run uncached. Taken on a
 * method's first loads and on a sample of later ones (see {@link ReadMethod}), never on a hit; the advisor
 * takes it on its sampled calls. Confined to the calling thread.
 */
public final class ArgumentWrites {

    private final int arity;
    private final Object a0;
    private final Object a1;
    private final Object[] args;
    private final long[] before;
    /** How many objects each fingerprint visits at most. */
    private final int maxNodes;

    public ArgumentWrites(int arity, Object a0, Object a1, Object[] args) {
        this(arity, a0, a1, args, Integer.MAX_VALUE);
    }

    /** With fingerprints of at most {@code maxNodes} objects each: cheaper, blind to writes further in. */
    public ArgumentWrites(int arity, Object a0, Object a1, Object[] args, int maxNodes) {
        this.maxNodes = maxNodes;
        this.arity = arity;
        this.a0 = a0;
        this.a1 = a1;
        this.args = args;
        this.before = new long[arity];
        for (int i = 0; i < arity; i++) {
            before[i] = Fingerprint.of(argument(i), maxNodes);
        }
    }

    /** Argument {@code i} of the call. */
    public Object argument(int i) {
        return KeyFunction.argument(arity, i, a0, a1, args);
    }

    /** The fingerprint of argument {@code i} as it was before the body ran. */
    public long before(int i) {
        return before[i];
    }

    /** The index of the first argument whose state the body changed, or -1. */
    public int changed() {
        for (int i = 0; i < arity; i++) {
            if (Fingerprint.of(argument(i), maxNodes) != before[i]) {
                return i;
            }
        }
        return -1;
    }

    /** For the message: the runtime class of argument {@code i}. */
    public String typeOf(int i) {
        Object v = argument(i);
        return v == null ? "null" : v.getClass().getName();
    }
}
