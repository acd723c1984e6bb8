package dev.recall.agent.advise;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Which observed methods ran between two analysed calls of a reader that gave different results for equal
 * arguments: its data was written in between, by one of them (or by something not observed). A write that goes
 * through no method returning what it wrote (Hibernate's dirty checking saves a changed entity at commit; a
 * repository's {@code delete}) is traced this way, where {@link RecentResults} cannot: the method that ran is the
 * place to evict. Each observer keeps when its last call ended ({@link Observer#lastEnded()}), so a method called in
 * the window is one whose last call ended after it opened.
 *
 * <p>One for the JVM, as {@link RecentResults}: a reader and its writers may be any two observed methods. The list
 * is copy-on-write (appended to as classes load, read on each change seen, which is rare).
 */
final class WriteTrace {

    static final WriteTrace SHARED = new WriteTrace();

    private final List<Observer> observers = new CopyOnWriteArrayList<>();
    /**
     * Bumped when a call of a method that may write ends: the next call of each reader is then analysed, whatever its
     * sampling, so that a change a write made is seen (a sampled-out key would hide it, and the write go untraced).
     * Racy increments may lose a bump to another one, which is a bump all the same.
     */
    private volatile long epoch;

    long epoch() {
        return epoch;
    }

    /** A call of a method that may write ended. */
    @SuppressWarnings("NonAtomicOperationOnVolatileField")
    void mayHaveWritten() {
        epoch++;
    }

    void add(Observer o) {
        observers.add(o);
    }

    /** The observed methods other than {@code reader} a call of which ended after {@code from} and by {@code to}. */
    List<Observer> calledBetween(Observer reader, long from, long to) {
        List<Observer> out = new ArrayList<>();
        for (Observer o : observers) {
            long ended = o.lastEnded();
            if (o != reader && ended - from > 0 && to - ended >= 0) {
                out.add(o);
            }
        }
        return out;
    }
}
