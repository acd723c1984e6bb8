package dev.recall.agent.telemetry.jmx;

import dev.recall.agent.method.CachedMethod;
import dev.recall.agent.method.MethodSpec;
import java.util.ArrayList;
import java.util.List;

/** A fixed {@link AgentStatus} for tests. */
public final class TestStatus implements AgentStatus {

    public final List<CachedMethod> methods = new ArrayList<>();
    public final List<String> configErrors = new ArrayList<>();
    public long failures;

    public TestStatus(CachedMethod... methods) {
        this.methods.addAll(List.of(methods));
    }

    @Override
    public String version() {
        return "test-1.0";
    }

    @Override
    public String configPath() {
        return null;
    }

    @Override
    public boolean strict() {
        return false;
    }

    @Override
    public List<String> configErrors() {
        return configErrors;
    }

    @Override
    public long failures() {
        return failures;
    }

    @Override
    public List<CachedMethod> methods() {
        return methods;
    }

    @Override
    public List<MethodSpec> matched() {
        return methods.stream().map(CachedMethod::spec).toList();
    }

    @Override
    public String redisState() {
        return "NOT_CONFIGURED";
    }

    @Override
    public long undeliveredWrites() {
        return 0;
    }
}
