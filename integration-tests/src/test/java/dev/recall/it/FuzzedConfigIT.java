package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.it.app.ConfigGuardApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Files the agent's fuzz test ({@code ConfigFuzzTest}, seed 14) damaged and the loader rejected, each through a
 * real JVM in strict mode: every one stops it with 78 before main, with an error naming the file and a line.
 * The sample in {@code src/test/resources/fuzz} was chosen for its variety of damage (nesting, bytes that are not
 * UTF-8, control characters, a bare CR, broken quotes and brackets, huge numbers, misspelt and repeated keys);
 * {@code mvn -pl agent test -Dtest=ConfigFuzzTest -Drecall.fuzz.dump=DIR} writes all of them again.
 *
 * <p>The {@code lookalike-*.yml} files come from issue 25's second run ({@code LookalikeFuzzTest}, seed 2525): a
 * look-alike letter, a non-ASCII digit, an invisible character or a misplaced underscore on one line; the first
 * seven of them were accepted silently before. Their error must point at the character.
 */
class FuzzedConfigIT {

    static List<Path> rejectedFiles() throws IOException {
        try (Stream<Path> files = Files.list(AppJvm.resource("fuzz"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yml")).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void theSampleIsThere() throws IOException {
        assertTrue(rejectedFiles().size() >= 10, "fuzz sample: " + rejectedFiles());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedFiles")
    void aRejectedFuzzFileStopsTheJvmWith78NamingFileAndLine(Path file) {
        Result r = AppJvm.main(ConfigGuardApp.class).agentOptions("config=" + file).jvmArg("-Drecall.strict=true")
                .timeout(Duration.ofSeconds(30)).run();
        assertEquals(78, r.exitCode(), r::toString);
        assertTrue(r.stdout().isEmpty(), "main never ran\n" + r);
        Pattern located = Pattern.compile(".*config: " + Pattern.quote(file.toString()) + ":\\d+: .+");
        assertTrue(r.stderr().stream().anyMatch(l -> located.matcher(l).matches()), r::toString);
        assertFalse(r.stderrText().contains("could not start"), r::toString);
        if (file.getFileName().toString().startsWith("lookalike-")) {
            assertTrue(r.stderr().stream().anyMatch(l -> located.matcher(l).matches()
                    && (l.contains(" U+") || l.contains("an '_' may stand only between two digits"))), r::toString);
        }
    }
}
