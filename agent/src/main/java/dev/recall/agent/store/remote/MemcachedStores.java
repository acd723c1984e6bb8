package dev.recall.agent.store.remote;

import dev.recall.agent.config.MemcachedSettings;
import dev.recall.agent.config.StoreKind;
import dev.recall.agent.store.RemoteStore;
import dev.recall.agent.store.RemoteStores;
import java.util.List;

/**
 * Makes the Memcached-backed stores of every region: the Redis store's logic ({@link RedisStore}: sealing, fences,
 * tombstones, single flight, rotation) over one {@link MemcachedConnector}, connected on first need. Shared;
 * creation is synchronized (it happens as classes load, before traffic).
 */
public final class MemcachedStores implements RemoteStores {

    private final MemcachedSettings settings;
    private final EntrySeal seal;
    private final Codecs codecs;
    private final NewestSeen newestSeen = new NewestSeen();
    private final List<RedisStore.OlderSecret> older;
    private MemcachedConnector connector;

    public MemcachedStores(MemcachedSettings settings) {
        this.settings = settings;
        this.seal = new EntrySeal(settings.secret());
        this.codecs = new Codecs(settings.allowClasses());
        this.older = RedisStores.older(settings.keyPrefix(), settings.secrets());
    }

    /** The connector, or {@code null} while no region has asked for Memcached. */
    synchronized MemcachedConnector connector() {
        return connector;
    }

    /** {@link RedisState#UNUSED} while no region has asked for Memcached. */
    public RedisState state() {
        return RemoteOutage.stateOf(connector());
    }

    /** Writes and invalidations that could not reach Memcached when they were made, since start. */
    public long undelivered() {
        return RemoteOutage.undeliveredOf(connector());
    }

    /** @param kind always {@link StoreKind#MEMCACHED}: two-level over Memcached is refused when the file is loaded */
    @Override
    public synchronized void prepare(StoreKind kind) {
        if (connector == null) {
            connector = new MemcachedConnector(settings);
            connector.start();
        }
    }

    @Override
    public synchronized RemoteStore create(String region, StoreKind kind) {
        prepare(kind);
        return new RedisStore(region, connector, seal, codecs, newestSeen, older);
    }
}
