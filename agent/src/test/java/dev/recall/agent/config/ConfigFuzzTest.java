package dev.recall.agent.config;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A few hundred damaged copies of the README's and the contract's YAML examples, through the loader as files:
 * whatever the damage, no exception escapes, and every rejection says which file and which line. Seeded, so a
 * failure names the file that reproduces it; {@code -Drecall.fuzz.dump=DIR} writes the rejected files there
 * (the integration suite runs a sample of them through a real JVM in strict mode).
 */
class ConfigFuzzTest {

    private static final long SEED = 14; // issue 14
    private static final int FILES = 400;

    /** The examples users copy from: the contract's and the README's. */
    private static final List<String> EXAMPLES = List.of("""
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
            """, """
            store: two-level                # local | redis | two-level; also per method: `store:` in a rule
            redis:
              uri: redis://127.0.0.1:6379   # rediss:// for TLS; user:password@ and /db allowed; or
              # cluster: [10.0.0.1:7000, 10.0.0.2:7000, 10.0.0.3:7000]
              timeout: 50ms                 # per command (1ms..10s): a slow Redis costs a call at most this, then it is a miss
              lockTimeout: 2s               # READ_THROUGH across JVMs: how long a JVM waits for another's load of the key
              keyPrefix: "recall:"
              secret: 0123456789abcdef0123456789
              allowClasses: [com.acme.model.**]
            near:                           # two-level only
              ttl: 10s                      # the longest a near entry is trusted, even if no invalidation arrives
              maxSize: 10000                # per region
            """, """
            store: local
            redis:
              cluster: [127.0.0.1:7000, 127.0.0.1:7001, 127.0.0.1:7002]
              timeout: 50ms
              keyPrefix: "recall:"
              secret: ${PATH}               # set on every machine (and long enough), so damage decides the verdict
              allowClasses: [com.acme.**]
            near:
              ttl: 10s
              maxSize: 10000
            """, """
            alerts:
              - name: fx-hit-ratio                 # optional, shown in the notification
                metric: hitRatio                   # hitRatio, averageLoadMillis, p50LoadMillis, p90LoadMillis,
                below: 0.5                         #   p99LoadMillis, maxLoadMillis, loadFailures, errors, savedMillisPerSecond
                over: 1m                           # the window, 1s to 10m (default 1m)
                method: com.acme.fx.RatesClient#*(..)   # optional: which methods (default all)
                minCalls: 20                       # hitRatio only: a window with fewer calls is not judged (default 10)
              - metric: p90LoadMillis
                above: 200
              - metric: errors
                above: 5
                over: 5m
            writeBack:
              delay: 100ms
              maxPending: 10000
              batchSize: 100
              drainTimeout: 10s
            """);

    private static final String[] HUGE = {"9223372036854775807", "99999999999999999999999", "106751991167300",
        "9223372036854775808", "1e999", "NaN", "-Infinity", "-1", "0", "70000", "0x7fffffff", "1.5"};
    private static final String[] ODD = {"\u0000", "\t", "\r", "\u000b", "\u007f", "\uFEFF", "\u2028", "\uD83D\uDE00",
        "\\", "\"", "'", "#", ":", ": ", "- ", "${", "${RECALL SECRET}", "$X", "&a ", "*a", "!!str ", "|", ">", "%YAML",
        "---", "...", "\u00e9", "[", "]", "{", "}", ",", "@", "`", "?"};

    @Test
    void noDamagedFileMakesTheLoaderThrowAndEveryRejectionNamesFileAndLine(@TempDir Path dir) throws IOException {
        Path dump = System.getProperty("recall.fuzz.dump") == null ? null : Paths.get(System.getProperty("recall.fuzz.dump"));
        if (dump != null) {
            Files.createDirectories(dump);
        }
        long began = System.nanoTime();
        int rejected = 0;
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            Random random = new Random(SEED * 1_000_003 + i);
            StringBuilder how = new StringBuilder();
            byte[] bytes = damaged(random, how);
            Path file = dir.resolve(String.format("fuzz-%03d.yml", i));
            Files.write(file, bytes);
            long fileBegan = System.nanoTime();
            RecallConfig c;
            try {
                c = ConfigLoader.load(file);
            } catch (Throwable t) {
                problems.add(file.getFileName() + " (" + how + "): the loader threw " + t);
                continue;
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - fileBegan);
            if (millis > 1_000) {
                problems.add(file.getFileName() + " (" + how + "): took " + millis + " ms");
            }
            if (c.usable()) {
                continue;
            }
            rejected++;
            if (dump != null) {
                Files.write(dump.resolve(file.getFileName()), bytes);
            }
            int lines = lineCount(bytes);
            Pattern where = Pattern.compile(Pattern.quote(file.toString()) + ":(\\d+)");
            for (ConfigError e : c.errors()) {
                Matcher m = where.matcher(e.where());
                if (!m.matches()) {
                    problems.add(file.getFileName() + " (" + how + "): no file:line in " + e);
                } else if (Integer.parseInt(m.group(1)) < 1 || Integer.parseInt(m.group(1)) > lines) {
                    problems.add(file.getFileName() + " (" + how + "): line " + m.group(1) + " of " + lines + " in " + e);
                }
                if (e.message() == null || e.message().isBlank() || e.message().length() > ConfigError.LONGEST + 60) {
                    problems.add(file.getFileName() + " (" + how + "): message of " + (e.message() == null ? "null"
                            : e.message().length() + " characters") + " in " + e);
                }
            }
        }
        long totalMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
        if (!problems.isEmpty()) {
            fail(problems.size() + " problem(s), seed " + SEED + ":\n" + String.join("\n", problems.subList(0, Math.min(30, problems.size()))));
        }
        // A fuzzer whose damage never fails, or always fails, has tested nothing of the reader's judgement.
        assertTrue(rejected >= FILES / 4 && rejected <= FILES - FILES / 20, rejected + " of " + FILES + " rejected");
        assertTrue(totalMillis < 20_000, FILES + " files took " + totalMillis + " ms");
    }

    /** One of the examples with one to three kinds of damage; {@code how} says which, to reproduce a failure by hand. */
    private static byte[] damaged(Random random, StringBuilder how) {
        String example = EXAMPLES.get(random.nextInt(EXAMPLES.size()));
        List<String> lines = new ArrayList<>(Arrays.asList(example.split("\n", -1)));
        int kinds = 1 + random.nextInt(3);
        for (int k = 0; k < kinds; k++) {
            int at = random.nextInt(lines.size());
            switch (random.nextInt(9)) {
                case 0 -> {
                    how.append("delete line ").append(at + 1).append("; ");
                    lines.remove(at);
                    if (lines.isEmpty()) {
                        lines.add("");
                    }
                }
                case 1 -> {
                    how.append("duplicate line ").append(at + 1).append("; ");
                    lines.add(at, lines.get(at));
                }
                case 2 -> {
                    int other = random.nextInt(lines.size());
                    how.append("swap lines ").append(at + 1).append(" and ").append(other + 1).append("; ");
                    String t = lines.get(at);
                    lines.set(at, lines.get(other));
                    lines.set(other, t);
                }
                case 3 -> {
                    int levels = 50 + random.nextInt(5_000);
                    how.append("nest ").append(levels).append(" levels at line ").append(at + 1).append("; ");
                    lines.add(at, deep(random, levels));
                }
                case 4 -> {
                    String line = lines.get(at);
                    Matcher digits = Pattern.compile("\\d+").matcher(line);
                    String huge = HUGE[random.nextInt(HUGE.length)];
                    how.append("number ").append(huge).append(" at line ").append(at + 1).append("; ");
                    lines.set(at, digits.find() ? line.substring(0, digits.start()) + huge + line.substring(digits.end())
                            : line + " " + huge);
                }
                case 5 -> {
                    String line = lines.get(at);
                    String odd = ODD[random.nextInt(ODD.length)];
                    int column = random.nextInt(line.length() + 1);
                    how.append("insert U+").append(Integer.toHexString(odd.charAt(0))).append(" at ").append(at + 1)
                            .append(":").append(column + 1).append("; ");
                    lines.set(at, line.substring(0, column) + odd + line.substring(column));
                }
                case 6 -> {
                    String line = lines.get(at);
                    int shift = random.nextInt(7) - 3;
                    how.append("indent line ").append(at + 1).append(" by ").append(shift).append("; ");
                    lines.set(at, shift >= 0 ? " ".repeat(shift) + line : line.substring(Math.min(-shift, leadingSpaces(line))));
                }
                case 7 -> {
                    String all = String.join("\n", lines);
                    int cut = random.nextInt(all.length() + 1);
                    how.append("truncate at ").append(cut).append("; ");
                    lines = new ArrayList<>(Arrays.asList(all.substring(0, cut).split("\n", -1)));
                }
                default -> {
                    StringBuilder junk = new StringBuilder(" ".repeat(random.nextInt(6)));
                    for (int n = random.nextInt(40); n > 0; n--) {
                        junk.append((char) (0x20 + random.nextInt(0x5F)));
                    }
                    how.append("insert a line of junk at ").append(at + 1).append("; ");
                    lines.add(at, junk.toString());
                }
            }
        }
        // Byte damage last: it is what turns text into something that is not UTF-8.
        byte[] bytes = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
        if (random.nextInt(3) == 0 && bytes.length > 0) {
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                int at = random.nextInt(bytes.length);
                if (random.nextBoolean()) {
                    bytes[at] ^= (byte) (1 << random.nextInt(8));
                    how.append("flip a bit of byte ").append(at).append("; ");
                } else {
                    bytes[at] = (byte) random.nextInt(256);
                    how.append("set byte ").append(at).append("; ");
                }
            }
        }
        return bytes;
    }

    private static String deep(Random random, int levels) {
        switch (random.nextInt(4)) {
            case 0:
                return "deep: " + "[".repeat(levels) + "]".repeat(levels);
            case 1:
                return "deep: " + "{a: ".repeat(levels) + "}".repeat(levels);
            case 2:
                return "- ".repeat(levels) + "x";
            default:
                // Indentation grows with the square of the depth: past 2,000 levels the file is over the size
                // limit, refused as a whole before any line is read.
                StringBuilder s = new StringBuilder();
                for (int i = 0; i < Math.min(levels, 2_000); i++) {
                    s.append(" ".repeat(i)).append("k").append(i).append(":").append("\n");
                }
                return s.toString();
        }
    }

    private static int leadingSpaces(String s) {
        int n = 0;
        while (n < s.length() && s.charAt(n) == ' ') {
            n++;
        }
        return n;
    }

    /** Lines as the reader counts them: a line ends at '\n'. */
    private static int lineCount(byte[] bytes) {
        int n = 1;
        for (byte b : bytes) {
            if (b == '\n') {
                n++;
            }
        }
        return n;
    }
}
