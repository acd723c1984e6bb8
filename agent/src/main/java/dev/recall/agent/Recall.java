package dev.recall.agent;

import dev.recall.agent.cli.AttachProtocol;
import dev.recall.agent.log.Log;

import dev.recall.agent.config.ConfigError;
import dev.recall.agent.config.ConfigLoader;
import dev.recall.agent.config.MethodPattern;
import dev.recall.agent.advise.Advisor;
import dev.recall.agent.config.RecallConfig;
import dev.recall.agent.instrumentation.Instrumenter;
import dev.recall.agent.method.MethodRegistry;
import dev.recall.agent.store.Regions;
import dev.recall.agent.store.remote.MemcachedStores;
import dev.recall.agent.store.remote.RedisStores;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import dev.recall.agent.method.CachedMethod;
import dev.recall.agent.telemetry.MeterBindings;
import dev.recall.agent.telemetry.AgentMeters;
import dev.recall.agent.telemetry.ApplicationMeters;
import dev.recall.agent.telemetry.OtlpExport;
import dev.recall.agent.telemetry.PrometheusEndpoint;
import dev.recall.agent.config.MetricsSettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.recall.agent.telemetry.Sampler;
import dev.recall.agent.telemetry.alert.Alerts;
import dev.recall.agent.telemetry.jmx.AgentStatus;
import dev.recall.agent.telemetry.jmx.JmxExporter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The running agent: configuration, regions, cached methods and the problems found so far. One per JVM,
 * created once by {@link RecallAgent}; its collections are concurrent because class-loading threads add
 * to them while operators read them.
 */
public final class Recall implements AgentStatus {

    /** Exit status of a JVM stopped by strict mode: EX_CONFIG from sysexits.h. */
    static final int STRICT_EXIT = 78;

    private final RecallConfig config;
    private final boolean strict;
    private final boolean atStartup;
    private final MethodRegistry methods;
    /** Advise mode's observers, or {@code null} when nothing is advised. */
    private final Advisor advisor;
    /** {@code null} without a {@code redis:} section. */
    private final RedisStores redis;
    /** {@code null} without a {@code memcached:} section. */
    private final MemcachedStores memcached;
    private final List<ConfigError> errors = new CopyOnWriteArrayList<>();
    private final LongAdder failures = new LongAdder();
    /** Created on the background thread with the first method's meters: Micrometer is not needed at startup. */
    private volatile MeterRegistry meters;
    /** The Prometheus registry among {@link #meters}, when metrics.prometheus is on. */
    private PrometheusMeterRegistry prometheusRegistry;
    private final ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "recall-background");
        t.setDaemon(true);
        return t;
    });

    private Recall(RecallConfig config, boolean strict, boolean atStartup) {
        this.config = config;
        this.redis = config.usable() && config.redis() != null ? new RedisStores(config.redis(), config.near()) : null;
        this.memcached = config.usable() && config.memcached() != null ? new MemcachedStores(config.memcached()) : null;
        this.methods = new MethodRegistry(new Regions(remoteStores(redis, memcached)), config.writeBack(), maxMethods());
        this.advisor = config.usable() && config.advises() ? new Advisor() : null;
        this.strict = strict;
        this.atStartup = atStartup;
    }

    /**
     * The installation whose configuration was refused, if the last one was: a later attach with a fixed
     * file replaces it, so its background thread (and the Agent MBean that shows its errors) must go.
     * Written and read under RecallAgent's lock.
     */
    private static Recall refused;

    /**
     * Called reflectively by {@link RecallAgent} once the bridge is on the bootstrap path.
     *
     * @return one line for the attach command: {@code ok ...} when installed, {@code refused ...} with the
     *         reasons when the configuration was not applied
     */
    public static String start(String args, Instrumentation instrumentation, boolean atStartup) {
        long began = System.nanoTime();
        AgentArgs options = AgentArgs.parse(args);
        RecallConfig config = withAdviseOption(loadConfig(options), options);
        long configLoaded = System.nanoTime();
        if (refused != null) {
            refused.background.shutdownNow();
            refused = null;
        }
        Recall recall = new Recall(config, options.strict(), atStartup);
        config.errors().forEach(recall::report);
        if (!config.usable()) {
            if (Log.debugEnabled()) {
                Log.debug("start-up: configuration " + (configLoaded - began) / 1_000_000 + " ms, refused");
            }
            if (recall.strict && atStartup) {
                // Whatever the error, the user asked for a JVM that does not run on a file it could not apply.
                Log.error("strict mode (-Drecall.strict=true): stopping the JVM because " + config.source() + " has "
                        + config.errors().size() + " error(s), listed above");
                System.exit(STRICT_EXIT);
            }
            Log.error(config.source() + " has " + config.errors().size() + " error(s), listed above: nothing is cached "
                    + "until they are fixed, and the application runs as if the agent were absent"
                    + " (attach again with the fixed file to apply it without a restart)");
            // The errors are shown on the Agent MBean too, for operators who never see stderr.
            recall.startTelemetry();
            refused = recall;
            StringBuilder why = new StringBuilder("refused ").append(config.source()).append(" has ")
                    .append(config.errors().size()).append(" error(s); nothing is cached until they are fixed,"
                            + " then attach again with the fixed file:");
            for (ConfigError e : config.errors()) {
                why.append("\n  ").append(e);
            }
            return why.toString();
        }
        long created = System.nanoTime();
        recall.releaseUnloadedMethods();
        recall.startTelemetry();
        long telemetry = System.nanoTime();
        Instrumenter instrumenter = new Instrumenter(config, recall.methods, recall.advisor, recall::methodError, recall.failures,
                instrumentation);
        instrumenter.install(atStartup);
        long installed = System.nanoTime();
        if (Log.debugEnabled()) { // String.format costs milliseconds the first time, so only when asked for
            Log.debug("start-up: configuration " + (configLoaded - began) / 1_000_000 + " ms, registry "
                    + (created - configLoaded) / 1_000_000 + " ms, telemetry " + (telemetry - created) / 1_000_000
                    + " ms, transformer " + (installed - telemetry) / 1_000_000 + " ms");
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(installed - began);
        String summary = "agent " + agentVersion() + " " + (atStartup ? "started" : "attached") + " in " + ms + " ms; "
                + (config.source() == null ? "no configuration file (annotations only)"
                : "configuration " + config.source() + " (" + config.methods().size() + " method rules, "
                + config.evictions().size() + " evict rules)");
        Log.info(summary);
        if (recall.advisor != null) {
            Log.info("advise mode: observing the methods of " + config.advise() + " and caching nothing there; "
                    + "java -jar recall-agent.jar advise " + ProcessHandle.current().pid() + " prints what to cache");
            recall.background.scheduleWithFixedDelay(recall.advisor::tick, 1, 1, TimeUnit.SECONDS);
        }
        recall.warnAboutUnmatchedRules(instrumenter);
        return AttachProtocol.OK + summary;
    }

    /** The file's configuration with the {@code advise=} patterns of the agent option added; a bad one is an error of it. */
    private static RecallConfig withAdviseOption(RecallConfig config, AgentArgs options) {
        List<MethodPattern> patterns = new ArrayList<>();
        List<ConfigError> errors = new ArrayList<>(config.errors());
        for (String text : options.advise()) {
            try {
                patterns.add(MethodPattern.parseClasses(text));
            } catch (IllegalArgumentException e) {
                errors.add(new ConfigError("agent option advise=" + text, e.getMessage()));
            }
        }
        if (errors.size() > config.errors().size()) {
            return config.withErrors(errors);
        }
        return config.advising(patterns);
    }

    /**
     * The configuration file, read so that nothing it causes escapes as an exception: an error of any kind
     * becomes a {@link ConfigError} naming the file, which strict mode then stops the JVM for like any other.
     */
    private static RecallConfig loadConfig(AgentArgs options) {
        if (options.config() == null) {
            return RecallConfig.none();
        }
        Path path = options.config();
        String file = path.toString();
        try {
            path = path.toAbsolutePath();
            file = path.toString();
            return ConfigLoader.load(path);
        } catch (Throwable t) {
            return RecallConfig.refused(file, new ConfigError(file, "could not be read (" + t + "); nothing in it is "
                    + "applied. This is a fault of the agent: please report it with the file"));
        }
    }

    /**
     * Metrics, JMX and alerts. Everything runs on the background thread: meters and MBeans for a method
     * are created there, not on the class-loading thread that registered it, and both only appear after
     * {@code recall.jmx.delay} (5s): JMX must not be touched while the application is starting.
     */
    private void startTelemetry() {
        long jmxDelayNanos = durationProperty("recall.jmx.delay", Duration.ofSeconds(5)).toNanos();
        long sampleMillis = durationProperty("recall.sampleInterval", Duration.ofSeconds(5)).toMillis();
        // Nothing of JMX, Micrometer or the alerts is even loaded before the delay: on a machine with few
        // cores that would slow the application's own start. Figures are kept from the first call
        // regardless; the beans and meters are views of them, so coming late loses nothing.
        background.schedule(() -> {
            JmxExporter jmx = new JmxExporter(this);
            if (advisor != null) {
                jmx.advisor(advisor);
            }
            // Meters only where something reads them: with no exporter, a registry of its own would hold
            // about 4 KB of meters per called method that nobody ever sees (issue 28). JMX reads the figures
            // directly, so it loses nothing.
            MetricsSettings exports = config.usable() ? config.metrics() : MetricsSettings.NONE;
            boolean exporting = exports.prometheus() != null || exports.otlp() != null;
            MeterBindings meterBindings = exporting ? new MeterBindings(this::meters) : null;
            MeterBindings applicationBindings = config.usable() && config.metrics().globalRegistry()
                    ? new MeterBindings(new ApplicationMeters()) : null;
            // Listen first, then take the methods so far: a method registered in between is seen twice,
            // which the exporter and Micrometer both take as once, rather than not at all. Released
            // methods are told on this same thread (see releaseUnloaded below), after their addition.
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
                AgentMeters.bind(meters(), this);
            }
            if (exports.prometheus() != null) {
                meters();
                PrometheusEndpoint.start(exports.prometheus(), prometheusRegistry);
            }
            Alerts alerts = new Alerts(config.usable() ? config.alerts() : List.of(), jmx.agentBean());
            jmx.agentBean().countWebhookFailures(alerts.webhooks()::failures);
            background.scheduleAtFixedRate(new Sampler(methods::all, alerts), sampleMillis, sampleMillis, TimeUnit.MILLISECONDS);
        }, jmxDelayNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * On the background thread, once a second: methods whose class loader the GC collected are let go
     * (bridge slot, registry, MBean, meters). Polling a reference queue costs nothing when it is empty.
     */
    private void releaseUnloadedMethods() {
        background.scheduleWithFixedDelay(() -> {
            try {
                methods.releaseUnloaded();
            } catch (Throwable t) {
                // A scheduled task that throws is never run again: keep releasing.
                Log.once("release|" + t.getClass().getName(), "releasing the methods of unloaded classes failed", t);
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    /** {@code -Drecall.maxMethods=N}: how many methods may be cached at once (default 10,000). */
    private static int maxMethods() {
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

    private static Duration durationProperty(String name, Duration fallback) {
        String configured = System.getProperty(name);
        if (configured == null) {
            return fallback;
        }
        if (configured.matches("0+(ms|s)?")) {
            return Duration.ZERO;
        }
        try {
            return dev.recall.agent.config.Durations.parse(configured);
        } catch (IllegalArgumentException e) {
            Log.warn("-D" + name + ": " + e.getMessage() + "; using " + dev.recall.agent.config.Durations.format(fallback));
            return fallback;
        }
    }

    private void warnAboutUnmatchedRules(Instrumenter instrumenter) {
        if (!config.hasRules()) {
            return;
        }
        Duration delay = durationProperty("recall.unmatchedRuleDelay", Duration.ofSeconds(60));
        background.schedule(() -> {
            for (String rule : instrumenter.unmatchedRules()) {
                Log.warn(rule + " matched no method of any class loaded so far; check the class and method names "
                        + "(a rule on an interface applies to the classes that implement it)");
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void report(ConfigError error) {
        errors.add(error);
        Log.error("config: " + error);
    }

    /** A method whose settings cannot work, found when its class loads: it runs uncached. */
    private void methodError(ConfigError error) {
        report(error);
        if (strict && atStartup) {
            Log.error("strict mode (-Drecall.strict=true): stopping the JVM because of the configuration error above");
            // halt, not exit: we are inside class loading, where shutdown hooks could deadlock.
            Runtime.getRuntime().halt(STRICT_EXIT);
        }
    }

    public static String agentVersion() {
        String v = Recall.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public String version() {
        return agentVersion();
    }

    /** Memcached's stores for {@code store: memcached}, Redis's for the others; {@code null} when neither is configured. */
    private static dev.recall.agent.store.RemoteStores remoteStores(RedisStores redis, MemcachedStores memcached) {
        if (memcached == null) {
            return redis;
        }
        return new dev.recall.agent.store.RemoteStores() {
            @Override
            public dev.recall.agent.store.RemoteStore create(String region, dev.recall.agent.config.StoreKind kind) {
                return of(kind).create(region, kind);
            }

            @Override
            public void prepare(dev.recall.agent.config.StoreKind kind) {
                of(kind).prepare(kind);
            }

            private dev.recall.agent.store.RemoteStores of(dev.recall.agent.config.StoreKind kind) {
                return kind == dev.recall.agent.config.StoreKind.MEMCACHED || redis == null ? memcached : redis;
            }
        };
    }

    /** {@code MemcachedState} of the Agent MBean: UP, DOWN, PROBING; NOT_CONFIGURED or UNUSED without Memcached. */
    @Override
    public String memcachedState() {
        if (memcached == null) {
            return "NOT_CONFIGURED";
        }
        return memcached.state().name();
    }

    /** {@code RedisState} of the Agent MBean: UP, DOWN, PROBING; NOT_CONFIGURED or UNUSED without Redis. */
    @Override
    public String redisState() {
        if (redis == null) {
            return "NOT_CONFIGURED";
        }
        return redis.state().name();
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

    public String configPath() {
        return config.source();
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
    public List<CachedMethod> methods() {
        return methods.all();
    }

    @Override
    public List<dev.recall.agent.method.MethodSpec> matched() {
        return methods.matched().stream().map(dev.recall.agent.method.LazyMethod::spec).toList();
    }

    /** The Micrometer registry the meters live in; the same figures as JMX. */
    public synchronized MeterRegistry meters() {
        if (meters == null) {
            MetricsSettings exports = config.usable() ? config.metrics() : MetricsSettings.NONE;
            List<MeterRegistry> registries = new ArrayList<>();
            if (exports.prometheus() != null) {
                prometheusRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
                registries.add(prometheusRegistry);
            }
            if (exports.otlp() != null) {
                registries.add(OtlpExport.registry(exports.otlp()));
            }
            meters = registries.isEmpty() ? new SimpleMeterRegistry() : registries.size() == 1 ? registries.get(0)
                    : new io.micrometer.core.instrument.composite.CompositeMeterRegistry(io.micrometer.core.instrument.Clock.SYSTEM,
                    registries);
        }
        return meters;
    }

    @Override
    public long failures() {
        return failures.sum();
    }
}
