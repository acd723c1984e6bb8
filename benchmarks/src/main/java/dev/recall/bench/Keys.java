package dev.recall.bench;

import java.util.Random;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The keys each benchmark thread cycles through: {@value Work#KEYS} of each shape, the same for every
 * case, all already cached by the case's {@code @Setup} so that the measured calls are hits. Quantities
 * go above 127 so that boxing an {@code int} is not hidden by the JDK's small-integer cache.
 */
@State(Scope.Thread)
public class Keys {

    final long[] ids = new long[Work.KEYS];
    final String[] skus = new String[Work.KEYS];
    final int[] quantities = new int[Work.KEYS];
    final Work.Order[] orders = new Work.Order[Work.KEYS];
    private int next;

    public Keys() {
        Random random = new Random(42);
        for (int i = 0; i < Work.KEYS; i++) {
            ids[i] = 1_000 + i;
            skus[i] = "SKU-" + (i % 64);
            quantities[i] = 200 + i;
            orders[i] = new Work.Order(1_000 + i, "customer-" + random.nextInt(100));
        }
    }

    /** The next index, cycling; a mask, not a modulo, so choosing a key costs next to nothing. */
    int next() {
        return next++ & (Work.KEYS - 1);
    }
}
