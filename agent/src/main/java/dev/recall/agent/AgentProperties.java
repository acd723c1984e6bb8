package dev.recall.agent;

import dev.recall.agent.config.Durations;
import dev.recall.agent.log.Log;
import dev.recall.agent.method.MethodRegistry;
import java.time.Duration;

/**
 * The agent's tuning knobs given as {@code -D} system properties rather than in the file: they are read once, at
 * start, and a value that cannot be read is warned about and replaced by its default, never an error.
 */
final class AgentProperties {

    private AgentProperties() {
    }

    /** {@code -Drecall.maxMethods=N}: how many methods may be cached at once (default 10,000). */
    static int maxMethods() {
        String configured = System.getProperty("recall.maxMethods");
        if (configured == null) {
            return MethodRegistry.DEFAULT_MAX_METHODS;
        }
        try {
            int n = Integer.parseInt(configured.trim().replace("_", ""));
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        Log.warn("-Drecall.maxMethods=" + configured + " is not a count of methods (write e.g. 20000); using "
                + MethodRegistry.DEFAULT_MAX_METHODS);
        return MethodRegistry.DEFAULT_MAX_METHODS;
    }

    /** {@code -Drecall.jmx.delay}: how long after start the MBeans, meters and alerts appear (default 5s). */
    static Duration jmxDelay() {
        return duration("recall.jmx.delay", Duration.ofSeconds(5));
    }

    /** {@code -Drecall.sampleInterval}: how often the alerts' figures are sampled (default 5s). */
    static Duration sampleInterval() {
        return duration("recall.sampleInterval", Duration.ofSeconds(5));
    }

    /** {@code -Drecall.unmatchedRuleDelay}: how long the application runs before rules that matched nothing are warned about (default 60s). */
    static Duration unmatchedRuleDelay() {
        return duration("recall.unmatchedRuleDelay", Duration.ofSeconds(60));
    }

    private static Duration duration(String name, Duration fallback) {
        String configured = System.getProperty(name);
        if (configured == null) {
            return fallback;
        }
        if (configured.matches("0+(ms|s)?")) {
            return Duration.ZERO;
        }
        try {
            return Durations.parse(configured);
        } catch (IllegalArgumentException e) {
            Log.warn("-D" + name + ": " + e.getMessage() + "; using " + Durations.format(fallback));
            return fallback;
        }
    }
}
