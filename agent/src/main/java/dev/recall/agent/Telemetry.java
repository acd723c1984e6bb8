package dev.recall.agent;

import dev.recall.agent.advise.Advisor;
import dev.recall.agent.config.MetricsSettings;
import dev.recall.agent.config.RecallConfig;
import dev.recall.agent.method.CachedMethod;
import dev.recall.agent.method.MethodRegistry;
import dev.recall.agent.telemetry.AgentMeters;
import dev.recall.agent.telemetry.ApplicationMeters;
import dev.recall.agent.telemetry.MeterBindings;
import dev.recall.agent.telemetry.OtlpExport;
import dev.recall.agent.telemetry.PrometheusEndpoint;
import dev.recall.agent.telemetry.Sampler;
import dev.recall.agent.telemetry.alert.Alerts;
import dev.recall.agent.telemetry.jmx.AgentStatus;
import dev.recall.agent.telemetry.jmx.JmxExporter;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Connects the running agent's figures to what reads them from outside: JMX, the Micrometer exporters
 * (Prometheus, OTLP, the application's global registry) and the alerts. Everything runs on the agent's background
 * thread: meters and MBeans for a method are created there, not on the class-loading thread that registered it.
 */
final class Telemetry {

    private final RecallConfig config;
    private final MethodRegistry methods;
    /** {@code null} when nothing is advised. */
    private final Advisor advisor;
    private final AgentStatus status;
    private final ScheduledExecutorService background;
    /** Created on the background thread with the first method's meters: Micrometer is not needed at startup. */
    private MeterRegistry meters;
    /** The Prometheus registry among {@link #meters}, when metrics.prometheus is on. */
    private PrometheusMeterRegistry prometheusRegistry;

    Telemetry(RecallConfig config, MethodRegistry methods, Advisor advisor, AgentStatus status,
              ScheduledExecutorService background) {
        this.config = config;
        this.methods = methods;
        this.advisor = advisor;
        this.status = status;
        this.background = background;
    }

    /**
     * Metrics, JMX and alerts, which only appear after {@code recall.jmx.delay} (5s): JMX must not be touched
     * while the application is starting.
     */
    void start() {
        long jmxDelayNanos = AgentProperties.jmxDelay().toNanos();
        long sampleMillis = AgentProperties.sampleInterval().toMillis();
        // Nothing of JMX, Micrometer or the alerts is even loaded before the delay: on a machine with few
        // cores that would slow the application's own start. Figures are kept from the first call
        // regardless; the beans and meters are views of them, so coming late loses nothing.
        background.schedule(() -> {
            JmxExporter jmx = new JmxExporter(status);
            if (advisor != null) {
                jmx.advisor(advisor);
            }
            // Meters only where something reads them: with no exporter, a registry of its own would hold
            // about 4 KB of meters per called method that nobody ever sees (issue 28). JMX reads the figures
            // directly, so it loses nothing.
            MetricsSettings exports = exports();
            boolean exporting = exports.prometheus() != null || exports.otlp() != null;
            MeterBindings meterBindings = exporting ? new MeterBindings(this::meters) : null;
            MeterBindings applicationBindings = config.usable() && config.metrics().globalRegistry()
                    ? new MeterBindings(new ApplicationMeters()) : null;
            // Listen first, then take the methods so far: a method registered in between is seen twice,
            // which the exporter and Micrometer both take as once, rather than not at all. Released
            // methods are told on this same thread (see Recall.releaseUnloadedMethods), after their addition.
            methods.onRegistered(m -> background.execute(() -> {
                jmx.methodAdded(m);
                if (meterBindings != null) {
                    meterBindings.bind(m);
                }
                if (applicationBindings != null) {
                    applicationBindings.bind(m);
                }
            }));
            methods.onReleased(m -> {
                jmx.methodRemoved(m);
                if (meterBindings != null) {
                    meterBindings.unbind(m);
                }
                if (applicationBindings != null) {
                    applicationBindings.unbind(m);
                }
            });
            jmx.start();
            for (CachedMethod m : methods.all()) {
                if (meterBindings != null) {
                    meterBindings.bind(m);
                }
                if (applicationBindings != null) {
                    applicationBindings.bind(m);
                }
            }
            if (exporting) {
                AgentMeters.bind(meters(), status);
            }
            if (exports.prometheus() != null) {
                meters();
                PrometheusEndpoint.start(exports.prometheus(), prometheusRegistry);
            }
            Alerts alerts = new Alerts(config.usable() ? config.alerts() : List.of(), jmx.agentBean());
            jmx.agentBean().countWebhookFailures(alerts::webhookFailures);
            background.scheduleAtFixedRate(new Sampler(methods::all, alerts), sampleMillis, sampleMillis, TimeUnit.MILLISECONDS);
        }, jmxDelayNanos, TimeUnit.NANOSECONDS);
    }

    private MetricsSettings exports() {
        return config.usable() ? config.metrics() : MetricsSettings.NONE;
    }

    /** The Micrometer registry the meters live in; the same figures as JMX. Made once, under this object's lock. */
    private synchronized MeterRegistry meters() {
        if (meters == null) {
            MetricsSettings exports = exports();
            List<MeterRegistry> registries = new ArrayList<>();
            if (exports.prometheus() != null) {
                prometheusRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
                registries.add(prometheusRegistry);
            }
            if (exports.otlp() != null) {
                registries.add(OtlpExport.registry(exports.otlp()));
            }
            meters = registries.isEmpty() ? new SimpleMeterRegistry() : registries.size() == 1 ? registries.get(0)
                    : new CompositeMeterRegistry(Clock.SYSTEM, registries);
        }
        return meters;
    }
}
