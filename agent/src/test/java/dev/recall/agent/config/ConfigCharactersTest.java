package dev.recall.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 25: numbers and durations in ASCII only, with underscores between digits only; an eviction that says
 * both "this key" and "every entry" refused; messages that name a look-alike or invisible character by its code
 * point and column, since the quoted text looks right.
 */
class ConfigCharactersTest {

    private static RecallConfig load(String yaml) {
        return ConfigLoader.parse("recall.yml", yaml);
    }

    private static String onlyError(String yaml) {
        RecallConfig c = load(yaml);
        assertEquals(1, c.errors().size(), c.errors()::toString);
        return c.errors().get(0).toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"_100", "100_", "1__", "１００", "١٠٠", "१००", "1\u00A000", "10\u200B0", "+_1"})
    void aSizeThatIsNotAnAsciiNumberIsRefused(String written) {
        String e = onlyError("defaults:\n  maxSize: " + written + "\n");
        assertTrue(e.startsWith("recall.yml:2: maxSize must be a positive whole number"), e);
    }

    @Test
    void fullWidthDigitsAreNamedByCodePointAndColumn() {
        String e = onlyError("defaults:\n  maxSize: １００\n");
        assertTrue(e.contains("contains U+FF11 FULLWIDTH DIGIT ONE (a digit that is not ASCII 0-9) at column 12; write numbers "
                + "in ASCII digits 0-9"), e);
    }

    @Test
    void aMisplacedUnderscoreIsSaidSo() {
        assertTrue(onlyError("defaults:\n  maxSize: _100\n").contains("an '_' may stand only between two digits"));
    }

    @Test
    void underscoresBetweenDigitsStillRead() {
        RecallConfig c = load("defaults:\n  maxSize: 10_000\nwriteBack:\n  maxPending: 1_000_000\n");
        assertTrue(c.usable(), c.errors()::toString);
        assertEquals(10_000, c.defaults().get(Settings.MAX_SIZE));
        assertEquals(1_000_000, c.writeBack().maxPending());
    }

    @ParameterizedTest
    @ValueSource(strings = {"３0s", "30ｓ", "٣0s", "30\u00A0s", "\u200B30s", "P\u0422"})
    void aDurationOutsideAsciiIsRefusedNamingTheCharacter(String written) {
        String e = onlyError("defaults:\n  ttl: " + written + "\n");
        assertTrue(e.startsWith("recall.yml:2: bad duration:"), e);
        assertTrue(e.contains(" contains U+"), e);
        assertTrue(e.contains(" at column "), e);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.5_", "_1", "１", "0.5d", "0x1p-1"})
    void sharesAndThresholdsAreAsciiDecimals(String written) {
        assertFalse(load("verify: " + written + "\n").usable(), written);
        assertFalse(load("alerts:\n  - metric: hitRatio\n    below: " + written + "\n").usable(), written);
    }

    @Test
    void aLongSIsNotTheSOfFalse() {
        String e = onlyError("defaults:\n  cacheNulls: falſe\n");
        assertTrue(e.contains("U+017F LATIN SMALL LETTER LONG S at column 18"), e);
    }

    @Test
    void anEvictionWithBothAKeyAndAllEntriesIsRefused() {
        String e = onlyError("evict:\n  - method: com.acme.Repo#delete(long)\n    cache: items\n    key: \"{0}\"\n"
                + "    allEntries: true\n");
        assertTrue(e.startsWith("recall.yml:4: an evict entry has both 'key:' (evict one entry) and 'allEntries: true'"), e);
        assertTrue(load("evict:\n  - method: com.acme.Repo#delete(long)\n    cache: items\n    key: \"{0}\"\n"
                + "    allEntries: false\n").usable());
    }

    @Test
    void aCyrillicLetterInAKeyIsNamedWithItsColumnAndTheKeyItImitates() {
        String e = onlyError("defaults:\n  m\u0430xSize: 100\n");
        assertEquals("recall.yml:2: unknown key 'm\u0430xSize' in defaults: it contains U+0430 CYRILLIC SMALL LETTER A "
                + "(a look-alike of 'a') at column 4; did you mean 'maxSize'?", e);
    }

    @Test
    void invisibleCharactersInKeysAreNamed() {
        for (String odd : List.of("\u200B", "\u00A0", "\uFEFF", "\u2060", "\u00AD")) {
            String e = onlyError("defaults:\n  max" + odd + "Size: 100\n");
            assertTrue(e.contains("contains " + String.format("U+%04X", (int) odd.charAt(0))), e);
            assertTrue(e.contains("at column 6; did you mean 'maxSize'?"), e);
        }
    }

    @Test
    void aGreekLetterInAStrategyIsNamed() {
        String e = onlyError("methods:\n  - method: com.acme.Repo#find(..)\n    strategy: read-thr\u03BFugh\n");
        assertTrue(e.contains("U+03BF GREEK SMALL LETTER OMICRON (a look-alike of 'o') at column 23; did you mean 'read-through'?"), e);
    }

    @Test
    void unicodeNamesInPatternsAreAccepted() {
        RecallConfig c = load("methods:\n  - method: com.acme.café.Menü#prix(..)\n");
        assertTrue(c.usable(), c.errors()::toString);
    }

    @Test
    void aHugeClassNameIsRefusedAtOnce() {
        long began = System.nanoTime();
        String e = onlyError("methods:\n  - method: com.acme." + "X".repeat(1_000_000) + "#rate(..)\n");
        assertTrue(e.contains("characters is too long: at most 1000"), e);
        assertTrue(System.nanoTime() - began < 2_000_000_000L);
    }
}
