package dev.recall.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import dev.recall.agent.config.YamlNode.Mapping;
import dev.recall.agent.config.YamlNode.Scalar;

/**
 * Reads {@code recall.yml} into a {@link RecallConfig}, collecting every problem with its file and line
 * rather than stopping at the first, so a user fixes a file in one pass.
 *
 * <p>The YAML is composed into nodes (which keep their line numbers) and walked by hand: a data-binding
 * library would lose the lines and accept misspelt keys silently. This class reads the top level and the small
 * sections; the others have their readers ({@link RuleReader}, {@link RemoteStoreReader}, {@link MetricsReader},
 * {@link AlertReader}), the values theirs ({@link Scalars}, {@link EnvReferences}).
 */
public final class ConfigLoader {

    private static final List<String> TOP_KEYS = List.of("defaults", "store", "methods", "evict", "redis", "memcached", "near", "writeBack",
            "alerts", "metrics", "advise", "verify", "caches");
    private static final List<String> NEAR_KEYS = List.of("ttl", "maxSize");
    private static final List<String> WRITE_BACK_KEYS = List.of("delay", "maxPending", "batchSize", "drainTimeout");

    private final Problems problems;
    private final Scalars in;
    private final RemoteStoreReader remoteStores;
    /** The {@code memcached:} section once read, or {@code null}. */
    private MemcachedSettings memcached;

    private ConfigLoader(String label, Function<String, String> environment) {
        this.problems = new Problems(label);
        this.in = new Scalars(problems);
        this.remoteStores = new RemoteStoreReader(in, new EnvReferences(in, environment));
    }

    /**
     * Reads a configuration file. Nothing escapes: whatever is wrong with the path or the file, and whatever
     * fails while reading it, comes back as a {@link ConfigError} naming the file (and the line when there is one).
     */
    public static RecallConfig load(Path file) {
        return ConfigFile.read(file);
    }

    public static RecallConfig parse(String label, String text) {
        return parse(label, text, System::getenv);
    }

    /** @param environment resolves the {@code ${NAME}} references in the {@code redis:} section */
    public static RecallConfig parse(String label, String text, Function<String, String> environment) {
        ConfigLoader loader = new ConfigLoader(label, environment);
        try {
            return loader.read(text);
        } catch (RuntimeException | StackOverflowError e) {
            // A file that makes the reader fail in a way nobody foresaw is still the user's file with a line:
            // say so there, and refuse the file like any other bad one, rather than let the failure reach premain.
            loader.problems.failure("reading this failed (" + e + "), so the file is not applied; check the setting here, "
                    + "and if it looks right, report the failure to the agent's maintainers with the file");
            return loader.empty();
        }
    }

    private RecallConfig read(String text) {
        problems.text(text);
        YamlNode root;
        try {
            root = YamlReader.read(text);
        } catch (YamlReader.YamlException e) {
            problems.errorAt(e.line, "not valid YAML: " + e.getMessage()
                    + "; check indentation (spaces, not tabs) and that every 'key: value' has a space after the colon");
            return empty();
        }
        if (root == null) {
            return empty();
        }
        Map<String, YamlNode> top = in.mapping(root, "the top level", TOP_KEYS);
        Map<String, YamlNode> topKeys = Scalars.keyNodes(root);
        RuleReader rules = new RuleReader(in);
        Defaults defaults = rules.defaults(top.get("defaults"));
        Double verify = Settings.VERIFY.read(in, top.get("verify"));
        if (verify != null) {
            if (top.get("defaults") instanceof Mapping d && Scalars.keyNodes(d).containsKey("verify")) {
                problems.error(top.get("verify"), "verify is given twice, at the top level and in defaults:; write it once");
            }
            defaults = defaults.with(Settings.VERIFY, verify);
        }
        List<MethodPattern> advise = readAdvise(top.get("advise"));
        StoreKind store = in.store(top.get("store"));
        RedisSettings redis = top.containsKey("redis") ? remoteStores.redis(top.get("redis"), topKeys.get("redis")) : null;
        memcached = top.containsKey("memcached") ? remoteStores.memcached(top.get("memcached"), topKeys.get("memcached")) : null;
        NearSettings near = readNear(top.get("near"));
        WriteBackSettings writeBack = readWriteBack(top.get("writeBack"));
        MetricsSettings metrics = new MetricsReader(in).read(top.get("metrics"));
        List<MethodRule> methods = new ArrayList<>();
        for (YamlNode n : in.sequence(top.get("methods"), "methods", "method")) {
            MethodRule r = rules.method(n);
            if (r != null) {
                methods.add(r);
            }
        }
        List<EvictRule> evictions = new ArrayList<>();
        for (YamlNode n : in.sequence(top.get("evict"), "evict", "method")) {
            EvictRule r = rules.evict(n);
            if (r != null) {
                evictions.add(r);
            }
        }
        List<AlertRule> alerts = new ArrayList<>();
        AlertReader alertReader = new AlertReader(in);
        for (YamlNode n : in.sequence(top.get("alerts"), "alerts", "metric")) {
            AlertRule r = alertReader.read(n, alerts.size() + 1);
            if (r != null) {
                alerts.add(r);
            }
        }
        checkRemoteSections(top);
        Map<String, MethodRule> caches = rules.caches(top.get("caches"));
        return result(defaults, methods, evictions, alerts, store, redis, near, writeBack, metrics).advising(advise)
                .withCaches(caches);
    }

    /** Each remote store named (at the top or in a rule) needs its section. */
    private void checkRemoteSections(Map<String, YamlNode> top) {
        for (YamlNode n : in.remoteStores()) {
            String name = ((Scalar) n).value();
            if (name.equals(StoreKind.MEMCACHED.configName())) {
                if (!top.containsKey("memcached")) {
                    problems.error(n, "store 'memcached' needs a 'memcached:' section saying where Memcached is, for example:  "
                            + "memcached: { servers: [127.0.0.1:11211], secret: ${RECALL_SECRET} }");
                }
            } else if (!top.containsKey("redis")) {
                if (name.equals(StoreKind.TWO_LEVEL.configName()) && top.containsKey("memcached")) {
                    problems.error(n, "store 'two-level' works over Redis only: its near tier is kept right by Redis's "
                            + "pub/sub, and Memcached has none, so a near copy could be served long after another JVM changed "
                            + "the value; use 'store: memcached' (every JVM reads Memcached, nothing is kept in the JVM), or add "
                            + "a 'redis:' section for two-level");
                } else {
                    problems.error(n, "store '" + name + "' needs a 'redis:' section "
                            + "saying where Redis is, for example:  redis: { uri: redis://127.0.0.1:6379, secret: ${RECALL_SECRET} }");
                }
            }
        }
    }

    /**
     * {@code advise:} a list of class patterns ({@code com.acme.**}), or of method patterns
     * ({@code com.acme.repo.*#find*(..)}), whose methods the advisor observes and nothing caches.
     */
    private List<MethodPattern> readAdvise(YamlNode node) {
        List<MethodPattern> patterns = new ArrayList<>();
        List<YamlNode> items = node instanceof Scalar s && !s.value().isEmpty() ? List.of(node) : in.sequence(node, "advise", "com.acme.**");
        for (YamlNode item : items) {
            String text = in.scalar(item, "an advise pattern");
            if (text == null) {
                continue;
            }
            try {
                patterns.add(MethodPattern.parseClasses(text));
            } catch (IllegalArgumentException e) {
                problems.error(item, "advise: " + e.getMessage());
            }
        }
        return patterns;
    }

    private NearSettings readNear(YamlNode node) {
        if (node == null) {
            return NearSettings.DEFAULT;
        }
        Map<String, YamlNode> m = in.mapping(node, "near", NEAR_KEYS);
        Duration ttl = in.duration(m.get("ttl"), "ttl");
        Long maxSize = in.positiveLong(m.get("maxSize"), "maxSize");
        return new NearSettings(ttl == null ? NearSettings.DEFAULT.ttl() : ttl,
                maxSize == null ? NearSettings.DEFAULT.maxSize() : maxSize);
    }

    private WriteBackSettings readWriteBack(YamlNode node) {
        WriteBackSettings d = WriteBackSettings.DEFAULT;
        if (node == null) {
            return d;
        }
        Map<String, YamlNode> m = in.mapping(node, "writeBack", WRITE_BACK_KEYS);
        Duration delay = m.containsKey("delay") ? in.duration(m.get("delay"), "delay") : d.delay();
        if (delay != null && delay.compareTo(Duration.ofMinutes(1)) > 0) {
            problems.error(m.get("delay"), "writeBack delay must be at most 1m (it is how long an accepted "
                    + "write waits before it reaches the method); got " + Durations.format(delay));
        }
        Long maxPending = in.positiveLong(m.get("maxPending"), "maxPending");
        Long batchSize = in.positiveLong(m.get("batchSize"), "batchSize");
        Duration drain = m.containsKey("drainTimeout") ? in.duration(m.get("drainTimeout"), "drainTimeout") : d.drainTimeout();
        return new WriteBackSettings(delay == null ? d.delay() : delay,
                maxPending == null ? d.maxPending() : (int) Math.min(maxPending, 10_000_000),
                batchSize == null ? d.batchSize() : (int) Math.min(batchSize, 100_000), drain == null ? d.drainTimeout() : drain);
    }

    /** A file applied as nothing: the built-in settings, and the problems that say why. */
    private RecallConfig empty() {
        return result(Defaults.BUILT_IN, List.of(), List.of(), List.of(), StoreKind.LOCAL, null, NearSettings.DEFAULT,
                WriteBackSettings.DEFAULT, MetricsSettings.NONE);
    }

    private RecallConfig result(Defaults defaults, List<MethodRule> methods, List<EvictRule> evictions, List<AlertRule> alerts,
                                StoreKind store, RedisSettings redis, NearSettings near, WriteBackSettings writeBack,
                                MetricsSettings metrics) {
        return new RecallConfig(problems.label(), defaults,
                new RecallConfig.Rules(List.copyOf(methods), List.copyOf(evictions), Map.of(), List.of()),
                new RecallConfig.Stores(store, redis, memcached, near), writeBack, metrics, List.copyOf(alerts), problems.listed());
    }
}
