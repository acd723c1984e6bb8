package dev.recall.agent.store.remote;

import dev.recall.agent.config.NearSettings;
import dev.recall.agent.config.RedisSettings;
import dev.recall.agent.config.StoreKind;
import dev.recall.agent.store.RemoteStore;
import dev.recall.agent.store.RemoteStores;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes the Redis-backed stores of every region over one {@link RedisConnector}, connected on first need.
 * Shared; creation is synchronized (it happens as classes load, before traffic).
 */
public final class RedisStores implements RemoteStores {

    private final RedisSettings settings;
    private final NearSettings near;
    private final EntrySeal seal;
    private final Codecs codecs;
    private final NewestSeen newestSeen = new NewestSeen();
    private final List<RedisStore.OlderSecret> older;
    private RedisConnector connector;

    public RedisStores(RedisSettings settings, NearSettings near) {
        this.settings = settings;
        this.near = near;
        this.seal = new EntrySeal(settings.secret());
        this.codecs = new Codecs(settings.allowClasses());
        this.older = older(settings.keyPrefix(), settings.secrets());
    }

    /** The secrets after the first, still read while a rotation is under way (Redis and Memcached alike). */
    static List<RedisStore.OlderSecret> older(String keyPrefix, List<String> secrets) {
        List<RedisStore.OlderSecret> rotating = new ArrayList<>();
        for (String secret : secrets.subList(Math.min(1, secrets.size()), secrets.size())) {
            rotating.add(new RedisStore.OlderSecret(new RemoteKeys(keyPrefix, secret), new EntrySeal(secret)));
        }
        return List.copyOf(rotating);
    }

    /** The connector, or {@code null} while no region has asked for Redis. */
    synchronized RedisConnector connector() {
        return connector;
    }

    /** {@link RedisState#UNUSED} while no region has asked for Redis. */
    public RedisState state() {
        return RemoteOutage.stateOf(connector());
    }

    /** Writes and invalidations that could not reach Redis when they were made, since start ({@link RemoteOutage#undelivered}). */
    public long undelivered() {
        return RemoteOutage.undeliveredOf(connector());
    }

    /** Writes not acknowledged by a replica within the wait, since start ({@link Replication}). */
    public long unreplicated() {
        RedisConnector c = connector();
        return c == null ? 0 : c.unreplicated();
    }

    /** Changes of master seen since start (failovers). */
    public long topologyChanges() {
        RedisConnector c = connector();
        return c == null ? 0 : c.topologyChanges();
    }

    @Override
    public synchronized void prepare(StoreKind kind) {
        if (connector == null) {
            connector = new RedisConnector(settings);
            connector.start();
        }
        if (kind == StoreKind.TWO_LEVEL) {
            connector.holdLeases();
        }
    }

    @Override
    public synchronized RemoteStore create(String region, StoreKind kind) {
        prepare(kind);
        RedisStore redis = new RedisStore(region, connector, seal, codecs, newestSeen, older);
        return kind == StoreKind.TWO_LEVEL ? new TwoLevelStore(redis, near) : redis;
    }
}
