package dev.recall.tck;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Run after the TCK (phase verify): sums Surefire's reports of {@code org.jsr107.tck.annotation} and fails unless
 * at least the expected number of tests was executed, none of them skipped, failed or in error, and that many of
 * them ran their body, as listed by {@link ExecutedTests}. The TCK passes every test without running it (and the
 * run looks green, 12 of 12) when it finds no {@code BeanProvider}; the list is what makes such a run fail. The list
 * is deleted once read, so a run whose listener wrote none cannot pass on an old one.
 */
public final class TckCount {

    private static final Pattern SUITE = Pattern.compile("<testsuite\\b[^>]*>");

    public static void main(String[] args) throws IOException {
        Path reports = Path.of(args[0]);
        int expected = Integer.parseInt(args[1]);
        int tests = 0;
        int skipped = 0;
        int failures = 0;
        int errors = 0;
        if (Files.isDirectory(reports)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(reports, "TEST-org.jsr107.tck.annotation.*.xml")) {
                for (Path f : files) {
                    Matcher m = SUITE.matcher(Files.readString(f));
                    if (m.find()) {
                        String suite = m.group();
                        tests += attribute(suite, "tests");
                        skipped += attribute(suite, "skipped");
                        failures += attribute(suite, "failures");
                        errors += attribute(suite, "errors");
                    }
                }
            }
        }
        Path list = Path.of(args[2]);
        int bodies = Files.exists(list) ? Files.readAllLines(list).size() : 0;
        Files.deleteIfExists(list);
        int executed = Math.min(tests - skipped, bodies);
        String summary = "JSR-107 TCK annotation tests: " + tests + " run, " + skipped + " skipped, " + failures + " failed, "
                + errors + " in error, " + bodies + " ran their body with a bean from the BeanProvider; expected at least "
                + expected + " executed";
        System.out.println("[recall] " + summary);
        if (executed < expected || skipped > 0 || failures > 0 || errors > 0) {
            throw new IllegalStateException(summary + " (reports in " + reports + ")");
        }
    }

    private static int attribute(String suite, String name) {
        Matcher m = Pattern.compile("\\s" + name + "=\"(\\d+)\"").matcher(suite);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }
}
