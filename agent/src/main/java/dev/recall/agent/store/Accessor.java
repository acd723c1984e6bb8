package dev.recall.agent.store;

import dev.recall.agent.config.MethodSignature;
import dev.recall.agent.metrics.RemoteCounters;
import java.util.List;

/**
 * The method on whose behalf a store is read or written. A local store ignores it; a remote store needs
 * it to read values back (the method's class loader and declared type) and to count what it met.
 */
public interface Accessor {

    /** The loader of the method's class: application classes in values are resolved through it. */
    ClassLoader loader();

    /** The declared return type; {@code Object.class} when it cannot be resolved. */
    Class<?> valueType();

    /** How long the method's entries live. */
    long ttlNanos();

    /** How long past its TTL an entry is kept, to be served if its reload fails; zero: not at all. */
    default long staleIfErrorNanos() {
        return 0;
    }

    RemoteCounters remote();

    /** The method, for messages and for the classes its values may hold. */
    MethodSignature signature();

    /** For calls that have no method behind them (an operator's invalidation over JMX). */
    Accessor NONE = new Accessor() {
        private final RemoteCounters counters = new RemoteCounters();

        @Override
        public ClassLoader loader() {
            return null;
        }

        @Override
        public Class<?> valueType() {
            return Object.class;
        }

        @Override
        public long ttlNanos() {
            return 0;
        }

        @Override
        public RemoteCounters remote() {
            return counters;
        }

        private final MethodSignature operator = new MethodSignature("(operator)", "invalidate", List.of());

        @Override
        public MethodSignature signature() {
            return operator;
        }
    };
}
