package dev.recall.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Issue 25's fuzz run with a seed of its own (2525) and damage the first run ({@link ConfigFuzzTest}) lacked:
 * one character of a key or of a typed value (a number, a share, a duration, a boolean, a strategy, a store, a
 * copy, an alert metric) replaced by a look-alike letter, a non-ASCII digit of the same value, an invisible or
 * odd space character put inside it, or an underscore where a number cannot hold one. Each file is bad on
 * exactly one line, so each must be refused, with an error on that line that points at the fault: for a
 * character, its code point ({@code U+0430}); for an underscore, the underscore.
 *
 * <p>{@code -Drecall.fuzz.dump=DIR} writes every file there (the integration suite runs a sample through a real
 * JVM in strict mode, {@code FuzzedConfigIT}). Counts are printed ({@code seed 2525: ...}): on the code before issue 25 this run found files accepted
 * silently and refusals that did not name the character. Patterns and region names are not damaged: a look-alike
 * letter there is a legal Java name or a legal region name.
 */
class LookalikeFuzzTest {

    private static final long SEED = 2525;
    private static final int FILES = 300;

    private static final String BASE = """
            defaults:
              ttl: 5m
              maxSize: 10000
              cacheNulls: true
              jitter: 10%
              loadWait: 2s
            store: local
            methods:
              - method: com.acme.fx.RatesClient#rate(java.lang.String, java.lang.String)
                cache: fx-rates
                key: "{0}:{1}"
                ttl: 30s
                strategy: read-through
                maxSize: 500
                copy: reference
                shared: false
                verify: 0.5%
              - method: com.acme.repo.ProductRepository#save(com.acme.Product)
                cache: products
                key: "{0.id}"
                strategy: write-through
            evict:
              - method: com.acme.repo.ProductRepository#clear()
                cache: products
                allEntries: true
                beforeInvocation: false
            writeBack:
              delay: 100ms
              maxPending: 10000
              batchSize: 100
              drainTimeout: 10s
            alerts:
              - metric: hitRatio
                below: 0.5
                over: 1m
                minCalls: 20
            """;

    private enum Kind { KEY, NUMBER, SHARE, DURATION, WORD }

    private static final Map<String, Kind> VALUES = new LinkedHashMap<>();

    static {
        for (String k : List.of("maxSize", "maxPending", "batchSize", "minCalls")) {
            VALUES.put(k, Kind.NUMBER);
        }
        for (String k : List.of("jitter", "verify", "below")) {
            VALUES.put(k, Kind.SHARE);
        }
        for (String k : List.of("ttl", "loadWait", "delay", "drainTimeout", "over")) {
            VALUES.put(k, Kind.DURATION);
        }
        for (String k : List.of("cacheNulls", "shared", "allEntries", "beforeInvocation", "strategy", "copy", "store", "metric")) {
            VALUES.put(k, Kind.WORD);
        }
    }

    private static final String LATIN = "aeopcyxisjvABEKMHOPCTX";
    private static final String[] LOOKALIKES = {"\u0430", "\u0435", "\u043E", "\u0440", "\u0441", "\u0443", "\u0445", "\u0456",
        "\u0455", "\u0458", "\u03BD", "\u0410", "\u0412", "\u0415", "\u041A", "\u041C", "\u041D", "\u041E", "\u0420", "\u0421",
        "\u0422", "\u0425"};
    private static final String[] INVISIBLE = {"\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF", "\u00AD", "\u00A0", "\u202F",
        "\u2007", "\u3000", "\u200E", "\u2028"};
    /** Where each script's zero is: full-width, Arabic-Indic, extended Arabic-Indic, Devanagari, mathematical bold. */
    private static final int[] ZEROS = {0xFF10, 0x0660, 0x06F0, 0x0966, 0x1D7CE};

    /** One damaged token: where, what it was, and what was put in. */
    private record Damage(int line, String kind, String token, String damaged, String marker) {
    }

    @Test
    void everyLookAlikeInvisibleDigitAndUnderscoreIsRefusedOnItsLineNamingTheCharacter() throws java.io.IOException {
        String dumpTo = System.getProperty("recall.fuzz.dump");
        java.nio.file.Path dump = dumpTo == null ? null : java.nio.file.Files.createDirectories(java.nio.file.Paths.get(dumpTo));
        List<String> lines = List.of(BASE.split("\n", -1));
        Map<String, Integer> silent = new TreeMap<>();
        Map<String, Integer> unpointed = new TreeMap<>();
        List<String> examples = new ArrayList<>();
        int rejected = 0;
        assertTrue(ConfigLoader.parse("base.yml", BASE).usable(), ConfigLoader.parse("base.yml", BASE).errors()::toString);
        for (int i = 0; i < FILES; i++) {
            Random random = new Random(SEED * 1_000_003 + i);
            List<String> copy = new ArrayList<>(lines);
            Damage d = damage(random, copy);
            String label = String.format("lookalike-%03d.yml", i);
            RecallConfig c = ConfigLoader.parse(label, String.join("\n", copy));
            if (dump != null) {
                java.nio.file.Files.writeString(dump.resolve(label), String.join("\n", copy));
            }
            if (c.usable()) {
                silent.merge(d.kind(), 1, Integer::sum);
                if (examples.size() < 12) {
                    examples.add(label + " accepted: line " + d.line() + " '" + d.damaged() + "' (" + d.kind() + ")");
                }
                continue;
            }
            rejected++;
            boolean pointed = false;
            for (ConfigError e : c.errors()) {
                if (e.where().equals(label + ":" + d.line()) && e.message().contains(d.marker())) {
                    pointed = true;
                }
            }
            if (!pointed) {
                unpointed.merge(d.kind(), 1, Integer::sum);
                if (examples.size() < 12) {
                    examples.add(label + " not pointed at: line " + d.line() + " '" + d.damaged() + "' (" + d.kind()
                            + ", looking for " + d.marker() + "): " + c.errors());
                }
            }
        }
        int silentCount = silent.values().stream().mapToInt(Integer::intValue).sum();
        int unpointedCount = unpointed.values().stream().mapToInt(Integer::intValue).sum();
        System.out.println("seed " + SEED + ": " + FILES + " files, " + rejected + " refused, " + silentCount
                + " accepted silently " + silent + ", " + unpointedCount + " refused with no message pointing at the fault "
                + unpointed);
        examples.forEach(System.out::println);
        assertEquals(0, silentCount, () -> "accepted silently " + silent + "\n" + String.join("\n", examples));
        assertEquals(0, unpointedCount, () -> "not pointed at " + unpointed + "\n" + String.join("\n", examples));
    }

    /** Damages one token of {@code lines} in place. */
    private static Damage damage(Random random, List<String> lines) {
        while (true) {
            int at = random.nextInt(lines.size());
            String line = lines.get(at);
            int colon = line.indexOf(": ");
            if (colon < 0 && !line.endsWith(":")) {
                continue;
            }
            int keyStart = line.startsWith("  - ", 0) || line.trim().startsWith("- ") ? line.indexOf("- ") + 2 : leading(line);
            String key = line.substring(keyStart, colon < 0 ? line.length() - 1 : colon);
            boolean onKey = colon < 0 || !VALUES.containsKey(key) || random.nextInt(3) == 0;
            if (onKey && (key.equals("method") || key.equals("cache") || key.equals("key"))) {
                onKey = true; // their values are not damaged, their keys are
            }
            String token = onKey ? key : line.substring(colon + 2);
            int tokenStart = onKey ? keyStart : colon + 2;
            Kind kind = onKey ? Kind.KEY : VALUES.get(key);
            String damaged;
            String marker;
            String what;
            int choice = random.nextInt(3);
            if (kind == Kind.NUMBER || kind == Kind.SHARE || kind == Kind.DURATION) {
                if (choice == 0 && token.chars().anyMatch(Character::isDigit)) {
                    int d = firstDigitAfter(token, random.nextInt(token.length()));
                    int zero = ZEROS[random.nextInt(ZEROS.length)];
                    int cp = zero + token.charAt(d) - '0';
                    damaged = token.substring(0, d) + new String(Character.toChars(cp)) + token.substring(d + 1);
                    marker = String.format("U+%04X", cp);
                    what = "digit";
                } else if (choice == 1 && kind != Kind.DURATION) {
                    damaged = random.nextBoolean() ? "_" + token : token.endsWith("%") ? token.replace("%", "_%") : token + "_";
                    marker = "_";
                    what = "underscore";
                } else {
                    String[] inv = INVISIBLE;
                    String c = inv[random.nextInt(inv.length)];
                    int p = 1 + random.nextInt(Math.max(1, token.length() - 1));
                    damaged = token.substring(0, p) + c + token.substring(p);
                    marker = String.format("U+%04X", (int) c.charAt(0));
                    what = "invisible";
                }
            } else {
                List<Integer> letters = new ArrayList<>();
                for (int p = 0; p < token.length(); p++) {
                    if (LATIN.indexOf(token.charAt(p)) >= 0) {
                        letters.add(p);
                    }
                }
                if (choice < 2 && !letters.isEmpty()) {
                    int p = letters.get(random.nextInt(letters.size()));
                    String c = LOOKALIKES[LATIN.indexOf(token.charAt(p))];
                    damaged = token.substring(0, p) + c + token.substring(p + 1);
                    marker = String.format("U+%04X", (int) c.charAt(0));
                    what = "look-alike";
                } else {
                    String c = INVISIBLE[random.nextInt(INVISIBLE.length)];
                    int p = 1 + random.nextInt(Math.max(1, token.length() - 1));
                    damaged = token.substring(0, p) + c + token.substring(p);
                    marker = String.format("U+%04X", (int) c.charAt(0));
                    what = "invisible";
                }
            }
            lines.set(at, line.substring(0, tokenStart) + damaged + line.substring(tokenStart + token.length()));
            return new Damage(at + 1, what + " in " + kind.name().toLowerCase(), token, damaged, marker);
        }
    }

    private static int firstDigitAfter(String token, int from) {
        for (int i = 0; i < token.length(); i++) {
            int p = (from + i) % token.length();
            if (Character.isDigit(token.charAt(p))) {
                return p;
            }
        }
        throw new IllegalArgumentException(token);
    }

    private static int leading(String s) {
        int n = 0;
        while (n < s.length() && s.charAt(n) == ' ') {
            n++;
        }
        return n;
    }
}
