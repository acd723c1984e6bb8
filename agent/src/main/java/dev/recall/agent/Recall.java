package dev.recall.agent;

import dev.recall.agent.advise.Advisor;
import dev.recall.agent.cli.AttachOutcome;
import dev.recall.agent.config.ConfigError;
import dev.recall.agent.config.ConfigLoader;
import dev.recall.agent.config.MethodPattern;
import dev.recall.agent.config.RecallConfig;
import dev.recall.agent.instrumentation.Instrumenter;
import dev.recall.agent.log.Log;
import dev.recall.agent.method.MethodRegistry;
import dev.recall.agent.store.Regions;
import dev.recall.agent.store.remote.MemcachedStores;
import dev.recall.agent.store.remote.RedisStores;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The running agent: configuration, regions, cached methods and the background thread that tends them. One per
 * JVM, created once by {@link RecallAgent}. What it shows operators is its {@link StatusView}; how that reaches
 * JMX and the exporters, its {@link Telemetry}.
 */
final class Recall {

    /** Exit status of a JVM stopped by strict mode: EX_CONFIG from sysexits.h. */
    static final int STRICT_EXIT = 78;

    private final RecallConfig config;
    private final boolean strict;
    private final boolean atStartup;
    private final MethodRegistry methods;
    /** Advise mode's observers, or {@code null} when nothing is advised. */
    private final Advisor advisor;
    private final StatusView status;
    private final ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "recall-background");
        t.setDaemon(true);
        return t;
    });

    private Recall(RecallConfig config, boolean strict, boolean atStartup) {
        this.config = config;
        RedisStores redis = config.usable() && config.redis() != null ? new RedisStores(config.redis(), config.near()) : null;
        MemcachedStores memcached = config.usable() && config.memcached() != null ? new MemcachedStores(config.memcached()) : null;
        this.methods = new MethodRegistry(new Regions(RemoteStoresByKind.of(redis, memcached)), config.writeBack(),
                AgentProperties.maxMethods());
        this.advisor = config.usable() && config.advises() ? new Advisor() : null;
        this.strict = strict;
        this.atStartup = atStartup;
        this.status = new StatusView(config.source(), strict, methods, redis, memcached);
    }

    /**
     * The installation whose configuration was refused, if the last one was: a later attach with a fixed
     * file replaces it, so its background thread (and the Agent MBean that shows its errors) must go.
     * Written and read under RecallAgent's lock.
     */
    private static Recall refused;

    /**
     * Called reflectively by {@link RecallAgent} once the bridge is defined in the bootstrap class loader.
     *
     * @return for the attach command: installed with a summary, or refused with the reasons when the
     *         configuration was not applied
     */
    public static AttachOutcome start(String args, Instrumentation instrumentation, boolean atStartup) {
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
            StringBuilder why = new StringBuilder().append(config.source()).append(" has ")
                    .append(config.errors().size()).append(" error(s); nothing is cached until they are fixed,"
                            + " then attach again with the fixed file:");
            for (ConfigError e : config.errors()) {
                why.append("\n  ").append(e);
            }
            return AttachOutcome.refused(why.toString());
        }
        long created = System.nanoTime();
        recall.releaseUnloadedMethods();
        recall.startTelemetry();
        long telemetry = System.nanoTime();
        Instrumenter instrumenter = new Instrumenter(config, recall.methods, recall.advisor, recall::methodError,
                recall.status.failureCounter(), instrumentation);
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
        return AttachOutcome.installed(summary);
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

    private void startTelemetry() {
        new Telemetry(config, methods, advisor, status, background).start();
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

    private void warnAboutUnmatchedRules(Instrumenter instrumenter) {
        if (!config.hasRules()) {
            return;
        }
        Duration delay = AgentProperties.unmatchedRuleDelay();
        background.schedule(() -> {
            for (String rule : instrumenter.unmatchedRules()) {
                Log.warn(rule + " matched no method of any class loaded so far; check the class and method names "
                        + "(a rule on an interface applies to the classes that implement it)");
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void report(ConfigError error) {
        status.add(error);
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

    static String agentVersion() {
        String v = Recall.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
