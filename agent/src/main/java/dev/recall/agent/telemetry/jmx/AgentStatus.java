package dev.recall.agent.telemetry.jmx;

import dev.recall.agent.method.CachedMethod;
import dev.recall.agent.method.MethodSpec;
import java.util.List;

/** What the Agent MBean shows about the agent as a whole; implemented by the running agent. */
public interface AgentStatus {

    String version();

    /** The configuration file, or {@code null} when there is none. */
    String configPath();

    boolean strict();

    List<String> configErrors();

    /** Failures not tied to one method, such as a class that could not be instrumented. */
    long failures();

    /** The methods called so far: each has its region, counters and MBean from its first call on. */
    List<CachedMethod> methods();

    /** Every method a rule or annotation matched, called or not (InstrumentedMethods). */
    List<MethodSpec> matched();

    /** UP, DOWN or PROBING; NOT_CONFIGURED without a redis: section, UNUSED while no method uses Redis. */
    String redisState();

    /** UP, DOWN or PROBING; NOT_CONFIGURED without a memcached: section, UNUSED while no method uses Memcached. */
    default String memcachedState() {
        return "NOT_CONFIGURED";
    }

    /** Writes and invalidations that could not reach Redis when made (kept, delivered later); 0 without Redis. */
    long undeliveredWrites();

    /** Writes and invalidations no replica acknowledged within the wait (a failover may lose them); 0 without replicas. */
    default long unreplicatedWrites() {
        return 0;
    }

    /** Changes of Redis master seen (failovers); 0 without replicas. */
    default long redisTopologyChanges() {
        return 0;
    }
}
