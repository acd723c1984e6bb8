package dev.recall.agent.telemetry;

import dev.recall.agent.telemetry.jmx.AgentStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** The agent's own meters, registered once: the Redis store's state as a gauge per state (1 for the current one). */
public final class AgentMeters {

    private static final String[] STATES = {"UP", "PROBING", "DOWN"};

    private AgentMeters() {
    }

    public static void bind(MeterRegistry registry, AgentStatus status) {
        for (String state : STATES) {
            Gauge.builder("recall.redis.state", status, s -> state.equals(s.redisState()) ? 1 : 0).tag("state", state)
                    .description("1 for the Redis store's current state (UP, PROBING while recovering, DOWN), else 0")
                    .register(registry);
        }
    }
}
