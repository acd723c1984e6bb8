package dev.recall.agent.advise;

import dev.recall.agent.key.Fingerprint;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The latest analysed results of every observed method, so that a change in what one method returns can be traced to
 * the method that wrote it: when {@code findProduct(7)} starts returning a product equal by value to what
 * {@code save(product)} returned a moment before, and that product's {@code id} is 7, {@code save} is the writer of
 * {@code findProduct}'s entries, keyed {@code {0.id}}, and can write through instead of a short TTL. Each slot holds
 * the method, the fingerprint of its result and, weakly, its first argument (to find which of its properties is the
 * reader's key); 1,024 slots, the oldest overwritten. Only a method whose arguments never repeat counts as a writer:
 * two readers of the same data return the same values too.
 *
 * <p>Shared by every observed method's analysed calls. A slot is replaced whole (one volatile array element), so a
 * reader sees a slot as it was written or its successor; losing a race loses one sample, which is all it costs.
 */
final class RecentResults {

    private static final int SLOTS = 1024;

    /** One for the JVM: a writer and its readers may be any two observed methods. */
    static final RecentResults SHARED = new RecentResults();

    /** One result, as written. */
    record Written(Observer writer, long result, WeakReference<Object> firstArgument) {
    }

    /** A writer found: the method and where in its first argument the reader's key is ({@code ""}: the argument itself). */
    record Writer(Observer writer, String path) {
    }

    private final AtomicReferenceArray<Written> slots = new AtomicReferenceArray<>(SLOTS);
    private final AtomicInteger next = new AtomicInteger();

    /** Whether any result was written at all: until then a reader has nothing to look for. */
    boolean any() {
        return next.get() != 0;
    }

    void written(Observer writer, long result, Object firstArgument) {
        slots.set(next.getAndIncrement() & (SLOTS - 1), new Written(writer, result,
                firstArgument == null ? null : new WeakReference<>(firstArgument)));
    }

    /**
     * Each method other than {@code reader} that lately returned {@code result}, with the property of its first argument
     * whose value has the fingerprint {@code key} (the reader's one argument): a service method and the repository method
     * it calls may both have returned what they wrote.
     */
    List<Writer> writersOf(Observer reader, long result, long key) {
        List<Writer> found = new ArrayList<>();
        for (int i = 0; i < SLOTS; i++) {
            Written w = slots.get(i);
            if (w == null || w.writer() == reader || w.result() != result || w.firstArgument() == null
                    || !(w.writer().writes() || w.writer().evidence().neverRepeated())) {
                continue; // another reader of the same data returned the value too: it read, it did not write
            }
            boolean known = false;
            for (Writer f : found) {
                known |= f.writer() == w.writer();
            }
            Object argument = known ? null : w.firstArgument().get();
            String path = argument == null ? null : pathTo(argument, key);
            if (path != null) {
                found.add(new Writer(w.writer(), path));
            }
        }
        return found;
    }

    /** {@code ""} if {@code value} itself has the fingerprint {@code key}, else the name of its field that has, else {@code null}. */
    private static String pathTo(Object value, long key) {
        if (Fingerprint.of(value, Evidence.MAX_NODES) == key) {
            return "";
        }
        for (Class<?> c = value.getClass(); c != null && !c.getName().startsWith("java."); c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    if (Fingerprint.of(f.get(value), Evidence.MAX_NODES) == key) {
                        return f.getName();
                    }
                } catch (RuntimeException | IllegalAccessException unreadable) {
                    // a field of a module not open to the agent: not a key we can name
                }
            }
        }
        return null;
    }
}
