package dev.recall.agent.config;

import dev.recall.agent.config.StrategyKind;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
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

    private static final List<String> TOP_KEYS = List.of("defaults", "store", "methods", "evict", "redis", "memcached", "near", "writeBack",
            "alerts", "metrics", "advise", "verify", "caches");
    private static final List<String> METRICS_KEYS = List.of("prometheus", "globalRegistry", "otlp");
    private static final List<String> OTLP_KEYS = List.of("url", "interval", "headers");
    private static final List<String> PROMETHEUS_KEYS = List.of("port", "host");
    private static final List<String> DEFAULT_KEYS = List.of("ttl", "maxSize", "cacheNulls", "loadWait", "jitter", "staleIfError", "loadTimeout", "verify");
    private static final List<String> METHOD_KEYS = List.of("method", "cache", "key", "ttl", "strategy", "maxSize", "cacheNulls", "store", "loadWait", "copy", "shared",
            "refresh", "staleIfError", "loadTimeout", "jitter", "nullTtl", "verify", "sensitive", "bulk");
    /** A {@code caches:} entry sets what a rule sets, except what names the methods, their key, their kind and their shape. */
    private static final List<String> CACHE_KEYS = METHOD_KEYS.stream()
            .filter(k -> !List.of("method", "cache", "key", "strategy", "shared", "bulk").contains(k)).toList();
    private static final List<String> EVICT_KEYS = List.of("method", "cache", "key", "allEntries", "beforeInvocation");
    private static final List<String> ALERT_KEYS = List.of("name", "metric", "above", "below", "over", "method", "minCalls",
            "webhook");
    private static final Duration LONGEST_ALERT_WINDOW = Duration.ofMinutes(10);
    private static final List<String> REDIS_KEYS = List.of("uri", "cluster", "sentinel", "timeout", "lockTimeout", "keyPrefix", "secret", "secrets", "allowClasses", "insecure",
            "maxValueSize", "maxStaleness");
    private static final List<String> MEMCACHED_KEYS = List.of("servers", "timeout", "lockTimeout", "keyPrefix", "secret", "secrets",
            "allowClasses", "insecure", "maxValueSize", "maxStaleness");
    private static final List<String> SENTINEL_KEYS = List.of("master", "nodes", "user", "password", "database",
            "sentinelPassword");
    private static final List<String> NEAR_KEYS = List.of("ttl", "maxSize");
    private static final List<String> WRITE_BACK_KEYS = List.of("delay", "maxPending", "batchSize", "drainTimeout");
    private static final int SHORTEST_SECRET = 16;
    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    /** A variable written the shell's way, without braces: a mistake when it is the whole value. */
    private static final Pattern BARE_ENV = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)");
    private static final String ENV_FORM = "write ${NAME}, the name in letters, digits and '_' (not starting with a "
            + "digit), like ${RECALL_SECRET}";
    /** What a threshold may be: a decimal number, as a user writes one (no NaN, Infinity, hex or type suffixes). */
    private static final Pattern DECIMAL = Pattern.compile("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?");
    /** A whole number as a user writes one: ASCII digits, {@code _} between digits only ({@code 10_000}). */
    private static final Pattern WHOLE = Pattern.compile("[-+]?[0-9]+(_+[0-9]+)*");
    /** Underscores between two digits, the only place a number may hold them. */
    private static final Pattern UNDERSCORES = Pattern.compile("(?<=[0-9])_+(?=[0-9])");
    /**
     * The largest file read. A configuration file is a few kilobytes; the bound keeps a wrong path (a log, a
     * disk image) from costing the application's start more than a moment and its memory.
     */
    static final int MAX_BYTES = 4 * 1024 * 1024;
    /** Errors listed: a damaged file can have one per line, and stderr and the MBean need the first few. */
    static final int MAX_LISTED = 100;
    /** Errors kept while reading, so that a file with millions of mistakes costs bounded memory. */
    private static final int MAX_KEPT = 10_000;

    private final String label;
    private final Function<String, String> environment;
    private final List<ConfigError> errors = new ArrayList<>();
    /** Errors found beyond {@link #MAX_KEPT}: counted, not kept. */
    private int notKept;
    /** The node read last, for the line of a failure nobody foresaw. */
    private YamlNode lastRead;
    /** Where each remote store was asked for, so a missing {@code redis:} section is reported there. */
    private final List<YamlNode> remoteStoreNodes = new ArrayList<>();
    /** The {@code memcached:} section once read, or {@code null}. */
    private MemcachedSettings memcached;

    /** The file's text and its lines (split on first need), for the column of a character a message points at. */
    private String text;
    private String[] lines;

    private ConfigLoader(String label, Function<String, String> environment) {
        this.label = label;
        this.environment = environment;
    }

    /**
     * Reads a configuration file. Nothing escapes: whatever is wrong with the path or the file, and whatever
     * fails while reading it, comes back as a {@link ConfigError} naming the file (and the line when there is one).
     */
    public static RecallConfig load(Path file) {
        String label = file.toString();
        try {
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(file, BasicFileAttributes.class);
            } catch (IOException e) {
                return failed(label, "cannot read the configuration file (" + e + "); check the path given by config=, "
                        + "-Drecall.config or RECALL_CONFIG");
            }
            // Checked before opening: opening a FIFO blocks until a writer comes, and a device never ends.
            if (attributes.isDirectory()) {
                return failed(label, "is a directory, not a configuration file; give the path of the YAML file in it, "
                        + "like " + file.resolve("recall.yml"));
            }
            if (!attributes.isRegularFile()) {
                return failed(label, "is not a regular file (a device, a FIFO or a socket), so it is not read: it could "
                        + "hold the application's start for ever; give the path of the YAML file itself");
            }
            if (attributes.size() > MAX_BYTES) {
                return tooBig(label, attributes.size());
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(MAX_BYTES + 1); // the file may have grown since its size was read
            } catch (IOException e) {
                return failed(label, "cannot read the configuration file (" + e + "); check that the application's user "
                        + "may read it");
            }
            if (bytes.length > MAX_BYTES) {
                return tooBig(label, bytes.length);
            }
            CharBuffer text = CharBuffer.allocate(bytes.length); // UTF-8 never makes more chars than bytes
            ByteBuffer in = ByteBuffer.wrap(bytes);
            CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            CoderResult decoded = utf8.decode(in, text, true);
            if (!decoded.isError()) {
                decoded = utf8.flush(text);
            }
            if (decoded.isError()) {
                return notUtf8(label, bytes, in.position());
            }
            return parse(label, text.flip().toString());
        } catch (RuntimeException | StackOverflowError e) {
            return failed(label, "could not be read (" + e + "); nothing in it is applied. This is a fault of the agent: "
                    + "please report it with the file");
        }
    }

    private static RecallConfig tooBig(String label, long size) {
        return failed(label, "is " + size + " bytes; a configuration file may be at most 4 MB (" + MAX_BYTES + " bytes), "
                + "so this is not one: check that config=, -Drecall.config or RECALL_CONFIG names the YAML file");
    }

    private static RecallConfig notUtf8(String label, byte[] bytes, int at) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < at; i++) {
            if (bytes[i] == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return RecallConfig.refused(label, new ConfigError(label + ":" + line, "byte 0x" + Integer.toHexString((bytes[at] & 0xFF) | 0x100).substring(1)
                + " at column " + (at - lineStart + 1) + " is not UTF-8; save the file as UTF-8 (or write the character "
                + "as an escape in double quotes, like \"\\u00e9\")"));
    }

    private static RecallConfig failed(String label, String message) {
        return RecallConfig.refused(label, new ConfigError(label, message));
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
            loader.error(loader.lastRead == null ? label : loader.where(loader.lastRead), "reading this failed ("
                    + e + "), so the file is not applied; check the setting here, and if it looks right, report the "
                    + "failure to the agent's maintainers with the file");
            return loader.result(Defaults.BUILT_IN, List.of(), List.of(), List.of(), StoreKind.LOCAL, null,
                    NearSettings.DEFAULT, WriteBackSettings.DEFAULT, MetricsSettings.NONE);
        }
    }

    private RecallConfig read(String text) {
        this.text = text;
        YamlNode root;
        try {
            root = YamlReader.read(text);
        } catch (YamlReader.YamlException e) {
            error(label + ":" + e.line, "not valid YAML: " + e.getMessage()
                    + "; check indentation (spaces, not tabs) and that every 'key: value' has a space after the colon");
            return result(Defaults.BUILT_IN, List.of(), List.of(), List.of(), StoreKind.LOCAL, null, NearSettings.DEFAULT,
                    WriteBackSettings.DEFAULT, MetricsSettings.NONE);
        }
        if (root == null) {
            return result(Defaults.BUILT_IN, List.of(), List.of(), List.of(), StoreKind.LOCAL, null, NearSettings.DEFAULT,
                    WriteBackSettings.DEFAULT, MetricsSettings.NONE);
        }
        Map<String, YamlNode> top = mapping(root, "the top level", TOP_KEYS);
        Map<String, YamlNode> topKeys = keyNodes(root);
        Defaults defaults = readDefaults(top.get("defaults"));
        Double verify = share(top.get("verify"), "verify");
        if (verify != null) {
            if (top.get("defaults") instanceof Mapping d && keyNodes(d).containsKey("verify")) {
                error(where(top.get("verify")), "verify is given twice, at the top level and in defaults:; write it once");
            }
            defaults = defaults.withVerify(verify);
        }
        List<MethodPattern> advise = readAdvise(top.get("advise"));
        StoreKind store = readStore(top.get("store"));
        RedisSettings redis = top.containsKey("redis") ? readRedis(top.get("redis"), topKeys.get("redis")) : null;
        memcached = top.containsKey("memcached") ? readMemcached(top.get("memcached"), topKeys.get("memcached")) : null;
        NearSettings near = readNear(top.get("near"));
        WriteBackSettings writeBack = readWriteBack(top.get("writeBack"));
        MetricsSettings metrics = readMetrics(top.get("metrics"));
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
        for (YamlNode n : remoteStoreNodes) {
            String name = ((Scalar) n).value();
            if (name.equals(StoreKind.MEMCACHED.configName())) {
                if (!top.containsKey("memcached")) {
                    error(where(n), "store 'memcached' needs a 'memcached:' section saying where Memcached is, for example:  "
                            + "memcached: { servers: [127.0.0.1:11211], secret: ${RECALL_SECRET} }");
                }
            } else if (!top.containsKey("redis")) {
                if (name.equals(StoreKind.TWO_LEVEL.configName()) && top.containsKey("memcached")) {
                    error(where(n), "store 'two-level' works over Redis only: its near tier is kept right by Redis's "
                            + "pub/sub, and Memcached has none, so a near copy could be served long after another JVM changed "
                            + "the value; use 'store: memcached' (every JVM reads Memcached, nothing is kept in the JVM), or add "
                            + "a 'redis:' section for two-level");
                } else {
                    error(where(n), "store '" + name + "' needs a 'redis:' section "
                            + "saying where Redis is, for example:  redis: { uri: redis://127.0.0.1:6379, secret: ${RECALL_SECRET} }");
                }
            }
        }
        Map<String, MethodRule> caches = readCaches(top.get("caches"));
        return result(defaults, methods, evictions, alerts, store, redis, near, writeBack, metrics).advising(advise)
                .withCaches(caches);
    }

    /**
     * {@code advise:} a list of class patterns ({@code com.acme.**}), or of method patterns
     * ({@code com.acme.repo.*#find*(..)}), whose methods the advisor observes and nothing caches.
     */
    private List<MethodPattern> readAdvise(YamlNode node) {
        List<MethodPattern> patterns = new ArrayList<>();
        List<YamlNode> items = node instanceof Scalar s && !s.value().isEmpty() ? List.of(node) : sequence(node, "advise", "com.acme.**");
        for (YamlNode item : items) {
            String text = scalar(item, "an advise pattern");
            if (text == null) {
                continue;
            }
            try {
                patterns.add(MethodPattern.parseClasses(text));
            } catch (IllegalArgumentException e) {
                error(where(item), "advise: " + e.getMessage());
            }
        }
        return patterns;
    }

    /** {@code verify:}, a share of hits from 0 to 100%. */
    private Double share(YamlNode node, String what) {
        return share(node, what, 1, what + " must be a share of hits from 0% to 100%, like 1% (one hit in a hundred also runs "
                + "the method and compares its result with the cached one) or 0 (off)");
    }

    /**
     * A share written as a percentage ({@code 1%}, {@code 0.5%}) or a fraction ({@code 0.01}), from 0 to {@code most};
     * {@code null} if absent or wrong (then with an error that says {@code expected} and what was written).
     */
    private Double share(YamlNode node, String what, double most, String expected) {
        String text = scalar(node, what);
        if (text == null) {
            return null;
        }
        String t = text.trim();
        String number = t.endsWith("%") ? t.substring(0, t.length() - 1).trim() : t;
        // The decimal form only: parseDouble also takes "1d", "0x1p0" and "Infinity".
        if (DECIMAL.matcher(number).matches()) {
            double v = t.endsWith("%") ? Double.parseDouble(number) / 100 : Double.parseDouble(number);
            if (v >= 0 && v <= most && !Double.isNaN(v)) {
                return v;
            }
        }
        error(where(node), expected + "; got '" + text + "'" + numberProblem(node, text));
        return null;
    }

    private MetricsSettings readMetrics(YamlNode node) {
        if (node == null) {
            return MetricsSettings.NONE;
        }
        Map<String, YamlNode> m = mapping(node, "metrics", METRICS_KEYS);
        Boolean global = bool(m.get("globalRegistry"), "globalRegistry");
        boolean globalRegistry = global != null && global;
        MetricsSettings.Otlp otlp = m.containsKey("otlp") ? readOtlp(m.get("otlp")) : null;
        YamlNode p = m.get("prometheus");
        if (p == null) {
            return new MetricsSettings(null, globalRegistry, otlp);
        }
        Map<String, YamlNode> pm = mapping(p, "metrics.prometheus", PROMETHEUS_KEYS);
        String host = scalar(pm.get("host"), "host");
        Long port = nonNegativeLong(pm.get("port"), "port");
        if (port != null && port > 65_535) {
            error(where(pm.get("port")), "metrics.prometheus port must be from 1 to 65535 (0: any free port), like "
                    + MetricsSettings.Prometheus.DEFAULT_PORT + "; got " + port);
            port = null;
        }
        return new MetricsSettings(new MetricsSettings.Prometheus(host == null || host.isBlank()
                ? MetricsSettings.Prometheus.DEFAULT_HOST : host.trim(),
                port == null ? MetricsSettings.Prometheus.DEFAULT_PORT : port.intValue()), globalRegistry, otlp);
    }

    /** {@code text} as an http:// or https:// address; {@code null}, with an error at {@code node}, if it is not one. */
    private java.net.URI httpAddress(YamlNode node, String text, String what, String example) {
        try {
            java.net.URI uri = java.net.URI.create(text.trim());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http or https address");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            error(where(node), what + " must be an http:// or https:// address, like " + example + "; got '" + text
                    + "' (" + e.getMessage() + ")");
            return null;
        }
    }

    private MetricsSettings.Otlp readOtlp(YamlNode node) {
        Map<String, YamlNode> m = mapping(node, "metrics.otlp", OTLP_KEYS);
        String url = scalar(m.get("url"), "url");
        java.net.URI uri = null;
        if (url == null) {
            error(where(node), "metrics.otlp needs 'url:', the collector's metrics endpoint, like "
                    + "http://127.0.0.1:4318/v1/metrics");
            return null;
        }
        uri = httpAddress(m.get("url"), url, "metrics.otlp url", "http://127.0.0.1:4318/v1/metrics");
        if (uri == null) {
            return null;
        }
        Duration interval = duration(m.get("interval"), "interval");
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        YamlNode h = m.get("headers");
        if (h instanceof Mapping hm) {
            for (Entry e : hm.entries()) {
                String v = scalar(e.value(), "a header");
                if (v != null) {
                    headers.put(e.key().value(), v);
                }
            }
        } else if (h != null) {
            error(where(h), "metrics.otlp headers must be a mapping, like  headers: { Authorization: \"Bearer ${TOKEN}\" }");
        }
        return new MetricsSettings.Otlp(uri, interval == null ? MetricsSettings.Otlp.DEFAULT_INTERVAL : interval,
                java.util.Map.copyOf(headers));
    }

    private AlertRule readAlert(YamlNode node, int number) {
        Map<String, YamlNode> m = mapping(node, "an alerts entry", ALERT_KEYS);
        String metric = scalar(m.get("metric"), "metric");
        if (metric == null) {
            error(where(node), "each alerts entry needs 'metric:', one of " + String.join(", ", AlertRule.METRICS));
            return null;
        }
        if (!AlertRule.METRICS.contains(metric)) {
            error(where(m.get("metric")), "unknown alert metric '" + metric + "'" + itHas(m.get("metric"), metric)
                    + Suggestions.didYouMean(metric, AlertRule.METRICS));
            return null;
        }
        if (m.containsKey("above") == m.containsKey("below")) {
            error(where(node), "an alert needs exactly one of 'above:' or 'below:', the threshold, "
                    + "for example 'below: 0.5' for hitRatio or 'above: 200' for p90LoadMillis");
            return null;
        }
        Double above = number(m.get("above"), "above");
        Double below = number(m.get("below"), "below");
        if (above == null && below == null) {
            return null;
        }
        Duration over = m.containsKey("over") ? duration(m.get("over"), "over") : Duration.ofMinutes(1);
        if (over == null) {
            return null;
        }
        if (over.compareTo(LONGEST_ALERT_WINDOW) > 0 || over.compareTo(Duration.ofSeconds(1)) < 0) {
            error(where(m.get("over")), "an alert window ('over:') must be between 1s and 10m, got "
                    + Durations.format(over));
            return null;
        }
        MethodPattern method = null;
        if (m.containsKey("method")) {
            method = pattern(node, m.get("method"), "alerts");
            if (method == null) {
                return null;
            }
        }
        // Long.valueOf, not 10: a long there would unbox the null of a bad value.
        Long minCalls = m.containsKey("minCalls") ? nonNegativeLong(m.get("minCalls"), "minCalls") : Long.valueOf(10);
        if (minCalls == null) {
            return null;
        }
        String name = scalar(m.get("name"), "name");
        java.net.URI webhook = null;
        String hook = scalar(m.get("webhook"), "webhook");
        if (hook != null) {
            webhook = httpAddress(m.get("webhook"), hook, "webhook", "https://hooks.slack.com/services/T000/B000/XXXX");
            if (webhook == null) {
                return null;
            }
        }
        return new AlertRule(name == null ? "alert " + number : name, metric, above, below, over, method, minCalls,
                where(node), webhook);
    }

    private Double number(YamlNode node, String what) {
        String text = scalar(node, what);
        if (text == null) {
            return null;
        }
        String digits = UNDERSCORES.matcher(text.trim()).replaceAll("");
        if (DECIMAL.matcher(digits).matches()) {
            double value = Double.parseDouble(digits);
            if (Double.isFinite(value)) {
                return value;
            }
        }
        // NaN would make an alert that never fires, Infinity one that never clears.
        error(where(node), "'" + what + "' must be a number, like 0.5 or 200; got '" + text + "'" + numberProblem(node, text)
                + " (a finite number: with NaN or Infinity the alert would never fire, or never clear)");
        return null;
    }

    private Long nonNegativeLong(YamlNode node, String what) {
        String text = scalar(node, what);
        if (text == null) {
            return null;
        }
        Long v = wholeNumber(text);
        if (v != null && v >= 0) {
            return v;
        }
        error(where(node), what + " must be a whole number, 0 or more, like 20; got '" + text + "'" + numberProblem(node, text));
        return null;
    }

    private void error(String where, String message) {
        if (errors.size() < MAX_KEPT) {
            errors.add(new ConfigError(where, message));
        } else {
            notKept++;
        }
    }

    private RecallConfig result(Defaults defaults, List<MethodRule> methods, List<EvictRule> evictions, List<AlertRule> alerts,
                                StoreKind store, RedisSettings redis, NearSettings near, WriteBackSettings writeBack,
                                MetricsSettings metrics) {
        errors.sort(java.util.Comparator.comparingInt(ConfigLoader::lineOf));
        List<ConfigError> listed = errors;
        if (errors.size() > MAX_LISTED) {
            listed = new ArrayList<>(errors.subList(0, MAX_LISTED));
            listed.add(new ConfigError(errors.get(MAX_LISTED).where(), "and " + (errors.size() - MAX_LISTED + notKept)
                    + " more errors from this line on, not listed; fix the ones above (one mistake, like a wrong "
                    + "indentation, often causes many) and start again"));
        }
        return new RecallConfig(label, defaults, List.copyOf(methods), List.copyOf(evictions), List.copyOf(alerts),
                store, redis, near, writeBack, metrics, List.copyOf(listed), List.of(), Map.of(), memcached);
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
        Duration ttl = duration(m.get("ttl"), "ttl");
        Long maxSize = positiveLong(m.get("maxSize"), "maxSize");
        Boolean cacheNulls = bool(m.get("cacheNulls"), "cacheNulls");
        Duration loadWait = duration(m.get("loadWait"), "loadWait");
        Double jitter = jitter(m.get("jitter"));
        Duration staleIfError = duration(m.get("staleIfError"), "staleIfError");
        Duration loadTimeout = duration(m.get("loadTimeout"), "loadTimeout");
        Double verify = share(m.get("verify"), "verify");
        Defaults b = Defaults.BUILT_IN;
        return new Defaults(ttl == null ? b.ttl() : ttl, maxSize == null ? b.maxSize() : maxSize,
                cacheNulls == null ? b.cacheNulls() : cacheNulls, loadWait == null ? b.loadWait() : loadWait,
                jitter == null ? b.jitter() : jitter, staleIfError == null ? b.staleIfError() : staleIfError,
                loadTimeout == null ? b.loadTimeout() : loadTimeout, verify == null ? b.verify() : verify);
    }

    /** @return the store named, {@link StoreKind#LOCAL} if none is, {@code null} if the name is wrong */
    private StoreKind readStore(YamlNode node) {
        String name = scalar(node, "store");
        if (name == null || name.isEmpty()) {
            return StoreKind.LOCAL;
        }
        StoreKind kind = StoreKind.fromName(name);
        if (kind == null) {
            error(where(node), "unknown store '" + name + "'" + itHas(node, name)
                    + Suggestions.didYouMean(name, StoreKind.CONFIG_NAMES));
        } else if (kind.remote()) {
            remoteStoreNodes.add(node);
        }
        return kind;
    }

    private RedisSettings readRedis(YamlNode node, YamlNode keyNode) {
        Map<String, YamlNode> m = mapping(node, "redis", REDIS_KEYS);
        String uri = resolved(m.get("uri"), "uri");
        List<String> cluster = strings(m.get("cluster"), "cluster");
        SentinelSettings sentinel = m.containsKey("sentinel") ? readSentinel(m.get("sentinel")) : null;
        if ((uri != null ? 1 : 0) + (cluster.isEmpty() ? 0 : 1) + (m.containsKey("sentinel") ? 1 : 0) != 1) {
            error(where(keyNode), "redis: needs exactly one of 'uri:' (one server, like "
                    + "redis://127.0.0.1:6379), 'cluster:' (a list of host:port of a Redis Cluster) or 'sentinel:' "
                    + "(master: its name, nodes: a list of host:port of the sentinels)");
        }
        if (uri != null && !uri.startsWith("redis://") && !uri.startsWith("rediss://")) {
            error(where(m.get("uri")), "redis uri must start with redis:// (or rediss:// for TLS), like "
                    + "redis://127.0.0.1:6379; got '" + withoutPassword(uri) + "'");
        } else if (uri != null) {
            String problem = uriProblem(uri);
            if (problem != null) {
                error(where(m.get("uri")), "redis uri '" + withoutPassword(uri) + "' cannot be connected to: " + problem
                        + "; write redis://[user:password@]host[:port][/database], like redis://127.0.0.1:6379");
            }
        }
        for (String seed : cluster) {
            if (!isHostPort(seed)) {
                error(where(m.get("cluster")), "each cluster entry is host:port, like 127.0.0.1:7000, with a port from "
                        + "1 to 65535; got '" + seed + "'");
            }
        }
        Duration timeout = m.containsKey("timeout") ? duration(m.get("timeout"), "timeout") : RedisSettings.DEFAULT_TIMEOUT;
        if (timeout != null && (timeout.isZero() || timeout.compareTo(Duration.ofSeconds(10)) > 0)) {
            error(where(m.get("timeout")), "redis timeout must be between 1ms and 10s (it is how long a "
                    + "call may wait for Redis before running the method itself); got " + Durations.format(timeout));
        }
        Duration lockTimeout = m.containsKey("lockTimeout") ? duration(m.get("lockTimeout"), "lockTimeout")
                : RedisSettings.DEFAULT_LOCK_TIMEOUT;
        if (lockTimeout != null && (lockTimeout.isZero() || lockTimeout.compareTo(Duration.ofMinutes(1)) > 0)) {
            error(where(m.get("lockTimeout")), "redis lockTimeout must be between 1ms and 1m (it is how long "
                    + "a JVM waits for another JVM's load of the same key before loading it itself); got "
                    + Durations.format(lockTimeout));
        }
        String prefix = m.containsKey("keyPrefix") ? scalar(m.get("keyPrefix"), "keyPrefix") : RedisSettings.DEFAULT_PREFIX;
        boolean insecure = Boolean.TRUE.equals(bool(m.get("insecure"), "insecure"));
        List<String> secrets = secrets(m, insecure, keyNode, "redis");
        List<String> allow = allowClasses(m);
        long maxValueSize = maxValueSize(m, RedisSettings.DEFAULT_MAX_VALUE_SIZE);
        Duration maxStaleness = maxStaleness(m, "redis maxStaleness must be more than 0 (it is the longest an entry "
                + "lives in Redis, whatever its ttl); leave it out for no bound");
        return new RedisSettings(uri, cluster, sentinel, timeout == null ? RedisSettings.DEFAULT_TIMEOUT : timeout,
                lockTimeout == null ? RedisSettings.DEFAULT_LOCK_TIMEOUT : lockTimeout, prefix == null ? RedisSettings.DEFAULT_PREFIX : prefix,
                secrets, allow, insecure, maxValueSize, maxStaleness, where(keyNode));
    }

    private MemcachedSettings readMemcached(YamlNode node, YamlNode keyNode) {
        Map<String, YamlNode> m = mapping(node, "memcached", MEMCACHED_KEYS);
        List<String> servers = strings(m.get("servers"), "servers");
        if (servers.isEmpty()) {
            error(where(keyNode), "memcached: needs 'servers:', a list of host:port, like servers: [127.0.0.1:11211] "
                    + "(several servers share the keys by consistent hashing)");
        }
        for (String server : servers) {
            if (!server.matches("[^:\\s]+:\\d{1,5}") || !isPort(Integer.parseInt(server.substring(server.lastIndexOf(':') + 1)))) {
                error(where(m.get("servers")), "each memcached server is host:port, like 127.0.0.1:11211, with a port from "
                        + "1 to 65535; got '" + server + "'");
            }
        }
        Duration timeout = m.containsKey("timeout") ? duration(m.get("timeout"), "timeout") : RedisSettings.DEFAULT_TIMEOUT;
        if (timeout != null && (timeout.isZero() || timeout.compareTo(Duration.ofSeconds(10)) > 0)) {
            error(where(m.get("timeout")), "memcached timeout must be between 1ms and 10s (it is how long a "
                    + "call may wait for Memcached before running the method itself); got " + Durations.format(timeout));
        }
        Duration lockTimeout = m.containsKey("lockTimeout") ? duration(m.get("lockTimeout"), "lockTimeout")
                : RedisSettings.DEFAULT_LOCK_TIMEOUT;
        if (lockTimeout != null && (lockTimeout.isZero() || lockTimeout.compareTo(Duration.ofMinutes(1)) > 0)) {
            error(where(m.get("lockTimeout")), "memcached lockTimeout must be between 1ms and 1m (it is how long "
                    + "a JVM waits for another JVM's load of the same key before loading it itself); got "
                    + Durations.format(lockTimeout));
        }
        String prefix = m.containsKey("keyPrefix") ? scalar(m.get("keyPrefix"), "keyPrefix") : RedisSettings.DEFAULT_PREFIX;
        if (prefix != null && (prefix.length() > MemcachedSettings.LONGEST_PREFIX || !prefix.matches("[\\x21-\\x7e]*"))) {
            error(where(m.get("keyPrefix")), "memcached keyPrefix must be at most " + MemcachedSettings.LONGEST_PREFIX
                    + " printable ASCII characters without spaces (Memcached keys are at most 250 bytes, no spaces or "
                    + "control characters); got " + prefix.length() + " characters");
        }
        boolean insecure = Boolean.TRUE.equals(bool(m.get("insecure"), "insecure"));
        List<String> secrets = secrets(m, insecure, keyNode, "memcached");
        List<String> allow = allowClasses(m);
        long maxValueSize = maxValueSize(m, MemcachedSettings.DEFAULT_MAX_VALUE_SIZE);
        Duration maxStaleness = maxStaleness(m, "memcached maxStaleness must be more than 0; leave it out for no bound");
        return new MemcachedSettings(List.copyOf(servers), timeout == null ? RedisSettings.DEFAULT_TIMEOUT : timeout,
                lockTimeout == null ? RedisSettings.DEFAULT_LOCK_TIMEOUT : lockTimeout,
                prefix == null ? RedisSettings.DEFAULT_PREFIX : prefix, secrets, allow, insecure, maxValueSize, maxStaleness,
                where(keyNode));
    }

    /** A shared store's {@code allowClasses}, each pattern checked (Redis and Memcached alike). */
    private List<String> allowClasses(Map<String, YamlNode> m) {
        List<String> allow = strings(m.get("allowClasses"), "allowClasses");
        try {
            ClassAllowlist.of(allow);
        } catch (IllegalArgumentException e) {
            error(where(m.get("allowClasses")), e.getMessage());
        }
        return allow;
    }

    /** A shared store's {@code maxValueSize}, or {@code fallback} if it is not given or not a size. */
    private long maxValueSize(Map<String, YamlNode> m, long fallback) {
        Long parsed = m.containsKey("maxValueSize") ? byteSize(m.get("maxValueSize"), "maxValueSize") : null;
        return parsed != null ? parsed : fallback;
    }

    /** A shared store's {@code maxStaleness}; {@code null} for no bound (not given, or 0, which {@code zeroMessage} refuses). */
    private Duration maxStaleness(Map<String, YamlNode> m, String zeroMessage) {
        if (!m.containsKey("maxStaleness")) {
            return null;
        }
        Duration maxStaleness = duration(m.get("maxStaleness"), "maxStaleness");
        if (maxStaleness != null && maxStaleness.isZero()) {
            error(where(m.get("maxStaleness")), zeroMessage);
            return null;
        }
        return maxStaleness;
    }

    private static boolean isHostPort(String s) {
        return s.matches("[^:\\s]+:\\d{1,5}") && isPort(Integer.parseInt(s.substring(s.lastIndexOf(':') + 1)));
    }

    /** {@code sentinel: { master: NAME, nodes: [host:port, ...], user:, password:, database:, sentinelPassword: }}. */
    private SentinelSettings readSentinel(YamlNode node) {
        Map<String, YamlNode> m = mapping(node, "redis sentinel", SENTINEL_KEYS);
        String master = scalar(m.get("master"), "master");
        if (master == null || master.isBlank()) {
            error(where(node), "redis sentinel: needs 'master:', the name the sentinels monitor the master by (the "
                    + "name in 'sentinel monitor NAME host port quorum' of sentinel.conf), like 'master: mymaster'");
        }
        List<String> nodes = strings(m.get("nodes"), "nodes");
        if (nodes.isEmpty()) {
            error(where(node), "redis sentinel: needs 'nodes:', a list of host:port of the sentinels, like "
                    + "[127.0.0.1:26379, 127.0.0.2:26379]");
        }
        for (String n : nodes) {
            if (!isHostPort(n)) {
                error(where(m.get("nodes")), "each sentinel node is host:port, like 127.0.0.1:26379, with a port from 1 to "
                        + "65535; got '" + n + "'");
            }
        }
        int database = 0;
        if (m.containsKey("database")) {
            String text = scalar(m.get("database"), "database");
            if (text == null || !text.matches("\\d{1,5}")) {
                error(where(m.get("database")), "redis sentinel database is a number from 0, like 'database: 0'; got '"
                        + text + "'");
            } else {
                database = Integer.parseInt(text);
            }
        }
        return new SentinelSettings(master, nodes, resolved(m.get("user"), "user"), resolved(m.get("password"), "password"),
                database, resolved(m.get("sentinelPassword"), "sentinelPassword"));
    }

    /**
     * {@code secret: X} or {@code secrets: [NEW, OLD, ...]} (newest first, a rotation in progress), each from the
     * environment; empty only with {@code insecure: true}. Messages never quote a secret.
     */
    private List<String> secrets(Map<String, YamlNode> m, boolean insecure, YamlNode keyNode, String section) {
        List<String> secrets = new ArrayList<>();
        if (m.containsKey("secret") && m.containsKey("secrets")) {
            error(where(m.get("secrets")), section + ": has both 'secret:' and 'secrets:'; write one: 'secret: ${RECALL_SECRET}', "
                    + "or while rotating 'secrets: [${RECALL_SECRET}, ${RECALL_SECRET_OLD}]' (newest first)");
            return secrets;
        }
        List<YamlNode> nodes = new ArrayList<>();
        if (m.containsKey("secrets")) {
            if (m.get("secrets") instanceof Sequence list) {
                nodes.addAll(list.items());
            }
            if (nodes.isEmpty()) {
                error(where(m.get("secrets")), section + " secrets: is a list of at least one secret, newest first, like "
                        + "secrets: [${RECALL_SECRET}, ${RECALL_SECRET_OLD}] (for one secret, 'secret: ${RECALL_SECRET}')");
            }
        } else if (m.containsKey("secret")) {
            nodes.add(m.get("secret"));
        } else if (!insecure) {
            error(where(keyNode), section + ": needs 'secret:', the key every entry is encrypted and authenticated with so that "
                    + "nothing in " + (section.equals("redis") ? "Redis" : "Memcached") + " can be read without it and a value nobody in this application wrote is never read: "
                    + "write 'secret: ${RECALL_SECRET}' and set that environment variable to a random string of 16 or more "
                    + "characters (or, to store values in plain text, unsigned, 'insecure: true')");
        }
        for (YamlNode node : nodes) {
            String secret = resolved(node, "secret");
            if (secret == null) {
                continue;
            }
            if (secret.length() < SHORTEST_SECRET) {
                error(where(node), section + " secret is too short to encrypt with (" + secret.length()
                        + " characters); use a random string of " + SHORTEST_SECRET + " or more");
            } else if (secrets.contains(secret)) {
                error(where(node), section + " secrets: lists the same secret twice (entry " + (secrets.indexOf(secret) + 1)
                        + " and " + (secrets.size() + 1) + "); each rotation step lists a secret once, newest first");
            }
            secrets.add(secret);
        }
        return List.copyOf(secrets);
    }

    /** What would stop a connection to this URI, as the connector reads it, or {@code null}. */
    private static String uriProblem(String uri) {
        URI u;
        try {
            u = new URI(uri);
        } catch (URISyntaxException e) {
            return e.getReason() + " at character " + (e.getIndex() + 1);
        }
        if (u.getHost() == null) {
            return "it names no host (or the host or port is malformed)";
        }
        if (u.getPort() != -1 && !isPort(u.getPort())) {
            return "port " + u.getPort() + " is not from 1 to 65535";
        }
        String path = u.getPath();
        if (path != null && path.length() > 1 && !path.substring(1).matches("\\d{1,9}")) {
            return "after the '/' comes the database, a number like 0; got '" + path.substring(1) + "'";
        }
        return null;
    }

    private static boolean isPort(int port) {
        return port >= 1 && port <= 65_535;
    }

    private static String withoutPassword(String uri) {
        return uri.replaceAll("//[^@/]*@", "//***@");
    }

    private NearSettings readNear(YamlNode node) {
        if (node == null) {
            return NearSettings.DEFAULT;
        }
        Map<String, YamlNode> m = mapping(node, "near", NEAR_KEYS);
        Duration ttl = duration(m.get("ttl"), "ttl");
        Long maxSize = positiveLong(m.get("maxSize"), "maxSize");
        return new NearSettings(ttl == null ? NearSettings.DEFAULT.ttl() : ttl,
                maxSize == null ? NearSettings.DEFAULT.maxSize() : maxSize);
    }

    private WriteBackSettings readWriteBack(YamlNode node) {
        WriteBackSettings d = WriteBackSettings.DEFAULT;
        if (node == null) {
            return d;
        }
        Map<String, YamlNode> m = mapping(node, "writeBack", WRITE_BACK_KEYS);
        Duration delay = m.containsKey("delay") ? duration(m.get("delay"), "delay") : d.delay();
        if (delay != null && delay.compareTo(Duration.ofMinutes(1)) > 0) {
            error(where(m.get("delay")), "writeBack delay must be at most 1m (it is how long an accepted "
                    + "write waits before it reaches the method); got " + Durations.format(delay));
        }
        Long maxPending = positiveLong(m.get("maxPending"), "maxPending");
        Long batchSize = positiveLong(m.get("batchSize"), "batchSize");
        Duration drain = m.containsKey("drainTimeout") ? duration(m.get("drainTimeout"), "drainTimeout") : d.drainTimeout();
        return new WriteBackSettings(delay == null ? d.delay() : delay,
                maxPending == null ? d.maxPending() : (int) Math.min(maxPending, 10_000_000),
                batchSize == null ? d.batchSize() : (int) Math.min(batchSize, 100_000), drain == null ? d.drainTimeout() : drain);
    }

    /**
     * A scalar with its {@code ${NAME}} references replaced from the environment. Anything that looks like a
     * reference but is not one is an error, not literal text: {@code secret: ${RECALL SECRET}} taken literally
     * would sign every entry with a key anyone can read in the file.
     */
    private String resolved(YamlNode node, String what) {
        String text = plainScalar(node, what);
        if (text == null) {
            return null;
        }
        Matcher bare = BARE_ENV.matcher(text);
        if (bare.matches()) {
            error(where(node), "'" + what + ":' is $" + bare.group(1) + ", an environment variable written without braces; "
                    + "write ${" + bare.group(1) + "} to read it (" + ENV_FORM + ")");
            return null;
        }
        Matcher matcher = ENV.matcher(text);
        StringBuilder out = new StringBuilder();
        int from = 0;
        while (true) {
            int open = text.indexOf("${", from);
            if (open < 0) {
                break;
            }
            if (!matcher.find(open) || matcher.start() != open) {
                error(where(node), "'" + what + ":' has " + badReference(text, open) + ", which is not a reference to an "
                        + "environment variable; " + ENV_FORM + " (the value itself cannot contain '${')");
                return null;
            }
            String value = environment.apply(matcher.group(1));
            if (value == null || value.isEmpty()) {
                error(where(node), "'" + what + ":' refers to the environment variable " + matcher.group(1)
                        + ", which is not set; set it for the application's process");
                return null;
            }
            out.append(text, from, open).append(value);
            from = matcher.end();
        }
        return out.append(text, from, text.length()).toString();
    }

    /**
     * The reference that failed, quoted only when it is short and made of name-like characters: the text around
     * it may be a password or a secret, which must not reach stderr or the MBean.
     */
    private static String badReference(String text, int open) {
        int close = text.indexOf('}', open);
        if (close > 0 && close - open <= 42 && text.substring(open + 2, close).matches("[\\w .\\-]*")) {
            return "'" + text.substring(open, close + 1) + "'";
        }
        return "a '${' at character " + (open + 1) + (close < 0 ? " that is never closed with '}'" : "");
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
        return ruleSettings(node, m, pattern, scalar(m.get("cache"), "cache"), pattern != null);
    }

    /**
     * The settings of a {@code methods:} entry or a {@code caches:} entry, read by the same readers (a key the
     * section does not allow was refused by {@link #mapping} and is absent here). Every value is read for its errors;
     * the rule is made only if {@code keep} (where it is written is found only then: a file of half a million broken
     * entries must not be scanned for each).
     */
    private MethodRule ruleSettings(YamlNode node, Map<String, YamlNode> m, MethodPattern pattern, String cache, boolean keep) {
        String key = scalar(m.get("key"), "key");
        Duration ttl = duration(m.get("ttl"), "ttl");
        StrategyKind strategy = strategy(m.get("strategy"));
        Long maxSize = positiveLong(m.get("maxSize"), "maxSize");
        Boolean cacheNulls = bool(m.get("cacheNulls"), "cacheNulls");
        StoreKind store = m.containsKey("store") ? readStore(m.get("store")) : null;
        Duration loadWait = duration(m.get("loadWait"), "loadWait");
        CopyKind copy = copy(m.get("copy"));
        Boolean shared = bool(m.get("shared"), "shared");
        Duration refresh = duration(m.get("refresh"), "refresh");
        Duration staleIfError = duration(m.get("staleIfError"), "staleIfError");
        Duration loadTimeout = duration(m.get("loadTimeout"), "loadTimeout");
        Double jitter = jitter(m.get("jitter"));
        Duration nullTtl = duration(m.get("nullTtl"), "nullTtl");
        Double verify = share(m.get("verify"), "verify");
        Boolean sensitive = bool(m.get("sensitive"), "sensitive");
        Boolean bulk = bool(m.get("bulk"), "bulk");
        return !keep ? null : new MethodRule(pattern, where(node), cache, key, ttl, strategy, maxSize, cacheNulls, store, loadWait, copy, shared,
                refresh, staleIfError, loadTimeout, jitter, nullTtl, verify, sensitive, bulk);
    }

    /**
     * {@code caches:}, Recall's settings by cache name for the JSR-107 annotations ({@code @CacheResult(cacheName =
     * ...)}): each a rule without a method pattern, whose {@code cache} is the name.
     */
    private Map<String, MethodRule> readCaches(YamlNode node) {
        Map<String, MethodRule> caches = new java.util.LinkedHashMap<>();
        if (node == null || node instanceof Scalar s && s.value().isEmpty()) {
            return caches;
        }
        if (!(node instanceof Mapping map)) {
            error(where(node), "'caches:' must be a section of cache names, each with its settings, for example "
                    + " caches: { blogManager: { ttl: 10m, store: two-level } }");
            return caches;
        }
        for (Entry e : map.entries()) {
            String name = e.key().value();
            Map<String, YamlNode> m = mapping(e.value(), "the settings of cache '" + name + "' (under caches:)", CACHE_KEYS);
            if (caches.put(name, ruleSettings(e.key(), m, null, name, true)) != null) {
                error(where(e.key()), "cache '" + name + "' is written twice under caches:; keep one");
            }
        }
        return caches;
    }

    private EvictRule readEvict(YamlNode node) {
        Map<String, YamlNode> m = mapping(node, "an evict entry", EVICT_KEYS);
        MethodPattern pattern = pattern(node, m.get("method"), "evict");
        String cache = scalar(m.get("cache"), "cache");
        if (cache == null || cache.isBlank()) {
            error(where(node), "an evict entry needs 'cache:', the region to evict from (as named by its readers)");
        }
        String key = scalar(m.get("key"), "key");
        Boolean allEntries = bool(m.get("allEntries"), "allEntries");
        Boolean before = bool(m.get("beforeInvocation"), "beforeInvocation");
        if (Boolean.TRUE.equals(allEntries) && key != null) {
            // Either reading leaves the other setting silently unused; which one the user meant is theirs to say.
            error(where(m.get("key")), "an evict entry has both 'key:' (evict one entry) and 'allEntries: true' (evict every "
                    + "entry of the region); keep the one you mean: delete 'key:' to clear the region, or 'allEntries:' to "
                    + "evict the key's entry only");
            return null;
        }
        return pattern == null || cache == null ? null : new EvictRule(pattern, where(node), cache, key, allEntries, before);
    }

    private MethodPattern pattern(YamlNode entry, YamlNode node, String section) {
        if (node == null) {
            error(where(entry), "each " + section + " entry needs 'method:'; " + MethodPattern.FORM);
            return null;
        }
        String text = scalar(node, "method");
        if (text == null) {
            return null;
        }
        try {
            return MethodPattern.parse(text);
        } catch (IllegalArgumentException e) {
            error(where(node), e.getMessage());
            return null;
        }
    }

    private Duration duration(YamlNode node, String what) {
        String text = scalar(node, what);
        if (text == null) {
            return null;
        }
        String odd = odd(node, text);
        if (!odd.isEmpty()) {
            error(where(node), "bad duration: '" + text + "'" + odd + "; a duration is written in ASCII: " + Durations.FORMS);
            return null;
        }
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            error(where(node), "bad duration: " + e.getMessage());
            return null;
        }
    }

    /** A share of the TTL: {@code 10%}, {@code 0} (off), or a fraction {@code 0.1}; at most 90%. */
    private Double jitter(YamlNode node) {
        return share(node, "jitter", 0.9, "jitter must be a share of the ttl from 0% to 90%, like 10% (each entry lives "
                + "between 90% and 100% of its ttl) or 0 (off)");
    }

    private StrategyKind strategy(YamlNode node) {
        String text = scalar(node, "strategy");
        if (text == null) {
            return null;
        }
        StrategyKind k = Characters.firstOdd(text.trim(), 1) == null ? StrategyKind.fromName(text) : null;
        if (k == null) {
            error(where(node), "unknown strategy '" + text + "'" + itHas(node, text)
                    + Suggestions.didYouMean(text, StrategyKind.CONFIG_NAMES));
        }
        return k;
    }

    private CopyKind copy(YamlNode node) {
        String text = scalar(node, "copy");
        if (text == null) {
            return null;
        }
        CopyKind k = Characters.firstOdd(text.trim(), 1) == null ? CopyKind.fromName(text) : null;
        if (k == null) {
            error(where(node), "unknown copy '" + text + "'" + itHas(node, text) + "; write auto (share immutable values, copy the others), "
                    + "reference (always share) or value (always copy)" + Suggestions.didYouMean(text, CopyKind.CONFIG_NAMES));
        }
        return k;
    }

    /** A size in bytes: a whole number, or with a unit {@code kb} or {@code mb} (1024-based), from 1 byte to 512 MB. */
    private Long byteSize(YamlNode node, String what) {
        String text = scalar(node, what);
        if (text == null) {
            return null;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})\\s*(b|kb|mb)?", java.util.regex.Pattern.CASE_INSENSITIVE)
                .matcher(text.trim());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(java.util.Locale.ROOT);
            long bytes = n * (unit.equals("mb") ? 1024 * 1024 : unit.equals("kb") ? 1024 : 1);
            if (bytes >= 1 && bytes <= 512L * 1024 * 1024) {
                return bytes;
            }
        }
        error(where(node), "redis " + what + " must be a size from 1 byte to 512mb, like 1048576, 512kb or 1mb; got '" + text + "'");
        return null;
    }

    private Long positiveLong(YamlNode node, String what) {
        String text = scalar(node, what);
        if (text == null) {
            return null;
        }
        Long v = wholeNumber(text);
        if (v != null && v > 0) {
            return v;
        }
        error(where(node), what + " must be a positive whole number" + (what.equals("maxSize") ? " of entries" : "")
                + ", like " + (what.equals("batchSize") ? "100" : "10000") + "; got '" + text + "'" + numberProblem(node, text));
        return null;
    }

    private Boolean bool(YamlNode node, String what) {
        String text = scalar(node, what);
        if (text == null) {
            return null;
        }
        // ASCII only: equalsIgnoreCase takes "falſe" (a long s) for false.
        if (Characters.firstOdd(text, 1) == null && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
            return Boolean.valueOf(text);
        }
        error(where(node), "'" + what + "': expected true or false, got '" + text + "'" + itHas(node, text));
        return null;
    }

    private String scalar(YamlNode node, String what) {
        String text = plainScalar(node, what);
        if (text != null && text.contains("${")) {
            // Taken literally, a reference is a silent mistake: every application would share the key prefix "${APP}:".
            error(where(node), "'" + what + "' has '" + text + "': environment variables (${NAME}) are read only in redis "
                    + "'uri:', 'secret:' and 'secrets:'; write the value itself here");
            return null;
        }
        return text;
    }

    /** A scalar's text, {@code ${...}} and all. */
    private String plainScalar(YamlNode node, String what) {
        if (node == null) {
            return null;
        }
        lastRead = node;
        if (node instanceof Scalar s) {
            return s.value();
        }
        error(where(node), "'" + what + "' must be a single value, not a list or a section");
        return null;
    }

    private List<YamlNode> sequence(YamlNode node, String what, String firstKey) {
        if (node == null) {
            return List.of();
        }
        lastRead = node;
        if (node instanceof Sequence s) {
            return s.items();
        }
        if (node instanceof Scalar s && s.value().isEmpty()) {
            return List.of();
        }
        error(where(node), "'" + what + ":' must be a list, each entry starting with '- " + firstKey + ": ...'");
        return List.of();
    }

    private Map<String, YamlNode> mapping(YamlNode node, String what, List<String> allowed) {
        Map<String, YamlNode> result = new HashMap<>();
        if (node != null) {
            lastRead = node;
        }
        if (!(node instanceof Mapping m)) {
            if (!(node instanceof Scalar s && s.value().isEmpty())) {
                error(where(node), what + " must be a section of 'key: value' lines");
            }
            return result;
        }
        for (Entry t : m.entries()) {
            Scalar keyNode = t.key();
            String key = keyNode.value();
            if (!allowed.contains(key)) {
                error(where(keyNode), "unknown key '" + key + "' in " + what + itHas(keyNode, key)
                        + Suggestions.didYouMean(key, allowed));
            } else if (result.put(key, t.value()) != null) {
                error(where(keyNode), "'" + key + "' is written twice in " + what + "; keep one");
            }
        }
        return result;
    }

    /** A whole number in ASCII digits, {@code _} allowed between digits ({@code 10_000}); {@code null} if it is not one. */
    private static Long wholeNumber(String text) {
        String t = text.trim();
        if (!WHOLE.matcher(t).matches()) {
            return null;
        }
        try {
            return Long.parseLong(t.replace("_", ""));
        } catch (NumberFormatException tooLarge) {
            return null;
        }
    }

    /** What makes {@code text} not a number a reader would see as one, as {@code " (...)"}; empty if nothing does. */
    private String numberProblem(YamlNode node, String text) {
        String odd = odd(node, text);
        if (!odd.isEmpty()) {
            return ":" + odd + "; write numbers in ASCII digits 0-9";
        }
        String t = text.trim();
        if (t.indexOf('_') >= 0 && UNDERSCORES.matcher(t).replaceAll("").indexOf('_') >= 0) {
            return ": an '_' may stand only between two digits, like 10_000";
        }
        return "";
    }

    /**
     * {@code " contains U+0430 CYRILLIC SMALL LETTER A (a look-alike of 'a') at column 3"} for the first character of
     * {@code value} (read from {@code node}) that is not printable ASCII, the column counted in its line of the file
     * where the value is found there; empty when every character is plain.
     */
    private String odd(YamlNode node, String value) {
        if (Characters.firstOddIndex(value) < 0) {
            return ""; // the common case, without copying a value that may be megabytes long
        }
        int from = 0;
        int to = value.length();
        while (from < to && (value.charAt(from) == ' ' || value.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (value.charAt(to - 1) == ' ' || value.charAt(to - 1) == '\t')) {
            to--;
        }
        String trimmed = value.substring(from, to);
        if (Characters.firstOddIndex(trimmed) < 0) {
            return ""; // only tabs around the value
        }
        int column = columnOf(node, trimmed);
        return column > 0 ? " " + Characters.firstOdd(trimmed, column)
                : " " + Characters.firstOdd(trimmed, 1).replace(" at column ", " at character ");
    }

    /** {@link #odd} as {@code ": it contains ..."}, to follow a quoted value; empty when the value is plain. */
    private String itHas(YamlNode node, String value) {
        String odd = odd(node, value);
        return odd.isEmpty() ? "" : ": it" + odd;
    }

    /** The column (from 1) where {@code value} starts in {@code node}'s line, or 0 if it is not there as written. */
    private int columnOf(YamlNode node, String value) {
        if (node == null || text == null || value.isEmpty()) {
            return 0;
        }
        if (lines == null) {
            lines = (text.startsWith("\uFEFF") ? text.substring(1) : text).split("\r?\n", -1);
        }
        int line = node.line();
        if (line < 1 || line > lines.length) {
            return 0;
        }
        String l = lines[line - 1];
        int colon = l.indexOf(": ");
        int at = node instanceof Scalar && colon >= 0 && l.indexOf(value, colon) >= 0 ? l.indexOf(value, colon) : l.indexOf(value);
        return at < 0 ? 0 : l.codePointCount(0, at) + 1;
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
