package dev.recall.agent.store.remote;

import dev.recall.agent.config.StoreKind;
import java.time.Duration;

/**
 * What a {@link RemoteLink} tells its store about itself, fixed when it is made: the same few facts for Redis and
 * Memcached, read from their own settings. Immutable, so shared freely.
 *
 * @param kind         what the configuration calls the store
 * @param name         "Redis" or "Memcached", for messages
 * @param keys         the names of entries, locks and generations there
 * @param maxValueSize the largest payload stored
 * @param maxStaleness the longest any entry lives there whatever its ttl; {@code null}: no bound
 * @param lockTimeout  how long a JVM waits for another's load of the same key
 */
record LinkFacts(StoreKind kind, String name, RemoteKeys keys, long maxValueSize, Duration maxStaleness,
                 Duration lockTimeout) {

    /** Room for the envelope around a payload ({@link EntrySeal}: 3 + 32 + 24 bytes), rounded up. */
    private static final long ENVELOPE_ROOM = 64;

    /** Values longer than this are not read: the largest payload allowed and room for the envelope. */
    long readLimit() {
        return maxValueSize + ENVELOPE_ROOM;
    }
}
