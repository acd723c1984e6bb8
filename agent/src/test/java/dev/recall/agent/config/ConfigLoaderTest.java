package dev.recall.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.agent.config.StrategyKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static final String LABEL = "recall.yml";

    /** The example of the contract, line for line. */
    private static final String CONTRACT_EXAMPLE = """
            defaults:
              ttl: 5m
              maxSize: 10000          # entries per region
              cacheNulls: true
            methods:
              - method: com.acme.fx.RatesClient#rate(java.lang.String, java.lang.String)
                cache: fx-rates
                key: "{0}:{1}"
                ttl: 30s
                strategy: read-through
              - method: com.acme.repo.*Repository#find*(..)     # wildcards in class and method, (..) any params
                ttl: 1m
              - method: com.acme.repo.ProductRepository#save(com.acme.Product)   # an interface: its implementations
                cache: products
                key: "{0.id}"
                strategy: write-back
            evict:
              - method: com.acme.repo.ProductRepository#delete(long)
                cache: products
                key: "{0}"
            """;

    private static RecallConfig parse(String yaml) {
        return ConfigLoader.parse(LABEL, yaml);
    }

    /** The only error of a file that has exactly one. */
    private static ConfigError onlyError(String yaml) {
        RecallConfig c = parse(yaml);
        assertEquals(1, c.errors().size(), () -> "expected exactly one error, got " + c.errors());
        assertFalse(c.usable(), "a configuration with errors must not be usable");
        return c.errors().get(0);
    }

    private static void assertContains(String expected, String actual) {
        assertTrue(actual.contains(expected), () -> "expected '" + expected + "' in: " + actual);
    }

    // ---- a valid file ----

    @Test
    void contractExampleHasNoErrorsAndIsUsable() {
        RecallConfig c = parse(CONTRACT_EXAMPLE);
        assertEquals(List.of(), c.errors());
        assertTrue(c.usable());
        assertTrue(c.hasRules());
        assertEquals(LABEL, c.source());
    }

    /** The defaults of the first wave: these four given, the freshness settings their built-in values. */
    private static Defaults defaults(Duration ttl, long maxSize, boolean cacheNulls, Duration loadWait) {
        return new Defaults(SettingValues.NONE).with(Settings.TTL, ttl).with(Settings.MAX_SIZE, maxSize)
                .with(Settings.CACHE_NULLS, cacheNulls).with(Settings.LOAD_WAIT, loadWait);
    }

    @Test
    void contractExampleDefaults() {
        assertEquals(defaults(Duration.ofMinutes(5), 10_000, true, Duration.ofSeconds(30)), parse(CONTRACT_EXAMPLE).defaults());
    }

    @Test
    void contractExampleFirstMethodHasEveryAttribute() {
        MethodRule r = parse(CONTRACT_EXAMPLE).methods().get(0);
        assertEquals("com.acme.fx.RatesClient", r.pattern().exactClassName());
        assertTrue(r.pattern().matchesMethod("rate", List.of("java.lang.String", "java.lang.String")));
        assertEquals("fx-rates", r.get(Settings.CACHE));
        assertEquals("{0}:{1}", r.get(Settings.KEY));
        assertEquals(Duration.ofSeconds(30), r.get(Settings.TTL));
        assertEquals(StrategyKind.READ_THROUGH, r.get(Settings.STRATEGY));
        assertEquals(LABEL + ":6", r.where());
    }

    @Test
    void contractExampleUnwrittenAttributesAreNull() {
        MethodRule r = parse(CONTRACT_EXAMPLE).methods().get(1);
        assertTrue(r.pattern().matchesType("com.acme.repo.ProductRepository"));
        assertTrue(r.pattern().matchesMethod("findById", List.of("long")));
        assertEquals(Duration.ofMinutes(1), r.get(Settings.TTL));
        assertNull(r.get(Settings.CACHE));
        assertNull(r.get(Settings.KEY));
        assertNull(r.get(Settings.STRATEGY));
        assertNull(r.get(Settings.MAX_SIZE));
        assertNull(r.get(Settings.CACHE_NULLS));
        assertEquals(LABEL + ":11", r.where());
    }

    @Test
    void contractExampleWriteBackMethod() {
        MethodRule r = parse(CONTRACT_EXAMPLE).methods().get(2);
        assertEquals("products", r.get(Settings.CACHE));
        assertEquals("{0.id}", r.get(Settings.KEY));
        assertEquals(StrategyKind.WRITE_BACK, r.get(Settings.STRATEGY));
        assertNull(r.get(Settings.TTL));
        assertTrue(r.pattern().matchesMethod("save", List.of("com.acme.Product")));
    }

    @Test
    void contractExampleEvictRule() {
        RecallConfig c = parse(CONTRACT_EXAMPLE);
        assertEquals(3, c.methods().size());
        assertEquals(1, c.evictions().size());
        EvictRule e = c.evictions().get(0);
        assertEquals("com.acme.repo.ProductRepository", e.pattern().exactClassName());
        assertTrue(e.pattern().matchesMethod("delete", List.of("long")));
        assertEquals("products", e.cache());
        assertEquals("{0}", e.key());
        assertNull(e.allEntries());
        assertNull(e.beforeInvocation());
        assertEquals(LABEL + ":18", e.where());
    }

    @Test
    void freshnessKeysOfARuleAndOfTheDefaults() {
        RecallConfig c = parse("""
                defaults:
                  jitter: 5%
                  staleIfError: 10m
                  loadTimeout: 1s
                methods:
                  - method: com.acme.fx.RatesClient#rate(..)
                    ttl: 5m
                    refresh: 4m
                    staleIfError: 30m
                    loadTimeout: 2s
                    jitter: 0.25
                    nullTtl: 30s
                """);
        assertTrue(c.usable(), () -> c.errors().toString());
        assertEquals(0.05, c.defaults().get(Settings.JITTER), 1e-9);
        assertEquals(Duration.ofMinutes(10), c.defaults().get(Settings.STALE_IF_ERROR));
        assertEquals(Duration.ofSeconds(1), c.defaults().get(Settings.LOAD_TIMEOUT));
        MethodRule r = c.methods().get(0);
        assertEquals(Duration.ofMinutes(4), r.get(Settings.REFRESH));
        assertEquals(Duration.ofMinutes(30), r.get(Settings.STALE_IF_ERROR));
        assertEquals(Duration.ofSeconds(2), r.get(Settings.LOAD_TIMEOUT));
        assertEquals(0.25, r.get(Settings.JITTER), 1e-9);
        assertEquals(Duration.ofSeconds(30), r.get(Settings.NULL_TTL));
        assertEquals(0.0, parse("methods:\n  - method: a.B#c()\n    jitter: 0\n").methods().get(0).get(Settings.JITTER));
    }

    @Test
    void aJitterOutsideZeroToNinetyPercentSaysWhatToWrite() {
        for (String bad : new String[] {"95%", "-1%", "ten", "1.5"}) {
            ConfigError e = onlyError("methods:\n  - method: a.B#c()\n    jitter: " + bad + "\n");
            assertContains("jitter must be a share of the ttl from 0% to 90%, like 10%", e.message());
            assertEquals(LABEL + ":3", e.where());
        }
    }

    @Test
    void adviseTakesClassPatternsOrMethodPatterns() {
        RecallConfig c = parse("""
                advise:
                  - com.acme.**
                  - com.other.repo.*Repository#find*(..)
                """);
        assertTrue(c.usable(), () -> c.errors().toString());
        assertEquals(2, c.advise().size());
        assertTrue(c.advise().get(0).matchesType("com.acme.deep.Service"));
        assertTrue(c.advise().get(0).matchesMethod("anything", java.util.List.of("long")));
        assertTrue(c.advise().get(1).matchesMethod("findAll", java.util.List.of()));
        assertFalse(c.advise().get(1).matchesMethod("save", java.util.List.of()));
        assertEquals(1, parse("advise: com.acme.**\n").advise().size(), "one pattern may stand alone");
        assertFalse(parse("").advises(), "nothing advised unless asked");
    }

    @Test
    void aBadAdvisePatternIsAnErrorAtItsLine() {
        ConfigError e = onlyError("advise:\n  - com.acme.**\n  - com acme\n");
        assertEquals(LABEL + ":3", e.where());
        assertContains("advise: 'com acme' is not a class name", e.message());
    }

    @Test
    void verifyAtTheTopLevelInDefaultsOrPerRule() {
        RecallConfig top = parse("verify: 1%\nmethods:\n  - method: a.B#c()\n    verify: 0.5%\n");
        assertTrue(top.usable(), () -> top.errors().toString());
        assertEquals(0.01, top.defaults().verify(), 1e-12);
        assertEquals(0.005, top.methods().get(0).get(Settings.VERIFY), 1e-12);
        assertEquals(0.25, parse("defaults:\n  verify: 0.25\n").defaults().verify(), 1e-12);
        assertEquals(0.0, parse("").defaults().verify(), "off unless asked");
        assertNull(parse("methods:\n  - method: a.B#c()\n").methods().get(0).get(Settings.VERIFY), "a rule without it takes the default");
    }

    @Test
    void aVerifyShareOutsideZeroToAHundredPercentSaysWhatToWrite() {
        for (String bad : new String[] {"101%", "-1%", "often", "1.5"}) {
            ConfigError e = onlyError("methods:\n  - method: a.B#c()\n    verify: " + bad + "\n");
            assertContains("verify must be a share of hits from 0% to 100%, like 1%", e.message());
            assertEquals(LABEL + ":3", e.where());
        }
        assertContains("verify is given twice", onlyError("verify: 1%\ndefaults:\n  verify: 2%\n").message());
    }

    @Test
    void theMetricsSection() {
        RecallConfig c = parse("""
                metrics:
                  globalRegistry: true
                  prometheus:
                    port: 9464
                  otlp:
                    url: http://127.0.0.1:4318/v1/metrics
                    interval: 30s
                    headers: { Authorization: "Bearer x" }
                """);
        assertTrue(c.usable(), () -> c.errors().toString());
        assertEquals(new MetricsSettings.Prometheus("127.0.0.1", 9464), c.metrics().prometheus());
        assertTrue(c.metrics().globalRegistry());
        assertEquals(java.net.URI.create("http://127.0.0.1:4318/v1/metrics"), c.metrics().otlp().url());
        assertEquals(Duration.ofSeconds(30), c.metrics().otlp().interval());
        assertEquals(java.util.Map.of("Authorization", "Bearer x"), c.metrics().otlp().headers());
        assertEquals(MetricsSettings.NONE, parse("").metrics(), "nothing exported unless asked");
        assertContains("metrics.otlp url must be an http:// or https:// address",
                onlyError("metrics:\n  otlp:\n    url: localhost:4318\n").message());
        assertContains("port must be from 1 to 65535", onlyError("metrics:\n  prometheus:\n    port: 70000\n").message());
    }

    @Test
    void methodEntryOptionalAttributes() {
        RecallConfig c = parse("""
                methods:
                  - method: com.acme.Foo#bar()
                    maxSize: 500
                    cacheNulls: false
                    store: local
                    strategy: cache-aside
                """);
        assertTrue(c.usable(), () -> c.errors().toString());
        MethodRule r = c.methods().get(0);
        assertEquals(500L, r.get(Settings.MAX_SIZE));
        assertEquals(Boolean.FALSE, r.get(Settings.CACHE_NULLS));
        assertEquals(StrategyKind.CACHE_ASIDE, r.get(Settings.STRATEGY));
    }

    @Test
    void evictEntryOptionalAttributes() {
        RecallConfig c = parse("""
                evict:
                  - method: com.acme.Foo#clear()
                    cache: products
                    allEntries: true
                    beforeInvocation: false
                """);
        assertTrue(c.usable(), () -> c.errors().toString());
        EvictRule e = c.evictions().get(0);
        assertEquals(Boolean.TRUE, e.allEntries());
        assertEquals(Boolean.FALSE, e.beforeInvocation());
        assertNull(e.key());
    }

    @Test
    void builtInDefaultsWhenDefaultsSectionIsAbsent() {
        RecallConfig c = parse("""
                methods:
                  - method: com.acme.Foo#bar()
                """);
        assertTrue(c.usable());
        assertEquals(Defaults.BUILT_IN, c.defaults());
        assertEquals(defaults(Duration.ofMinutes(5), 10_000, true, Duration.ofSeconds(30)), Defaults.BUILT_IN);
    }

    @Test
    void partialDefaultsKeepBuiltInValuesForTheRest() {
        RecallConfig c = parse("""
                defaults:
                  ttl: 30s
                """);
        assertTrue(c.usable());
        assertEquals(defaults(Duration.ofSeconds(30), Defaults.BUILT_IN.get(Settings.MAX_SIZE), Defaults.BUILT_IN.get(Settings.CACHE_NULLS),
                Defaults.BUILT_IN.get(Settings.LOAD_WAIT)),
                c.defaults());
    }

    @Test
    void emptyFileIsUsableWithBuiltInDefaultsAndNoRules() {
        RecallConfig c = parse("");
        assertTrue(c.usable());
        assertFalse(c.hasRules());
        assertEquals(Defaults.BUILT_IN, c.defaults());
    }

    @Test
    void commentOnlyFileIsUsable() {
        assertTrue(parse("# nothing cached yet\n").usable());
    }

    @Test
    void storeLocalIsAccepted() {
        assertTrue(parse("store: local\n").usable());
    }

    @Test
    void strategyInScreamingCaseIsAccepted() {
        RecallConfig c = parse("""
                methods:
                  - method: com.acme.Foo#bar()
                    strategy: READ_THROUGH
                  - method: com.acme.Foo#save(com.acme.Item)
                    strategy: write_through
                """);
        assertTrue(c.usable(), () -> c.errors().toString());
        assertEquals(StrategyKind.READ_THROUGH, c.methods().get(0).get(Settings.STRATEGY));
        assertEquals(StrategyKind.WRITE_THROUGH, c.methods().get(1).get(Settings.STRATEGY));
    }

    @Test
    void isoDurationIsAcceptedAsTtl() {
        RecallConfig c = parse("""
                defaults:
                  ttl: PT30S
                """);
        assertTrue(c.usable());
        assertEquals(Duration.ofSeconds(30), c.defaults().ttl());
    }

    @Test
    void loadReadsAFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("recall.yml");
        Files.writeString(file, CONTRACT_EXAMPLE);
        RecallConfig c = ConfigLoader.load(file);
        assertTrue(c.usable(), () -> c.errors().toString());
        assertEquals(3, c.methods().size());
        assertEquals(file + ":6", c.methods().get(0).where());
    }

    @Test
    void loadOfAMissingFileIsAnErrorNamingTheFile(@TempDir Path dir) {
        Path file = dir.resolve("missing.yml");
        RecallConfig c = ConfigLoader.load(file);
        assertFalse(c.usable());
        assertEquals(file.toString(), c.errors().get(0).where());
        assertContains("cannot read", c.errors().get(0).message());
    }

    // ---- every error ----

    @Test
    void invalidYamlReportsItsLine() {
        ConfigError e = onlyError("""
                methods:
                  - method: com.acme.Foo#bar()
                   cache: x
                """);
        assertEquals(LABEL + ":3", e.where());
        assertContains("not valid YAML", e.message());
        assertContains("check indentation", e.message());
    }

    @Test
    void tabIndentationIsInvalidYamlOnItsLine() {
        ConfigError e = onlyError("defaults:\n\tttl: 5m\n");
        assertEquals(LABEL + ":2", e.where());
        assertContains("not valid YAML", e.message());
        assertContains("spaces, not tabs", e.message());
    }

    @Test
    void invalidYamlYieldsBuiltInDefaultsAndNoRules() {
        RecallConfig c = parse("methods: [com.acme.Foo#bar()\n");
        assertFalse(c.usable());
        assertEquals(Defaults.BUILT_IN, c.defaults());
        assertFalse(c.hasRules());
    }

    @Test
    void unknownTopLevelKeySuggestsTheClosest() {
        ConfigError e = onlyError("""
                defaults:
                  ttl: 5m
                mehtods:
                  - method: com.acme.Foo#bar()
                """);
        assertEquals(LABEL + ":3", e.where());
        assertContains("unknown key 'mehtods'", e.message());
        assertContains("did you mean 'methods'?", e.message());
    }

    @Test
    void unknownTopLevelKeyFarFromAnyListsThemAll() {
        ConfigError e = onlyError("caching: on\n");
        assertEquals(LABEL + ":1", e.where());
        assertContains("expected one of defaults, store, methods, evict", e.message());
    }

    @Test
    void unknownKeyInAMethodsEntrySuggestsTtl() {
        ConfigError e = onlyError("""
                methods:
                  - method: com.acme.Foo#bar()
                    tll: 5m
                """);
        assertEquals(LABEL + ":3", e.where());
        assertContains("unknown key 'tll' in a methods entry", e.message());
        assertContains("did you mean 'ttl'?", e.message());
    }

    @Test
    void unknownKeyInDefaultsSuggestsTheClosest() {
        ConfigError e = onlyError("""
                defaults:
                  maxsize: 100
                """);
        assertEquals(LABEL + ":2", e.where());
        assertContains("did you mean 'maxSize'?", e.message());
    }

    @Test
    void unknownKeyInAnEvictEntrySuggestsTheClosest() {
        ConfigError e = onlyError("""
                evict:
                  - method: com.acme.Foo#clear()
                    cache: products
                    allEntires: true
                """);
        assertEquals(LABEL + ":4", e.where());
        assertContains("did you mean 'allEntries'?", e.message());
    }

    @Test
    void duplicateKeyInAMethodsEntryIsReportedAtTheSecond() {
        ConfigError e = onlyError("""
                methods:
                  - method: com.acme.Foo#bar()
                    ttl: 5m
                    ttl: 6m
                """);
        assertEquals(LABEL + ":4", e.where());
        assertContains("'ttl' is written twice", e.message());
        assertContains("keep one", e.message());
    }

    @Test
    void duplicateTopLevelKeyIsReported() {
        ConfigError e = onlyError("""
                store: local
                defaults:
                  ttl: 5m
                store: local
                """);
        assertEquals(LABEL + ":4", e.where());
        assertContains("'store' is written twice in the top level", e.message());
    }

    @Test
    void badDurationIsReportedOnTheLineOfTheTtlValue() {
        ConfigError e = onlyError("""
                methods:
                  - method: com.acme.Foo#bar()
                    cache: bars
                    ttl: 5 minutes
                """);
        assertEquals(LABEL + ":4", e.where());
        assertContains("bad duration", e.message());
        assertContains("'5 minutes'", e.message());
        assertContains(Durations.FORMS, e.message());
    }

    @Test
    void badDefaultDurationIsReportedOnItsLine() {
        ConfigError e = onlyError("""
                # the defaults
                defaults:
                  maxSize: 100
                  ttl: 0s
                """);
        assertEquals(LABEL + ":4", e.where());
        assertContains("'0s' is not positive", e.message());
        assertContains(Durations.FORMS, e.message());
    }

    @Test
    void emptyTtlIsABadDuration() {
        ConfigError e = onlyError("""
                methods:
                  - method: com.acme.Foo#bar()
                    ttl:
                """);
        assertEquals(LABEL + ":3", e.where());
        assertContains(Durations.FORMS, e.message());
    }

    @Test
    void unknownStrategySuggestsTheClosest() {
        ConfigError e = onlyError("""
                methods:
                  - method: com.acme.Foo#bar()
                    strategy: read-thru
                """);
        assertEquals(LABEL + ":3", e.where());
        assertContains("unknown strategy 'read-thru'", e.message());
        assertContains("did you mean 'read-through'?", e.message());
    }

    @Test
    void unknownStrategyFarFromAnyListsThemAll() {
        ConfigError e = onlyError("""
                methods:
                  - method: com.acme.Foo#bar()
                    strategy: lazy
                """);
        assertContains("expected one of read-through, cache-aside, write-through, write-back", e.message());
    }

    @Test
    void negativeMaxSizeIsReported() {
        ConfigError e = onlyError("""
                defaults:
                  maxSize: -3
                """);
        assertEquals(LABEL + ":2", e.where());
        assertContains("maxSize must be a positive whole number", e.message());
        assertContains("like 10000", e.message());
        assertContains("got '-3'", e.message());
    }

    @Test
    void zeroMaxSizeInAMethodsEntryIsReported() {
        ConfigError e = onlyError("""
                methods:
                  - method: com.acme.Foo#bar()
                    maxSize: 0
                """);
        assertEquals(LABEL + ":3", e.where());
        assertContains("got '0'", e.message());
    }

    @Test
    void nonNumericMaxSizeIsReported() {
        ConfigError e = onlyError("""
                defaults:
                  maxSize: lots
                """);
        assertEquals(LABEL + ":2", e.where());
        assertContains("got 'lots'", e.message());
    }

    @Test
    void cacheNullsThatIsNotABooleanIsReported() {
        ConfigError e = onlyError("""
                defaults:
                  ttl: 5m
                  cacheNulls: yes
                """);
        assertEquals(LABEL + ":3", e.where());
        assertContains("expected true or false, got 'yes'", e.message());
    }

    @Test
    void cacheNullsInAMethodsEntryThatIsNotABooleanIsReported() {
        ConfigError e = onlyError("""
                methods:
                  - method: com.acme.Foo#bar()
                    cacheNulls: 1
                """);
        assertEquals(LABEL + ":3", e.where());
        assertContains("expected true or false, got '1'", e.message());
    }

    @Test
    void methodsEntryWithoutMethodIsReportedAtTheEntry() {
        RecallConfig c = parse("""
                methods:
                  - method: com.acme.Foo#bar()
                  - cache: x
                    ttl: 5m
                """);
        assertEquals(1, c.errors().size(), c.errors().toString());
        ConfigError e = c.errors().get(0);
        assertEquals(LABEL + ":3", e.where());
        assertContains("each methods entry needs 'method:'", e.message());
        assertContains(MethodPattern.FORM, e.message());
        assertEquals(1, c.methods().size(), "the entry without a method makes no rule");
    }

    @Test
    void evictEntryWithoutMethodIsReported() {
        ConfigError e = onlyError("""
                evict:
                  - cache: products
                """);
        assertEquals(LABEL + ":2", e.where());
        assertContains("evict entry needs 'method:'", e.message());
        assertContains(MethodPattern.FORM, e.message());
    }

    @Test
    void evictEntryWithoutCacheIsReportedAtTheEntry() {
        ConfigError e = onlyError("""
                evict:
                  - method: com.acme.repo.ProductRepository#delete(long)
                    key: "{0}"
                """);
        assertEquals(LABEL + ":2", e.where());
        assertContains("an evict entry needs 'cache:'", e.message());
    }

    @Test
    void evictEntryWithBlankCacheIsReported() {
        ConfigError e = onlyError("""
                evict:
                  - method: com.acme.repo.ProductRepository#delete(long)
                    cache: ""
                """);
        assertContains("an evict entry needs 'cache:'", e.message());
    }

    @Test
    void badMethodPatternIsReportedOnItsLineWithTheSuggestion() {
        ConfigError e = onlyError("""
                methods:
                  - ttl: 5m
                    method: com.acme.Foo.bar(..)
                """);
        assertEquals(LABEL + ":3", e.where());
        assertContains("did you mean 'com.acme.Foo#bar(..)'", e.message());
    }

    @Test
    void methodsThatIsAScalarIsNotAList() {
        ConfigError e = onlyError("""
                defaults:
                  ttl: 5m
                methods: com.acme.Foo#bar()
                """);
        assertEquals(LABEL + ":3", e.where());
        assertContains("'methods:' must be a list", e.message());
        assertContains("'- method: ...'", e.message());
    }

    @Test
    void methodsThatIsASectionIsNotAList() {
        RecallConfig c = parse("""
                methods:
                  method: com.acme.Foo#bar()
                """);
        assertFalse(c.usable());
        assertEquals(1, c.errors().size(), c.errors().toString());
        assertContains("'methods:' must be a list", c.errors().get(0).message());
    }

    @Test
    void evictThatIsAScalarIsNotAList() {
        ConfigError e = onlyError("evict: com.acme.Foo#bar()\n");
        assertEquals(LABEL + ":1", e.where());
        assertContains("'evict:' must be a list", e.message());
    }

    @Test
    void emptyMethodsIsNoRules() {
        RecallConfig c = parse("methods:\n");
        assertTrue(c.usable(), () -> c.errors().toString());
        assertFalse(c.hasRules());
    }

    @Test
    void defaultsThatIsAScalarIsReported() {
        ConfigError e = onlyError("defaults: 5m\n");
        assertEquals(LABEL + ":1", e.where());
        assertContains("defaults must be a section of 'key: value' lines", e.message());
    }

    @Test
    void topLevelThatIsAListIsReported() {
        ConfigError e = onlyError("- method: com.acme.Foo#bar()\n");
        assertEquals(LABEL + ":1", e.where());
        assertContains("the top level must be a section", e.message());
    }

    @Test
    void ttlThatIsAListIsReported() {
        ConfigError e = onlyError("""
                methods:
                  - method: com.acme.Foo#bar()
                    ttl: [5m, 10m]
                """);
        assertEquals(LABEL + ":3", e.where());
        assertContains("'ttl' must be a single value", e.message());
    }

    @Test
    void redisStoreNeedsARedisSectionAndSaysSoWhereItIsAsked() {
        ConfigError e = onlyError("""
                defaults:
                  ttl: 5m
                store: redis
                """);
        assertEquals(LABEL + ":3", e.where());
        assertContains("store 'redis' needs a 'redis:' section", e.message());
        assertContains("redis://127.0.0.1:6379", e.message());
    }

    @Test
    void memcachedSectionIsReadAsTheContractShowsIt() {
        RecallConfig c = parse("""
                store: memcached
                memcached:
                  servers: [127.0.0.1:11211, cache2.internal:11212]
                  timeout: 80ms
                  keyPrefix: "shop:"
                  secret: a-memcached-secret-of-length
                  allowClasses: [com.acme.**]
                """);
        assertTrue(c.errors().isEmpty(), c.errors().toString());
        assertEquals(StoreKind.MEMCACHED, c.store());
        MemcachedSettings m = c.memcached();
        assertEquals(List.of("127.0.0.1:11211", "cache2.internal:11212"), m.servers());
        assertEquals(java.time.Duration.ofMillis(80), m.timeout());
        assertEquals("shop:", m.keyPrefix());
        assertEquals("a-memcached-secret-of-length", m.secret());
        assertEquals(List.of("com.acme.**"), m.allowClasses());
        assertEquals(MemcachedSettings.DEFAULT_MAX_VALUE_SIZE, m.maxValueSize());
        assertFalse(m.toString().contains("a-memcached-secret"), "the secret is never printed: " + m);
    }

    @Test
    void memcachedStoreNeedsItsSectionAndASecret() {
        assertContains("store 'memcached' needs a 'memcached:' section", onlyError("store: memcached\n").message());
        assertContains("memcached: needs 'secret:'", onlyError("""
                store: memcached
                memcached:
                  servers: [127.0.0.1:11211]
                """).message());
        assertContains("each memcached server is host:port", onlyError("""
                memcached:
                  servers: [127.0.0.1]
                  insecure: true
                """).message());
    }

    @Test
    void twoLevelOverMemcachedIsRefusedWithTheReason() {
        ConfigError e = onlyError("""
                memcached:
                  servers: [127.0.0.1:11211]
                  insecure: true
                methods:
                  - method: com.acme.Foo#bar()
                    store: two-level
                """);
        assertEquals(LABEL + ":6", e.where());
        assertContains("store 'two-level' works over Redis only", e.message());
        assertContains("store: memcached", e.message());
    }

    @Test
    void storeInAMethodsEntryIsCheckedToo() {
        ConfigError e = onlyError("""
                methods:
                  - method: com.acme.Foo#bar()
                    store: two-level
                """);
        assertEquals(LABEL + ":3", e.where());
        assertContains("store 'two-level' needs a 'redis:' section", e.message());
    }

    @Test
    void completeRedisSectionIsRead() {
        RecallConfig c = ConfigLoader.parse(LABEL, """
                store: two-level
                redis:
                  uri: redis://app:${PASS}@127.0.0.1:6380/2
                  timeout: 20ms
                  lockTimeout: 750ms
                  keyPrefix: "shop:"
                  secret: ${RECALL_SECRET}
                  allowClasses: [com.acme.model.**, com.acme.Money]
                near:
                  ttl: 3s
                  maxSize: 500
                methods:
                  - method: com.acme.Foo#bar()
                    store: local
                """, name -> name.equals("PASS") ? "pw" : name.equals("RECALL_SECRET") ? "0123456789abcdef0123" : null);
        assertTrue(c.usable(), () -> c.errors().toString());
        assertEquals(StoreKind.TWO_LEVEL, c.store());
        assertEquals("redis://app:pw@127.0.0.1:6380/2", c.redis().uri());
        assertEquals(Duration.ofMillis(20), c.redis().timeout());
        assertEquals(Duration.ofMillis(750), c.redis().lockTimeout());
        assertEquals("shop:", c.redis().keyPrefix());
        assertEquals("0123456789abcdef0123", c.redis().secret());
        assertEquals(List.of("com.acme.model.**", "com.acme.Money"), c.redis().allowClasses());
        assertEquals(new NearSettings(Duration.ofSeconds(3), 500), c.near());
        assertEquals(StoreKind.LOCAL, c.methods().get(0).get(Settings.STORE));
        assertFalse(c.redis().toString().contains("pw"), "the password must not be printed");
        assertFalse(c.redis().toString().contains("0123456789abcdef"), "the secret must not be printed");
    }

    @Test
    void writeBackSectionIsReadAndDefaultsOtherwise() {
        RecallConfig c = parse("""
                writeBack:
                  delay: 250ms
                  maxPending: 500
                  batchSize: 20
                  drainTimeout: 30s
                """);
        assertTrue(c.usable(), () -> c.errors().toString());
        assertEquals(new WriteBackSettings(Duration.ofMillis(250), 500, 20, Duration.ofSeconds(30)), c.writeBack());
        assertEquals(WriteBackSettings.DEFAULT, parse("store: local\n").writeBack());
        ConfigError e = onlyError("""
                writeBack:
                  delay: 5m
                """);
        assertEquals(LABEL + ":2", e.where());
        assertContains("writeBack delay must be at most 1m", e.message());
        ConfigError misspelt = onlyError("writeBack: {maxPendng: 5}\n");
        assertContains("unknown key 'maxPendng' in writeBack", misspelt.message());
        assertContains("did you mean 'maxPending'?", misspelt.message());
    }

    @Test
    void redisWithoutSecretIsRefusedUnlessInsecure() {
        ConfigError e = onlyError("""
                store: redis
                redis:
                  uri: redis://127.0.0.1:6379
                """);
        assertEquals(LABEL + ":2", e.where(), "the error should point at the 'redis:' line");
        assertContains("needs 'secret:'", e.message());
        assertContains("insecure: true", e.message());
        RecallConfig insecure = parse("""
                store: redis
                redis:
                  uri: redis://127.0.0.1:6379
                  insecure: true
                """);
        assertTrue(insecure.usable(), () -> insecure.errors().toString());
        assertTrue(insecure.redis().insecure());
        assertEquals(Duration.ofSeconds(2), insecure.redis().lockTimeout(), "the default lockTimeout");
    }

    @Test
    void secretFromAnUnsetEnvironmentVariableSaysWhichOne() {
        RecallConfig c = ConfigLoader.parse(LABEL, """
                redis:
                  uri: redis://127.0.0.1:6379
                  secret: ${RECALL_SECRET}
                """, name -> null);
        assertEquals(1, c.errors().size(), () -> c.errors().toString());
        assertEquals(LABEL + ":3", c.errors().get(0).where());
        assertContains("environment variable RECALL_SECRET, which is not set", c.errors().get(0).message());
    }

    @Test
    void sentinelNamesItsMasterAndNodesAndKeepsPasswordsOutOfMessages() {
        RecallConfig c = ConfigLoader.parse(LABEL, """
                redis:
                  sentinel:
                    master: mymaster
                    nodes: [10.0.0.1:26379, 10.0.0.2:26379]
                    password: ${REDIS_PASSWORD}
                    database: 2
                  secret: 0123456789abcdef
                """, name -> name.equals("REDIS_PASSWORD") ? "pw-0123456789" : null);
        assertTrue(c.usable(), () -> c.errors().toString());
        SentinelSettings s = c.redis().sentinel();
        assertEquals("mymaster", s.master());
        assertEquals(List.of("10.0.0.1:26379", "10.0.0.2:26379"), s.nodes());
        assertEquals("pw-0123456789", s.password());
        assertEquals(2, s.database());
        assertFalse(c.redis().toString().contains("pw-0123"), "no password printed: " + c.redis());
        assertContains("needs 'master:'", onlyError("redis:\n  sentinel: {nodes: [10.0.0.1:26379]}\n  secret: 0123456789abcdef\n")
                .message());
        assertContains("exactly one of", onlyError("redis:\n  uri: redis://127.0.0.1:6379\n  sentinel: {master: m, nodes: "
                + "[10.0.0.1:26379]}\n  secret: 0123456789abcdef\n").message());
        assertContains("each sentinel node is host:port", onlyError("redis:\n  sentinel: {master: m, nodes: [10.0.0.1]}\n"
                + "  secret: 0123456789abcdef\n").message());
    }

    @Test
    void secretsDuringARotationAreReadNewestFirst() {
        RecallConfig c = ConfigLoader.parse(LABEL, """
                redis:
                  uri: redis://127.0.0.1:6379
                  secrets: [${RECALL_SECRET}, ${RECALL_SECRET_OLD}]
                """, name -> name.equals("RECALL_SECRET") ? "the-new-secret-0123456789" : name.equals("RECALL_SECRET_OLD")
                ? "the-old-secret-0123456789" : null);
        assertTrue(c.usable(), () -> c.errors().toString());
        assertEquals(List.of("the-new-secret-0123456789", "the-old-secret-0123456789"), c.redis().secrets());
        assertEquals("the-new-secret-0123456789", c.redis().secret(), "new values and key names use the first");
        assertFalse(c.redis().toString().contains("secret-0123"), "no secret printed: " + c.redis());
        assertContains("2 secrets", c.redis().toString());
        RecallConfig one = parse("redis: {uri: redis://127.0.0.1:6379, secret: 0123456789abcdef}\n");
        assertEquals(List.of("0123456789abcdef"), one.redis().secrets(), "secret: is the one-element form");
        RecallConfig insecure = parse("redis: {uri: redis://127.0.0.1:6379, insecure: true}\n");
        assertEquals(List.of(), insecure.redis().secrets());
        assertEquals(null, insecure.redis().secret());
    }

    @Test
    void badSecretListsSayWhatToWrite() {
        assertContains("both 'secret:' and 'secrets:'", onlyError("""
                redis:
                  uri: redis://127.0.0.1:6379
                  secret: 0123456789abcdef
                  secrets: [0123456789abcdef]
                """).message());
        ConfigError empty = onlyError("""
                redis:
                  uri: redis://127.0.0.1:6379
                  secrets: []
                """);
        assertEquals(LABEL + ":3", empty.where());
        assertContains("list of at least one secret, newest first", empty.message());
        assertContains("secrets: [${RECALL_SECRET}, ${RECALL_SECRET_OLD}]", onlyError("""
                redis:
                  uri: redis://127.0.0.1:6379
                  secrets: 0123456789abcdef
                """).message());
        ConfigError twice = onlyError("""
                redis:
                  uri: redis://127.0.0.1:6379
                  secrets: [0123456789abcdef, 0123456789abcdef]
                """);
        assertContains("the same secret twice", twice.message());
        assertFalse(twice.message().contains("0123456789abcdef"), twice.message());
        assertContains("too short", onlyError("""
                redis:
                  uri: redis://127.0.0.1:6379
                  secrets: [0123456789abcdef, short]
                """).message());
        RecallConfig unset = ConfigLoader.parse(LABEL, """
                redis:
                  uri: redis://127.0.0.1:6379
                  secrets: [${RECALL_SECRET}, ${RECALL_SECRET_OLD}]
                """, name -> name.equals("RECALL_SECRET") ? "0123456789abcdef" : null);
        assertEquals(1, unset.errors().size(), () -> unset.errors().toString());
        assertContains("RECALL_SECRET_OLD, which is not set", unset.errors().get(0).message());
    }

    @Test
    void shortSecretIsRefused() {
        ConfigError e = onlyError("""
                redis:
                  uri: redis://127.0.0.1:6379
                  secret: short
                """);
        assertContains("too short", e.message());
    }

    @Test
    void redisNeedsExactlyOneOfUriAndCluster() {
        ConfigError e = onlyError("redis: {secret: 0123456789abcdef}\n");
        assertEquals(LABEL + ":1", e.where());
        assertContains("exactly one of 'uri:'", e.message());
        ConfigError both = onlyError("""
                redis:
                  uri: redis://127.0.0.1:6379
                  cluster: [127.0.0.1:7000]
                  secret: 0123456789abcdef
                """);
        assertContains("exactly one of 'uri:'", both.message());
    }

    @Test
    void badRedisValuesAreEachReported() {
        RecallConfig c = parse("""
                redis:
                  cluster: [127.0.0.1, 127.0.0.1:7001]
                  timeout: 30s
                  lockTimeout: 2h
                  secret: 0123456789abcdef
                  allowClasses: ["**"]
                  uri2: x
                """);
        String all = c.errors().toString();
        assertContains("host:port", all);
        assertContains("timeout must be between 1ms and 10s", all);
        assertContains("lockTimeout must be between 1ms and 1m", all);
        assertContains("unknown key 'uri2' in redis", all);
        assertEquals(5, c.errors().size(), all);
    }

    @Test
    void misspeltStoreSuggestsTheClosest() {
        ConfigError e = onlyError("store: locl\n");
        assertEquals(LABEL + ":1", e.where());
        assertContains("unknown store 'locl'", e.message());
        assertContains("did you mean 'local'?", e.message());
    }

    @Test
    void alertsWrittenAsASectionInsteadOfAListSayHowEntriesStart() {
        ConfigError e = onlyError("""
                defaults:
                  ttl: 5m
                alerts:
                  hitRatio: 0.5
                """);
        assertContains("'alerts:' must be a list, each entry starting with '- metric: ...'", e.message());
        assertEquals(LABEL + ":4", e.where());
    }

    @Test
    void everyErrorOfAFileIsCollectedInOnePass() {
        RecallConfig c = parse("""
                defaults:
                  ttl: 0s
                methods:
                  - method: com.acme.Foo#bar()
                    ttl: 10x
                  - cache: y
                """);
        assertFalse(c.usable());
        assertEquals(List.of(LABEL + ":2", LABEL + ":5", LABEL + ":6"),
                c.errors().stream().map(ConfigError::where).toList());
    }

    @Test
    void configErrorToStringIsWhereThenMessage() {
        assertEquals("recall.yml:3: bad", new ConfigError("recall.yml:3", "bad").toString());
    }

    @Test
    void noneIsUsableWithoutRules() {
        RecallConfig none = RecallConfig.none();
        assertTrue(none.usable());
        assertFalse(none.hasRules());
        assertNull(none.source());
        assertEquals(Defaults.BUILT_IN, none.defaults());
    }
}
