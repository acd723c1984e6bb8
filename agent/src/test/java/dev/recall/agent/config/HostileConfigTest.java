package dev.recall.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Files a hostile or careless user could give the agent (issue 14): each is refused with its file and line
 * and what to write instead, quickly, and nothing escapes the loader as an exception.
 */
class HostileConfigTest {

    private static final String LABEL = "recall.yml";
    private static final String SECRET = "0123456789abcdef0123";
    private static final Function<String, String> ENV = Map.of("RECALL_SECRET", SECRET, "PASS", "pw")::get;

    private static RecallConfig parse(String yaml) {
        return ConfigLoader.parse(LABEL, yaml, ENV);
    }

    /** The first error of a file that must have some, checked for its line and words. */
    private static ConfigError rejected(String yaml, int line, String fragment) {
        RecallConfig c = parse(yaml);
        assertFalse(c.errors().isEmpty(), "accepted: " + abbreviated(yaml));
        ConfigError e = c.errors().get(0);
        assertEquals(LABEL + ":" + line, e.where(), () -> "errors: " + c.errors());
        assertTrue(e.message().contains(fragment), () -> "expected '" + fragment + "' in: " + e.message());
        assertFalse(c.usable());
        return e;
    }

    private static String abbreviated(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    // ---- nesting: an error on the line where it goes past 64 levels, never a StackOverflowError ----

    @Test
    void fiftyThousandNestedFlowListsAreAnErrorOnTheirLine() {
        rejected("defaults:\n  ttl: 5m\nmethods: " + "[".repeat(50_000) + "]".repeat(50_000) + "\n", 3, "64 levels");
    }

    @Test
    void fiftyThousandNestedFlowSectionsAreAnErrorOnTheirLine() {
        rejected("methods: " + "{a: ".repeat(50_000) + "}".repeat(50_000) + "\n", 1, "64 levels");
    }

    @Test
    void twoThousandNestedListEntriesOnOneLineAreAnErrorOnThatLine() {
        rejected("methods:\n  " + "- ".repeat(2_000) + "x\n", 2, "64 levels");
    }

    @Test
    void twoThousandNestedListsOnLinesOfTheirOwnAreAnErrorWhereTheyGoTooDeep() {
        StringBuilder yaml = new StringBuilder("methods:\n");
        for (int i = 0; i < 2_000; i++) {
            yaml.append(" ".repeat(i + 1)).append("-\n");
        }
        // line 1 opens the top-level section (level 1), line 1 + n the list of level 1 + n
        rejected(yaml.toString(), 65, "64 levels");
    }

    @Test
    void aThreeThousandLevelBlockSectionIsAnErrorWhereItGoesTooDeep() {
        StringBuilder yaml = new StringBuilder("methods:\n");
        for (int i = 0; i < 3_000; i++) {
            yaml.append("  ".repeat(i + 1)).append("k").append(i).append(":\n");
        }
        rejected(yaml.toString(), 65, "64 levels");
    }

    @Test
    void sixtyFourLevelsAreStillReadAndSixtyFiveAreNot() throws Exception {
        assertTrue(YamlReader.read("a: " + "[".repeat(63) + "]".repeat(63)) instanceof YamlNode.Mapping);
        YamlReader.YamlException flow = assertThrows(YamlReader.YamlException.class,
                () -> YamlReader.read("a: " + "[".repeat(64) + "]".repeat(64)));
        assertTrue(flow.getMessage().contains("64 levels"), flow.getMessage());

        StringBuilder block = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            block.append("  ".repeat(i)).append("k").append(i).append(":\n");
        }
        assertTrue(YamlReader.read(block.toString()) instanceof YamlNode.Mapping);
        block.append("  ".repeat(64)).append("- deeper\n");
        YamlReader.YamlException blockError = assertThrows(YamlReader.YamlException.class, () -> YamlReader.read(block.toString()));
        assertEquals(65, blockError.line);
    }

    @Test
    void aFlowCollectionOverHalfAMillionLinesIsReadInLinearTime() {
        String yaml = "methods: [\n" + "  x,\n".repeat(500_000) + "  ]\n";
        RecallConfig c = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> parse(yaml));
        assertEquals(LABEL + ":2", c.errors().get(0).where(), () -> c.errors().get(0).toString());
        // half a million entries, each wrong: the file is reported, not half a million lines of stderr
        assertTrue(c.errors().size() <= 101, "errors: " + c.errors().size());
        assertTrue(c.errors().get(c.errors().size() - 1).message().contains("more errors"),
                () -> c.errors().get(c.errors().size() - 1).toString());
    }

    @Test
    void aHugeUnparsableFlowTailIsNotCopiedIntoTheMessage() {
        ConfigError e = rejected("methods: [a {b}" + " c".repeat(500_000) + "]\n", 1, "expected ',' or ']'");
        assertTrue(e.message().length() < 2_000, "message of " + e.message().length() + " characters");
        ConfigError after = rejected("methods: [a]" + " c".repeat(500_000) + "\n", 1, "after the closing bracket");
        assertTrue(after.message().length() < 2_000, "message of " + after.message().length() + " characters");
    }

    @Test
    void aMegabyteLongKeyIsReportedInAFewHundredCharactersEndingWithWhatToWrite() {
        String key = "k".repeat(1_000_000);
        ConfigError e = assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> rejected("defaults:\n  " + key + ": 1\n", 2, "unknown key 'kkk"));
        assertTrue(e.message().length() <= ConfigError.LONGEST + 60, "message of " + e.message().length() + " characters");
        assertTrue(e.message().endsWith("in defaults; expected one of ttl, maxSize, cacheNulls, loadWait, jitter, staleIfError, loadTimeout, verify"), e.message());
    }

    // ---- arithmetic: a duration whose nanoseconds overflow is an error with its line ----

    @Test
    void aTtlOfLongMaxDaysIsAnErrorWithItsLine() {
        rejected("defaults:\n  ttl: 9223372036854775807d\n", 2, "too long");
    }

    @Test
    void aTtlWhoseNanosecondsOverflowIsAnErrorWithItsLine() {
        rejected("defaults:\n  ttl: 106751991167300d\n", 2, "too long");
    }

    @Test
    void anIsoTtlWhoseNanosecondsOverflowIsAnErrorWithItsLine() {
        rejected("""
                methods:
                  - method: com.acme.Foo#bar()
                    ttl: P1000000000D
                """, 3, "too long");
    }

    @Test
    void anAnnotationTtlWhoseNanosecondsOverflowIsRefusedByTheParserTheInstrumentationUses() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("1000000d"));
        assertTrue(e.getMessage().contains("'1000000d' is too long"), e.getMessage());
        assertTrue(e.getMessage().contains("106751d"), "says what the longest is: " + e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"9223372036855ms", "9223372037s", "153722868m", "2562048h", "106752d", "PT2562048H",
        "P106752D", "PT9223372037S"})
    void everyUnitOverflowsAtTheSameEdge(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
        assertTrue(e.getMessage().contains("too long"), e.getMessage());
        assertTrue(e.getMessage().contains(Durations.FORMS), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"9223372036854ms", "9223372036s", "153722867m", "2562047h", "106751d", "PT2562047H", "P106751D"})
    void theLongestDurationsStillFitInNanoseconds(String text) {
        assertTrue(Durations.parse(text).toNanos() > 0);
    }

    @Test
    void aHugeWriteBackDrainTimeoutIsAnErrorWithItsLine() {
        rejected("writeBack:\n  drainTimeout: 9999999999999999d\n", 2, "too long");
    }

    // ---- files that are not regular files, or too big, or not text ----

    @Test
    void devZeroIsRefusedAtOnceWithoutReadingIt() throws Exception {
        Path zero = Paths.get("/dev/zero");
        assumeTrue(Files.exists(zero), "no /dev/zero on this machine");
        ConfigError e = loadWithin(Duration.ofSeconds(1), zero, null);
        assertEquals("/dev/zero", e.where());
        assertTrue(e.message().contains("not a regular file"), e.message());
    }

    @Test
    void aFifoIsRefusedAtOnceWithoutOpeningIt(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("recall.yml");
        assumeTrue(mkfifo(fifo), "no mkfifo on this machine");
        ConfigError e = loadWithin(Duration.ofSeconds(1), fifo, fifo);
        assertEquals(fifo.toString(), e.where());
        assertTrue(e.message().contains("not a regular file"), e.message());
    }

    @Test
    void aDirectoryIsRefusedSayingSo(@TempDir Path dir) throws Exception {
        ConfigError e = loadWithin(Duration.ofSeconds(1), dir, null);
        assertEquals(dir.toString(), e.where());
        assertTrue(e.message().contains("is a directory"), e.message());
    }

    @Test
    void aFileOverTheSizeLimitIsRefusedSayingHowBigItMayBe(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("recall.yml");
        Files.writeString(big, "# padding\n".repeat(500_000)); // 5 MB of comments: valid YAML, and nothing in it
        ConfigError e = loadWithin(Duration.ofSeconds(1), big, null);
        assertEquals(big.toString(), e.where());
        assertTrue(e.message().contains("at most 4 MB"), e.message());
    }

    @Test
    void aFileJustUnderTheSizeLimitIsRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("recall.yml");
        Files.writeString(file, "# padding\n".repeat(400_000) + "defaults:\n  ttl: 30s\n");
        RecallConfig c = ConfigLoader.load(file);
        assertTrue(c.usable(), () -> c.errors().toString());
        assertEquals(Duration.ofSeconds(30), c.defaults().ttl());
    }

    @Test
    void bytesThatAreNotUtf8AreAnErrorOnTheirLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("recall.yml");
        byte[] head = "defaults:\n  ttl: 5m\n  maxSize: ".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[head.length + 3];
        System.arraycopy(head, 0, bytes, 0, head.length);
        bytes[head.length] = (byte) 0xFF;
        bytes[head.length + 1] = '1';
        bytes[head.length + 2] = '\n';
        Files.write(file, bytes);
        RecallConfig c = ConfigLoader.load(file);
        assertEquals(file + ":3", c.errors().get(0).where(), () -> c.errors().toString());
        assertTrue(c.errors().get(0).message().contains("UTF-8"), c.errors().get(0).message());
    }

    @Test
    void aControlCharacterIsAnErrorOnItsLine() {
        rejected("methods:\n  - method: com.acme.Foo#bar()\n    cache: fx\u0000rates\n", 3, "control character");
    }

    // ---- placeholders that do not resolve ----

    @Test
    void aPlaceholderWithASpaceIsNotTakenAsTheLiteralSecret() {
        rejected("""
                redis:
                  uri: redis://127.0.0.1:6379
                  secret: ${RECALL SECRET}
                """, 3, "${RECALL SECRET}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"${RECALL_SECRET", "${}", "${1SECRET}", "x${RECALL-SECRET}y", "$RECALL_SECRET_KEY"})
    void anyPlaceholderThatIsNotANameIsAnError(String secret) {
        ConfigError e = rejected("redis:\n  uri: redis://127.0.0.1:6379\n  secret: '" + secret + "'\n", 3, "environment variable");
        assertTrue(e.message().contains("${RECALL_SECRET}"), "says what to write: " + e.message());
    }

    @Test
    void anUnsetVariableForTheSecretIsAnErrorEvenWhenUnsignedIsAllowed() {
        rejected("redis:\n  uri: redis://127.0.0.1:6379\n  insecure: true\n  secret: ${NOT_SET_ANYWHERE}\n", 4,
                "NOT_SET_ANYWHERE, which is not set");
    }

    @Test
    void aPlaceholderWhereNoneIsResolvedIsAnError() {
        rejected("redis:\n  uri: redis://127.0.0.1:6379\n  secret: ${RECALL_SECRET}\n  keyPrefix: \"${APP}:\"\n", 4,
                "only in redis 'uri:', 'secret:' and 'secrets:'");
    }

    @Test
    void placeholdersThatResolveStillWork() {
        RecallConfig c = parse("redis:\n  uri: redis://app:${PASS}@127.0.0.1:6379\n  secret: ${RECALL_SECRET}\n");
        assertTrue(c.usable(), () -> c.errors().toString());
        assertEquals(SECRET, c.redis().secret());
        assertEquals("redis://app:pw@127.0.0.1:6379", c.redis().uri());
    }

    // ---- numbers out of range ----

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "Infinity", "-Infinity", "1e999", "0x1p3"})
    void anAlertThresholdMustBeAFiniteNumber(String threshold) {
        rejected("alerts:\n  - metric: p90LoadMillis\n    above: " + threshold + "\n", 3, "finite number");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "1.5", "1e3", "NaN", "99999999999999999999"})
    void minCallsMustBeANonNegativeWholeNumber(String minCalls) {
        rejected("alerts:\n  - metric: hitRatio\n    below: 0.5\n    minCalls: " + minCalls + "\n", 4, "minCalls");
    }

    @Test
    void minCallsOfZeroIsAllowed() {
        RecallConfig c = parse("alerts:\n  - metric: hitRatio\n    below: 0.5\n    minCalls: 0\n");
        assertTrue(c.usable(), () -> c.errors().toString());
        assertEquals(0, c.alerts().get(0).condition().minCalls());
    }

    @ParameterizedTest
    @ValueSource(strings = {"70000", "0", "65536", "99999"})
    void aClusterPortMustBeBetween1And65535(String port) {
        rejected("redis:\n  cluster: [127.0.0.1:7000, 127.0.0.1:" + port + "]\n  secret: ${RECALL_SECRET}\n", 2, "1 to 65535");
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis://127.0.0.1:70000", "redis://127.0.0.1:0", "redis://127.0.0.1:6379/db", "redis://:6379",
        "redis://127.0.0.1:6379 x", "redis://127.0.0.1:6379/99999999999"})
    void aRedisUriThatCannotBeConnectedToIsAnErrorOnItsLine(String uri) {
        rejected("redis:\n  uri: '" + uri + "'\n  secret: ${RECALL_SECRET}\n", 2, "redis://127.0.0.1:6379");
    }

    @Test
    void aCountSettingNamesItselfInItsMessage() {
        rejected("writeBack:\n  maxPending: -5\n", 2, "maxPending must be a positive whole number");
    }

    // ---- the document end marker ----

    @Test
    void contentAfterTheDocumentEndMarkerIsAnError() {
        rejected("defaults:\n  ttl: 5m\n...\nmethods:\n  - method: com.acme.Foo#bar()\n", 4, "after the document end marker");
    }

    @Test
    void commentsAndBlankLinesAfterTheDocumentEndMarkerAreFine() {
        RecallConfig c = parse("defaults:\n  ttl: 5m\n...\n\n# the end\n");
        assertTrue(c.usable(), () -> c.errors().toString());
    }

    // ---- whatever goes wrong inside, an error naming file and line ----

    @Test
    void anExceptionInsideTheLoaderBecomesAnErrorNamingFileAndLine() {
        Function<String, String> forbidden = name -> {
            throw new SecurityException("getenv." + name);
        };
        RecallConfig c = ConfigLoader.parse(LABEL, "redis:\n  uri: redis://127.0.0.1:6379\n  secret: ${RECALL_SECRET}\n", forbidden);
        assertEquals(1, c.errors().size(), () -> c.errors().toString());
        assertEquals(LABEL + ":3", c.errors().get(0).where());
        assertTrue(c.errors().get(0).message().contains("SecurityException"), c.errors().get(0).message());
        assertFalse(c.usable());
    }

    // ---- helpers ----

    /**
     * Loads {@code file} on another thread and fails unless that takes less than {@code limit}. A FIFO that
     * blocked the loader is opened for writing here (which lets the blocked open return), so a failing run
     * leaves no thread behind.
     */
    private static ConfigError loadWithin(Duration limit, Path file, Path fifoToRelease) throws Exception {
        AtomicReference<RecallConfig> result = new AtomicReference<>();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread loader = new Thread(() -> {
            try {
                result.set(ConfigLoader.load(file));
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "config-loader");
        loader.setDaemon(true);
        long began = System.nanoTime();
        loader.start();
        loader.join(limit.toMillis());
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
        if (loader.isAlive()) {
            loader.interrupt();
            if (fifoToRelease != null) {
                try (OutputStream out = Files.newOutputStream(fifoToRelease)) {
                    out.flush();
                }
            }
            fail("loading " + file + " still ran after " + limit.toMillis() + " ms");
        }
        if (thrown.get() != null) {
            throw new AssertionError("the loader threw", thrown.get());
        }
        RecallConfig c = result.get();
        assertEquals(1, c.errors().size(), () -> c.errors().toString());
        assertFalse(c.usable());
        assertTrue(tookMillis < limit.toMillis(), tookMillis + " ms");
        return c.errors().get(0);
    }

    private static boolean mkfifo(Path path) {
        try {
            Process p = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && Files.exists(path);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
