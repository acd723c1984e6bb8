package dev.recall.agent;

import dev.recall.agent.config.ConfigError;
import dev.recall.agent.method.CachedMethod;
import dev.recall.agent.method.LazyMethod;
import dev.recall.agent.method.MethodRegistry;
import dev.recall.agent.method.MethodSpec;
import dev.recall.agent.store.remote.MemcachedStores;
import dev.recall.agent.store.remote.RedisStores;
import dev.recall.agent.telemetry.jmx.AgentStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * The running agent as the Agent MBean and the agent's meters show it, and the problems found so far. Shared
 * between the class-loading threads that report problems and the operators' threads that read them: the errors
 * are a copy-on-write list (added to rarely, read whole), the failures a {@link LongAdder}.
 */
final class StatusView implements AgentStatus {

    private final String configPath;
    private final boolean strict;
    private final MethodRegistry methods;
    /** {@code null} without a {@code redis:} section. */
    private final RedisStores redis;
    /** {@code null} without a {@code memcached:} section. */
    private final MemcachedStores memcached;
    private final List<ConfigError> errors = new CopyOnWriteArrayList<>();
    private final LongAdder failures = new LongAdder();

    StatusView(String configPath, boolean strict, MethodRegistry methods, RedisStores redis, MemcachedStores memcached) {
        this.configPath = configPath;
        this.strict = strict;
        this.methods = methods;
        this.redis = redis;
        this.memcached = memcached;
    }

    void add(ConfigError error) {
        errors.add(error);
    }

    /** Where the instrumentation counts the failures not tied to one method. */
    LongAdder failureCounter() {
        return failures;
    }

    @Override
    public String version() {
        return Recall.agentVersion();
    }

    @Override
    public String configPath() {
        return configPath;
    }

    @Override
    public boolean strict() {
        return strict;
    }

    @Override
    public List<String> configErrors() {
        List<String> out = new ArrayList<>();
        errors.forEach(e -> out.add(e.toString()));
        return out;
    }

    @Override
    public long failures() {
        return failures.sum();
    }

    @Override
    public List<CachedMethod> methods() {
        return methods.all();
    }

    @Override
    public List<MethodSpec> matched() {
        return methods.matched().stream().map(LazyMethod::spec).toList();
    }

    /** {@code MemcachedState} of the Agent MBean: UP, DOWN, PROBING; NOT_CONFIGURED or UNUSED without Memcached. */
    @Override
    public String memcachedState() {
        return memcached == null ? "NOT_CONFIGURED" : memcached.state().name();
    }

    /** {@code RedisState} of the Agent MBean: UP, DOWN, PROBING; NOT_CONFIGURED or UNUSED without Redis. */
    @Override
    public String redisState() {
        return redis == null ? "NOT_CONFIGURED" : redis.state().name();
    }

    @Override
    public long undeliveredWrites() {
        return (redis == null ? 0 : redis.undelivered()) + (memcached == null ? 0 : memcached.undelivered());
    }

    @Override
    public long unreplicatedWrites() {
        return redis == null ? 0 : redis.unreplicated();
    }

    @Override
    public long redisTopologyChanges() {
        return redis == null ? 0 : redis.topologyChanges();
    }
}
