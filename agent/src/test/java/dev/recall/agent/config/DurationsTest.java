package dev.recall.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @Test
    void parsesMilliseconds() {
        assertEquals(Duration.ofMillis(250), Durations.parse("250ms"));
    }

    @Test
    void parsesSeconds() {
        assertEquals(Duration.ofSeconds(30), Durations.parse("30s"));
    }

    @Test
    void parsesMinutes() {
        assertEquals(Duration.ofMinutes(5), Durations.parse("5m"));
    }

    @Test
    void parsesHours() {
        assertEquals(Duration.ofHours(1), Durations.parse("1h"));
    }

    @Test
    void parsesDays() {
        assertEquals(Duration.ofDays(2), Durations.parse("2d"));
    }

    @Test
    void parsesIso8601() {
        assertEquals(Duration.ofSeconds(30), Durations.parse("PT30S"));
    }

    @Test
    void parsesIso8601WithHoursAndMinutes() {
        assertEquals(Duration.ofMinutes(90), Durations.parse("PT1H30M"));
    }

    @Test
    void parsesLowerCaseIso8601LikeJavaTimeDoes() {
        // java.time.Duration.parse is case-insensitive; the agent hands 'p...' to it as well.
        assertEquals(Duration.ofDays(1), Durations.parse("p1d"));
        assertEquals(Duration.ofSeconds(30), Durations.parse("pt30s"));
    }

    @Test
    void trimsSurroundingWhitespace() {
        assertEquals(Duration.ofSeconds(30), Durations.parse("  30s\t"));
        assertEquals(Duration.ofSeconds(30), Durations.parse(" PT30S "));
    }

    @Test
    void msIsNotReadAsMinutes() {
        assertEquals(Duration.ofMillis(5), Durations.parse("5ms"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5 minutes", "0s", "-5s", "PT", "10x", "PT-5S", "s", "5"})
    void rejectsBadTextNamingItAndSuggestingTheForms(String bad) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(bad));
        assertTrue(e.getMessage().contains("'" + bad + "'"), () -> "message should quote the bad text: " + e.getMessage());
        assertTrue(e.getMessage().contains(Durations.FORMS), () -> "message should suggest the forms: " + e.getMessage());
    }

    @Test
    void rejectsEmptyTextSuggestingTheForms() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(""));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        assertTrue(e.getMessage().contains(Durations.FORMS), e.getMessage());
    }

    @Test
    void rejectsBlankAndNullTextAsEmpty() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Durations.parse("   "))
                .getMessage().contains("empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Durations.parse(null))
                .getMessage().contains("empty"));
    }

    @Test
    void rejectsZeroSayingItIsNotPositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("0s"));
        assertTrue(e.getMessage().contains("not positive"), e.getMessage());
    }

    @Test
    void rejectsZeroIso8601() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("PT0S"));
        assertTrue(e.getMessage().contains("not positive"), e.getMessage());
    }

    @Test
    void rejectsAnAmountTooLargeForALong() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Durations.parse("99999999999999999999s"));
        assertTrue(e.getMessage().contains(Durations.FORMS), e.getMessage());
    }

    @Test
    void formatsWholeSeconds() {
        assertEquals("30s", Durations.format(Duration.ofSeconds(30)));
    }

    @Test
    void formatsWholeMinutes() {
        assertEquals("5m", Durations.format(Duration.ofMinutes(5)));
    }

    @Test
    void formatsMillisecondsThatAreNotWholeSeconds() {
        assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
    }

    @Test
    void formatsWholeHours() {
        assertEquals("2h", Durations.format(Duration.ofHours(2)));
    }

    @Test
    void formatsWholeDays() {
        assertEquals("1d", Durations.format(Duration.ofDays(1)));
    }

    @Test
    void formatsNinetySecondsAsSecondsNotMinutes() {
        assertEquals("90s", Durations.format(Duration.ofSeconds(90)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"30s", "5m", "1500ms", "2h", "1d", "250ms", "61m"})
    void formatThenParseRoundTrips(String text) {
        Duration d = Durations.parse(text);
        assertEquals(text, Durations.format(d));
        assertEquals(d, Durations.parse(Durations.format(d)));
    }
}
