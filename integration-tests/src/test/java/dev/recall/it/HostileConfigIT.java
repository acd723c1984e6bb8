package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.recall.it.app.ConfigGuardApp;
import dev.recall.it.app.HugeTtlApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 14, "Never break the host": files a hostile or careless user could give, through an application JVM
 * with the real agent jar. Each is an error with file and line (or, for what is not a file, the path) in well
 * under a second; strict mode stops the JVM with 78 for every one; otherwise the application runs uncached.
 */
class HostileConfigIT {

    /** Far more than any of these needs; a hang (a FIFO opened, /dev/zero read) runs into it. */
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern CONFIG_MILLIS = Pattern.compile("start-up: configuration (\\d+) ms, refused");

    @TempDir
    Path dir;

    /** A block section nested {@code levels} deep, {@code indent} spaces a level: about indent × levels² / 2 bytes. */
    private static String blockSection(int levels, int indent) {
        StringBuilder block = new StringBuilder("methods:\n");
        for (int i = 0; i < levels; i++) {
            block.append(" ".repeat(indent * (i + 1))).append("k").append(i).append(":\n");
        }
        return block.toString();
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("flow.yml", "methods: " + "[".repeat(50_000) + "]".repeat(50_000) + "\n", 1, "64 levels"),
                Arguments.of("dashes.yml", "methods:\n  " + "- ".repeat(2_000) + "x\n", 2, "64 levels"),
                Arguments.of("block.yml", blockSection(2_000, 1), 65, "64 levels"),
                Arguments.of("ttl-long-max.yml", "defaults:\n  ttl: 9223372036854775807d\n", 2, "too long"),
                Arguments.of("ttl-nanos.yml", "defaults:\n  ttl: 106751991167300d\n", 2, "too long"),
                Arguments.of("ttl-iso.yml", "methods:\n  - method: dev.recall.it.app.ConfigGuardApp#lookup(..)\n"
                        + "    ttl: P1000000000D\n", 3, "too long"),
                Arguments.of("placeholder.yml", "redis:\n  uri: redis://127.0.0.1:6379\n  secret: ${RECALL SECRET}\n", 3,
                        "not a reference to an environment variable"),
                Arguments.of("nan.yml", "alerts:\n  - metric: p90LoadMillis\n    above: NaN\n", 3, "finite number"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void inStrictModeEveryBadFileStopsTheJvmWith78NamingFileAndLine(String name, String text, int line, String fragment)
            throws IOException {
        Path file = Files.writeString(dir.resolve(name), text);
        Result r = AppJvm.main(ConfigGuardApp.class).agentOptions("config=" + file).jvmArg("-Drecall.strict=true")
                .timeout(TIMEOUT).run();
        assertEquals(78, r.exitCode(), r::toString);
        assertTrue(r.stdout().isEmpty(), "main never ran\n" + r);
        List<String> errors = r.stderrMatching("config: " + file + ":" + line + ": ");
        assertEquals(1, errors.size(), r::toString);
        assertTrue(errors.get(0).contains(fragment), errors::toString);
        assertTrue(r.stderrText().contains("strict mode"), r::toString);
        assertFalse(r.stderrText().contains("could not start"), r::toString);
    }

    @Test
    void aThreeThousandLevelSectionIsOverTheSizeLimitAndStopsTheJvmInStrictMode() throws IOException {
        Path file = Files.writeString(dir.resolve("block.yml"), blockSection(3_000, 2)); // 9 MB of indentation
        Result r = AppJvm.main(ConfigGuardApp.class).agentOptions("config=" + file).jvmArg("-Drecall.strict=true")
                .timeout(TIMEOUT).run();
        assertEquals(78, r.exitCode(), r::toString);
        assertEquals(1, r.stderrMatching("config: " + file + ": is " + Files.size(file) + " bytes; a configuration file "
                + "may be at most 4 MB").size(), r::toString);
    }

    @Test
    void withoutStrictModeADeeplyNestedFileLeavesTheApplicationRunningUncached() throws IOException {
        Path file = Files.writeString(dir.resolve("block.yml"), blockSection(2_000, 1));
        Result r = AppJvm.main(ConfigGuardApp.class).agentOptions("config=" + file).timeout(TIMEOUT).run().assertSucceeded();
        assertEquals(2, r.intValue("lookup.calls"), "nothing is cached while the file is broken\n" + r);
        assertEquals(1, r.stderrMatching("config: " + file + ":65: not valid YAML: lists and sections nested more than 64").size(),
                r::toString);
        assertTrue(r.stderrText().contains("nothing is cached until they are fixed"), r::toString);
    }

    @Test
    void devZeroIsRefusedAtOnceAndTheApplicationRunsWithTheErrorOnTheAgentMBean() {
        assumeTrue(Files.exists(Paths.get("/dev/zero")), "no /dev/zero on this machine");
        Result r = notAFile(Paths.get("/dev/zero"));
        assertTrue(r.value("agent.configErrors").contains("/dev/zero: is not a regular file"), r::toString);
    }

    @Test
    void devZeroInStrictModeStopsTheJvmWith78() {
        assumeTrue(Files.exists(Paths.get("/dev/zero")), "no /dev/zero on this machine");
        Result r = AppJvm.main(ConfigGuardApp.class).agentOptions("config=/dev/zero").jvmArg("-Drecall.strict=true")
                .timeout(TIMEOUT).run();
        assertEquals(78, r.exitCode(), r::toString);
        assertTrue(r.stderrText().contains("/dev/zero: is not a regular file"), r::toString);
    }

    @Test
    void aFifoIsRefusedAtOnceWithoutOpeningItAndTheApplicationRuns() throws Exception {
        Path fifo = dir.resolve("recall.yml");
        assumeTrue(mkfifo(fifo), "no mkfifo on this machine");
        Result r = notAFile(fifo);
        assertTrue(r.value("agent.configErrors").contains(fifo + ": is not a regular file"), r::toString);

        Result strict = AppJvm.main(ConfigGuardApp.class).agentOptions("config=" + fifo).jvmArg("-Drecall.strict=true")
                .timeout(TIMEOUT).run();
        assertEquals(78, strict.exitCode(), strict::toString);
    }

    @Test
    void anAnnotationTtlThatOverflowsNamesTheMethodWhichAloneRunsUncached() {
        Result r = AppJvm.main(HugeTtlApp.class).timeout(TIMEOUT).run().assertSucceeded();
        assertEquals(2, r.intValue("forever.calls"), r::toString);
        assertEquals(1, r.intValue("fine.calls"), "the other method of the class is still cached\n" + r);
        List<String> lines = r.stderrMatching("HugeTtlApp.forever(long)");
        assertEquals(1, lines.size(), r::toString);
        assertTrue(lines.get(0).contains("@Cached(ttl = \"1000000d\"): '1000000d' is too long"), lines::toString);
    }

    @Test
    void anAnnotationTtlThatOverflowsStopsTheJvmInStrictMode() {
        Result r = AppJvm.main(HugeTtlApp.class).jvmArg("-Drecall.strict=true").timeout(TIMEOUT).run();
        assertEquals(78, r.exitCode(), r::toString);
        assertTrue(r.stderrText().contains("HugeTtlApp.forever(long)"), r::toString);
    }

    /**
     * Runs the application on a path that is not a regular file: it runs uncached, the error names the path,
     * and the agent took well under a second for it (its own measure, at -Drecall.log=debug).
     */
    private Result notAFile(Path path) {
        long began = System.nanoTime();
        Result r = AppJvm.main(ConfigGuardApp.class).agentOptions("config=" + path)
                .jvmArg("-Drecall.log=debug", "-Drecall.jmx.delay=0", "-Dapp.agentErrors=true").timeout(TIMEOUT).run()
                .assertSucceeded();
        long jvmMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
        assertEquals(2, r.intValue("lookup.calls"), "nothing is cached\n" + r);
        assertEquals(1, r.stderrMatching("config: " + path + ": is not a regular file").size(), r::toString);
        Matcher m = CONFIG_MILLIS.matcher(r.stderrText());
        assertTrue(m.find(), r::toString);
        long configMillis = Long.parseLong(m.group(1));
        assertTrue(configMillis < 1_000, "the agent spent " + configMillis + " ms on the file\n" + r);
        System.out.println(path + ": refused in " + configMillis + " ms by the agent; JVM at main after "
                + r.value("main.uptimeMillis") + " ms; whole run " + jvmMillis + " ms");
        return r;
    }

    private static boolean mkfifo(Path path) throws InterruptedException {
        try {
            Process p = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && Files.exists(path);
        } catch (IOException e) {
            return false;
        }
    }
}
