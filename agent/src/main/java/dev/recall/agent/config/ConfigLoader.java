package dev.recall.agent.config;

import dev.recall.agent.config.StrategyKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.recall.agent.codec.ClassAllowlist;
import dev.recall.agent.config.YamlNode.Entry;
import dev.recall.agent.config.YamlNode.Mapping;
import dev.recall.agent.config.YamlNode.Scalar;
import dev.recall.agent.config.YamlNode.Sequence;

/**
 * Reads {@code recall.yml} into a {@link RecallConfig}, collecting every problem with its file and line
 * rather than stopping at the first, so a user fixes a file in one pass.
 *
 * <p>The YAML is composed into nodes (which keep their line numbers) and walked by hand: a data-binding
 * library would lose the lines and accept misspelt keys silently.
 */
public final class ConfigLoader {

    private static final List<String> TOP_KEYS = List.of("defaults", "store", "methods", "evict", "redis", "near", "writeBack",
            "alerts");
    private static final List<String> DEFAULT_KEYS = List.of("ttl", "maxSize", "cacheNulls", "loadWait");
    private static final List<String> METHOD_KEYS = List.of("method", "cache", "key", "ttl", "strategy", "maxSize", "cacheNulls", "store", "loadWait", "copy");
    private static final List<String> EVICT_KEYS = List.of("method", "cache", "key", "allEntries", "beforeInvocation");
    private static final List<String> ALERT_KEYS = List.of("name", "metric", "above", "below", "over", "method", "minCalls");
    private static final Duration LONGEST_ALERT_WINDOW = Duration.ofMinutes(10);
    private static final List<String> REDIS_KEYS = List.of("uri", "cluster", "timeout", "lockTimeout", "keyPrefix", "secret", "allowClasses", "insecure");
    private static final List<String> NEAR_KEYS = List.of("ttl", "maxSize");
    private static final List<String> WRITE_BACK_KEYS = List.of("delay", "maxPending", "batchSize", "drainTimeout");
    private static final int SHORTEST_SECRET = 16;
    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final String label;
    private final Function<String, String> environment;
    private final List<ConfigError> errors = new ArrayList<>();
    /** Where each remote store was asked for, so a missing {@code redis:} section is reported there. */
    private final List<YamlNode> remoteStoreNodes = new ArrayList<>();

    private ConfigLoader(String label, Function<String, String> environment) {
        this.label = label;
        this.environment = environment;
    }

    public static RecallConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return new RecallConfig(file.toString(), Defaults.BUILT_IN, List.of(), List.of(), List.of(), StoreKind.LOCAL,
                    null, NearSettings.DEFAULT, WriteBackSettings.DEFAULT, List.of(new ConfigError(file.toString(), "cannot read the configuration file (" + e
                            + "); check the path given by config=, -Drecall.config or RECALL_CONFIG")));
        }
        return parse(file.toString(), text);
    }

    public static RecallConfig parse(String label, String text) {
        return parse(label, text, System::getenv);
    }

    /** @param environment resolves the {@code ${NAME}} references in the {@code redis:} section */
    public static RecallConfig parse(String label, String text, Function<String, String> environment) {
        return new ConfigLoader(label, environment).read(text);
    }

    private RecallConfig read(String text) {
        YamlNode root;
        try {
            root = YamlReader.read(text);
        } catch (YamlReader.YamlException e) {
            errors.add(new ConfigError(label + ":" + e.line, "not valid YAML: " + e.getMessage()
                    + "; check indentation (spaces, not tabs) and that every 'key: value' has a space after the colon"));
            return result(Defaults.BUILT_IN, List.of(), List.of(), List.of(), StoreKind.LOCAL, null, NearSettings.DEFAULT, WriteBackSettings.DEFAULT);
        }
        if (root == null) {
            return result(Defaults.BUILT_IN, List.of(), List.of(), List.of(), StoreKind.LOCAL, null, NearSettings.DEFAULT, WriteBackSettings.DEFAULT);
        }
        Map<String, YamlNode> top = mapping(root, "the top level", TOP_KEYS);
        Map<String, YamlNode> topKeys = keyNodes(root);
        Defaults defaults = readDefaults(top.get("defaults"));
        StoreKind store = readStore(top.get("store"));
        RedisSettings redis = top.containsKey("redis") ? readRedis(top.get("redis"), topKeys.get("redis")) : null;
        NearSettings near = readNear(top.get("near"));
        WriteBackSettings writeBack = readWriteBack(top.get("writeBack"));
        List<MethodRule> methods = new ArrayList<>();
        for (YamlNode n : sequence(top.get("methods"), "methods", "method")) {
            MethodRule r = readMethod(n);
            if (r != null) {
                methods.add(r);
            }
        }
        List<EvictRule> evictions = new ArrayList<>();
        for (YamlNode n : sequence(top.get("evict"), "evict", "method")) {
            EvictRule r = readEvict(n);
            if (r != null) {
                evictions.add(r);
            }
        }
        List<AlertRule> alerts = new ArrayList<>();
        List<YamlNode> alertNodes = sequence(top.get("alerts"), "alerts", "metric");
        for (YamlNode n : alertNodes) {
            AlertRule r = readAlert(n, alerts.size() + 1);
            if (r != null) {
                alerts.add(r);
            }
        }
        if (redis == null && !top.containsKey("redis")) {
            for (YamlNode n : remoteStoreNodes) {
                errors.add(new ConfigError(where(n), "store '" + ((Scalar) n).value() + "' needs a 'redis:' section "
                        + "saying where Redis is, for example:  redis: { uri: redis://127.0.0.1:6379, secret: ${RECALL_SECRET} }"));
            }
        }
        return result(defaults, methods, evictions, alerts, store, redis, near, writeBack);
    }

    private AlertRule readAlert(YamlNode node, int number) {
        Map<String, YamlNode> m = mapping(node, "an alerts entry", ALERT_KEYS);
        String metric = scalar(m.get("metric"), "metric");
        if (metric == null) {
            errors.add(new ConfigError(where(node), "each alerts entry needs 'metric:', one of " + String.join(", ", AlertRule.METRICS)));
            return null;
        }
        if (!AlertRule.METRICS.contains(metric)) {
            errors.add(new ConfigError(where(m.get("metric")), "unknown alert metric '" + metric + "'"
                    + Suggestions.didYouMean(metric, AlertRule.METRICS)));
            return null;
        }
        if (m.containsKey("above") == m.containsKey("below")) {
            errors.add(new ConfigError(where(node), "an alert needs exactly one of 'above:' or 'below:', the threshold, "
                    + "for example 'below: 0.5' for hitRatio or 'above: 200' for p90LoadMillis"));
            return null;
        }
        Double above = number(m.get("above"), "above");
        Double below = number(m.get("below"), "below");
        if (above == null && below == null) {
            return null;
        }
        Duration over = m.containsKey("over") ? duration(m.get("over")) : Duration.ofMinutes(1);
        if (over == null) {
            return null;
        }
        if (over.compareTo(LONGEST_ALERT_WINDOW) > 0 || over.compareTo(Duration.ofSeconds(1)) < 0) {
            errors.add(new ConfigError(where(m.get("over")), "an alert window ('over:') must be between 1s and 10m, got "
                    + Durations.format(over)));
            return null;
        }
        MethodPattern method = null;
        if (m.containsKey("method")) {
            method = pattern(node, m.get("method"), "alerts");
            if (method == null) {
                return null;
            }
        }
        Double minCalls = number(m.get("minCalls"), "minCalls");
        String name = scalar(m.get("name"), "name");
        return new AlertRule(name == null ? "alert " + number : name, metric, above, below, over, method,
                minCalls == null ? 10 : minCalls.longValue(), where(node));
    }

    private Double number(YamlNode node, String what) {
        String text = scalar(node, what);
        if (text == null) {
            return null;
        }
        try {
            return Double.valueOf(text.replace("_", ""));
        } catch (NumberFormatException e) {
            errors.add(new ConfigError(where(node), "'" + what + "' must be a number, like 0.5 or 200; got '" + text + "'"));
            return null;
        }
    }

    private RecallConfig result(Defaults defaults, List<MethodRule> methods, List<EvictRule> evictions, List<AlertRule> alerts,
                                StoreKind store, RedisSettings redis, NearSettings near, WriteBackSettings writeBack) {
        errors.sort(java.util.Comparator.comparingInt(ConfigLoader::lineOf));
        return new RecallConfig(label, defaults, List.copyOf(methods), List.copyOf(evictions), List.copyOf(alerts),
                store, redis, near, writeBack, List.copyOf(errors));
    }

    private static Map<String, YamlNode> keyNodes(YamlNode node) {
        Map<String, YamlNode> keys = new HashMap<>();
        if (node instanceof Mapping m) {
            for (Entry t : m.entries()) {
                keys.putIfAbsent(t.key().value(), t.key());
            }
        }
        return keys;
    }

    private Defaults readDefaults(YamlNode node) {
        if (node == null) {
            return Defaults.BUILT_IN;
        }
        Map<String, YamlNode> m = mapping(node, "defaults", DEFAULT_KEYS);
        Duration ttl = duration(m.get("ttl"));
        Long maxSize = positiveLong(m.get("maxSize"));
        Boolean cacheNulls = bool(m.get("cacheNulls"));
        Duration loadWait = duration(m.get("loadWait"));
        Defaults b = Defaults.BUILT_IN;
        return new Defaults(ttl == null ? b.ttl() : ttl, maxSize == null ? b.maxSize() : maxSize,
                cacheNulls == null ? b.cacheNulls() : cacheNulls, loadWait == null ? b.loadWait() : loadWait);
    }

    /** @return the store named, {@link StoreKind#LOCAL} if none is, {@code null} if the name is wrong */
    private StoreKind readStore(YamlNode node) {
        String name = scalar(node, "store");
        if (name == null || name.isEmpty()) {
            return StoreKind.LOCAL;
        }
        StoreKind kind = StoreKind.fromName(name);
        if (kind == null) {
            errors.add(new ConfigError(where(node), "unknown store '" + name + "'" + Suggestions.didYouMean(name, StoreKind.CONFIG_NAMES)));
        } else if (kind.remote()) {
            remoteStoreNodes.add(node);
        }
        return kind;
    }

    private RedisSettings readRedis(YamlNode node, YamlNode keyNode) {
        Map<String, YamlNode> m = mapping(node, "redis", REDIS_KEYS);
        String uri = resolved(m.get("uri"), "uri");
        List<String> cluster = strings(m.get("cluster"), "cluster");
        if ((uri == null) == cluster.isEmpty()) {
            errors.add(new ConfigError(where(keyNode), "redis: needs exactly one of 'uri:' (one server, like "
                    + "redis://127.0.0.1:6379) or 'cluster:' (a list of host:port of a Redis Cluster)"));
        }
        if (uri != null && !uri.startsWith("redis://") && !uri.startsWith("rediss://")) {
            errors.add(new ConfigError(where(m.get("uri")), "redis uri must start with redis:// (or rediss:// for TLS), like "
                    + "redis://127.0.0.1:6379; got '" + uri + "'"));
        }
        for (String seed : cluster) {
            if (!seed.matches("[^:\\s]+:\\d{1,5}")) {
                errors.add(new ConfigError(where(m.get("cluster")), "each cluster entry is host:port, like 127.0.0.1:7000; got '" + seed + "'"));
            }
        }
        Duration timeout = m.containsKey("timeout") ? duration(m.get("timeout")) : RedisSettings.DEFAULT_TIMEOUT;
        if (timeout != null && (timeout.isZero() || timeout.compareTo(Duration.ofSeconds(10)) > 0)) {
            errors.add(new ConfigError(where(m.get("timeout")), "redis timeout must be between 1ms and 10s (it is how long a "
                    + "call may wait for Redis before running the method itself); got " + Durations.format(timeout)));
        }
        Duration lockTimeout = m.containsKey("lockTimeout") ? duration(m.get("lockTimeout")) : RedisSettings.DEFAULT_LOCK_TIMEOUT;
        if (lockTimeout != null && (lockTimeout.isZero() || lockTimeout.compareTo(Duration.ofMinutes(1)) > 0)) {
            errors.add(new ConfigError(where(m.get("lockTimeout")), "redis lockTimeout must be between 1ms and 1m (it is how long "
                    + "a JVM waits for another JVM's load of the same key before loading it itself); got "
                    + Durations.format(lockTimeout)));
        }
        String prefix = m.containsKey("keyPrefix") ? scalar(m.get("keyPrefix"), "keyPrefix") : RedisSettings.DEFAULT_PREFIX;
        boolean insecure = Boolean.TRUE.equals(bool(m.get("insecure")));
        String secret = resolved(m.get("secret"), "secret");
        if (secret == null && !insecure && !m.containsKey("secret")) {
            errors.add(new ConfigError(where(keyNode), "redis: needs 'secret:', the key every entry is signed with so that a value "
                    + "nobody in this application wrote is never read: write 'secret: ${RECALL_SECRET}' and set that "
                    + "environment variable to a random string of 16 or more characters (or, to run unsigned, 'insecure: true')"));
        } else if (secret != null && secret.length() < SHORTEST_SECRET) {
            errors.add(new ConfigError(where(m.get("secret")), "redis secret is too short to sign with (" + secret.length()
                    + " characters); use a random string of " + SHORTEST_SECRET + " or more"));
        }
        List<String> allow = strings(m.get("allowClasses"), "allowClasses");
        try {
            ClassAllowlist.of(allow);
        } catch (IllegalArgumentException e) {
            errors.add(new ConfigError(where(m.get("allowClasses")), e.getMessage()));
        }
        return new RedisSettings(uri, cluster, timeout == null ? RedisSettings.DEFAULT_TIMEOUT : timeout,
                lockTimeout == null ? RedisSettings.DEFAULT_LOCK_TIMEOUT : lockTimeout, prefix == null ? RedisSettings.DEFAULT_PREFIX : prefix, secret, allow, insecure, where(keyNode));
    }

    private NearSettings readNear(YamlNode node) {
        if (node == null) {
            return NearSettings.DEFAULT;
        }
        Map<String, YamlNode> m = mapping(node, "near", NEAR_KEYS);
        Duration ttl = duration(m.get("ttl"));
        Long maxSize = positiveLong(m.get("maxSize"));
        return new NearSettings(ttl == null ? NearSettings.DEFAULT.ttl() : ttl,
                maxSize == null ? NearSettings.DEFAULT.maxSize() : maxSize);
    }

    private WriteBackSettings readWriteBack(YamlNode node) {
        WriteBackSettings d = WriteBackSettings.DEFAULT;
        if (node == null) {
            return d;
        }
        Map<String, YamlNode> m = mapping(node, "writeBack", WRITE_BACK_KEYS);
        Duration delay = m.containsKey("delay") ? duration(m.get("delay")) : d.delay();
        if (delay != null && delay.compareTo(Duration.ofMinutes(1)) > 0) {
            errors.add(new ConfigError(where(m.get("delay")), "writeBack delay must be at most 1m (it is how long an accepted "
                    + "write waits before it reaches the method); got " + Durations.format(delay)));
        }
        Long maxPending = positiveLong(m.get("maxPending"));
        Long batchSize = positiveLong(m.get("batchSize"));
        Duration drain = m.containsKey("drainTimeout") ? duration(m.get("drainTimeout")) : d.drainTimeout();
        return new WriteBackSettings(delay == null ? d.delay() : delay,
                maxPending == null ? d.maxPending() : (int) Math.min(maxPending, 10_000_000),
                batchSize == null ? d.batchSize() : (int) Math.min(batchSize, 100_000), drain == null ? d.drainTimeout() : drain);
    }

    /** A scalar with its {@code ${NAME}} references replaced from the environment. */
    private String resolved(YamlNode node, String what) {
        String text = scalar(node, what);
        if (text == null) {
            return null;
        }
        Matcher matcher = ENV.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = environment.apply(matcher.group(1));
            if (value == null || value.isEmpty()) {
                errors.add(new ConfigError(where(node), "'" + what + ":' refers to the environment variable " + matcher.group(1)
                        + ", which is not set; set it for the application's process"));
                return null;
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private List<String> strings(YamlNode node, String what) {
        List<String> result = new ArrayList<>();
        if (node == null) {
            return result;
        }
        if (node instanceof Scalar s && !s.value().isEmpty()) {
            result.add(s.value());
            return result;
        }
        for (YamlNode item : sequence(node, what, "value")) {
            String text = scalar(item, what);
            if (text != null) {
                result.add(text);
            }
        }
        return result;
    }

    private MethodRule readMethod(YamlNode node) {
        Map<String, YamlNode> m = mapping(node, "a methods entry", METHOD_KEYS);
        MethodPattern pattern = pattern(node, m.get("method"), "methods");
        String cache = scalar(m.get("cache"), "cache");
        String key = scalar(m.get("key"), "key");
        Duration ttl = duration(m.get("ttl"));
        StrategyKind strategy = strategy(m.get("strategy"));
        Long maxSize = positiveLong(m.get("maxSize"));
        Boolean cacheNulls = bool(m.get("cacheNulls"));
        StoreKind store = m.containsKey("store") ? readStore(m.get("store")) : null;
        Duration loadWait = duration(m.get("loadWait"));
        CopyKind copy = copy(m.get("copy"));
        return pattern == null ? null
                : new MethodRule(pattern, where(node), cache, key, ttl, strategy, maxSize, cacheNulls, store, loadWait, copy);
    }

    private EvictRule readEvict(YamlNode node) {
        Map<String, YamlNode> m = mapping(node, "an evict entry", EVICT_KEYS);
        MethodPattern pattern = pattern(node, m.get("method"), "evict");
        String cache = scalar(m.get("cache"), "cache");
        if (cache == null || cache.isBlank()) {
            errors.add(new ConfigError(where(node), "an evict entry needs 'cache:', the region to evict from (as named by its readers)"));
        }
        String key = scalar(m.get("key"), "key");
        Boolean allEntries = bool(m.get("allEntries"));
        Boolean before = bool(m.get("beforeInvocation"));
        return pattern == null || cache == null ? null : new EvictRule(pattern, where(node), cache, key, allEntries, before);
    }

    private MethodPattern pattern(YamlNode entry, YamlNode node, String section) {
        if (node == null) {
            errors.add(new ConfigError(where(entry), "each " + section + " entry needs 'method:'; " + MethodPattern.FORM));
            return null;
        }
        String text = scalar(node, "method");
        if (text == null) {
            return null;
        }
        try {
            return MethodPattern.parse(text);
        } catch (IllegalArgumentException e) {
            errors.add(new ConfigError(where(node), e.getMessage()));
            return null;
        }
    }

    private Duration duration(YamlNode node) {
        String text = scalar(node, "ttl");
        if (text == null) {
            return null;
        }
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            errors.add(new ConfigError(where(node), "bad duration: " + e.getMessage()));
            return null;
        }
    }

    private StrategyKind strategy(YamlNode node) {
        String text = scalar(node, "strategy");
        if (text == null) {
            return null;
        }
        StrategyKind k = StrategyKind.fromName(text);
        if (k == null) {
            errors.add(new ConfigError(where(node), "unknown strategy '" + text + "'"
                    + Suggestions.didYouMean(text, StrategyKind.CONFIG_NAMES)));
        }
        return k;
    }

    private CopyKind copy(YamlNode node) {
        String text = scalar(node, "copy");
        if (text == null) {
            return null;
        }
        CopyKind k = CopyKind.fromName(text);
        if (k == null) {
            errors.add(new ConfigError(where(node), "unknown copy '" + text + "'; write auto (share immutable values, copy "
                    + "the others), reference (always share) or value (always copy)" + Suggestions.didYouMean(text, CopyKind.CONFIG_NAMES)));
        }
        return k;
    }

    private Long positiveLong(YamlNode node) {
        String text = scalar(node, "maxSize");
        if (text == null) {
            return null;
        }
        try {
            long v = Long.parseLong(text.replace("_", ""));
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        errors.add(new ConfigError(where(node), "maxSize must be a positive whole number of entries, like 10000; got '" + text + "'"));
        return null;
    }

    private Boolean bool(YamlNode node) {
        String text = scalar(node, "value");
        if (text == null) {
            return null;
        }
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.valueOf(text);
        }
        errors.add(new ConfigError(where(node), "expected true or false, got '" + text + "'"));
        return null;
    }

    private String scalar(YamlNode node, String what) {
        if (node == null) {
            return null;
        }
        if (node instanceof Scalar s) {
            return s.value();
        }
        errors.add(new ConfigError(where(node), "'" + what + "' must be a single value, not a list or a section"));
        return null;
    }

    private List<YamlNode> sequence(YamlNode node, String what, String firstKey) {
        if (node == null) {
            return List.of();
        }
        if (node instanceof Sequence s) {
            return s.items();
        }
        if (node instanceof Scalar s && s.value().isEmpty()) {
            return List.of();
        }
        errors.add(new ConfigError(where(node), "'" + what + ":' must be a list, each entry starting with '- " + firstKey + ": ...'"));
        return List.of();
    }

    private Map<String, YamlNode> mapping(YamlNode node, String what, List<String> allowed) {
        Map<String, YamlNode> result = new HashMap<>();
        if (!(node instanceof Mapping m)) {
            if (!(node instanceof Scalar s && s.value().isEmpty())) {
                errors.add(new ConfigError(where(node), what + " must be a section of 'key: value' lines"));
            }
            return result;
        }
        for (Entry t : m.entries()) {
            Scalar keyNode = t.key();
            String key = keyNode.value();
            if (!allowed.contains(key)) {
                errors.add(new ConfigError(where(keyNode), "unknown key '" + key + "' in " + what
                        + Suggestions.didYouMean(key, allowed)));
            } else if (result.put(key, t.value()) != null) {
                errors.add(new ConfigError(where(keyNode), "'" + key + "' is written twice in " + what + "; keep one"));
            }
        }
        return result;
    }

    private static int lineOf(ConfigError e) {
        int colon = e.where().lastIndexOf(':');
        try {
            return colon < 0 ? 0 : Integer.parseInt(e.where().substring(colon + 1));
        } catch (NumberFormatException notALine) {
            return 0;
        }
    }

    private String where(YamlNode node) {
        return label + ":" + (node == null ? 1 : node.line());
    }
}
