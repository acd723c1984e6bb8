package dev.recall.sample.load;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Durations as people type them on a command line: {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}. */
public final class Durations {

    private Durations() {
    }

    /**
     * Reads {@code 500ms}, {@code 1.5s}, {@code 30s}, {@code 2m}, {@code 1h}, a bare number of seconds, or
     * ISO-8601 ({@code PT30S}).
     *
     * @throws IllegalArgumentException for anything else, or a negative duration
     */
    public static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("pt")) {
                return nonNegative(Duration.parse(text.trim()), text);
            }
            long nanosPerUnit;
            String number;
            if (t.endsWith("ms")) {
                nanosPerUnit = 1_000_000L;
                number = t.substring(0, t.length() - 2);
            } else if (t.endsWith("s")) {
                nanosPerUnit = 1_000_000_000L;
                number = t.substring(0, t.length() - 1);
            } else if (t.endsWith("m")) {
                nanosPerUnit = 60_000_000_000L;
                number = t.substring(0, t.length() - 1);
            } else if (t.endsWith("h")) {
                nanosPerUnit = 3_600_000_000_000L;
                number = t.substring(0, t.length() - 1);
            } else {
                nanosPerUnit = 1_000_000_000L;
                number = t;
            }
            long nanos = new BigDecimal(number.trim()).multiply(BigDecimal.valueOf(nanosPerUnit)).longValueExact();
            return nonNegative(Duration.ofNanos(nanos), text);
        } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (use e.g. 500ms, 30s, 2m)");
        }
    }

    /** The shortest of {@code 2m}, {@code 30s}, {@code 500ms} that is exact, else e.g. {@code 1.5s}. */
    public static String format(Duration d) {
        long millis = d.toMillis();
        if (d.toNanos() % 1_000_000 != 0) {
            return BigDecimal.valueOf(d.toNanos(), 6).stripTrailingZeros().toPlainString() + "ms";
        }
        if (millis != 0 && millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1_000 == 0) {
            return millis / 1_000 + "s";
        }
        return millis < 1_000 ? millis + "ms" : BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString() + "s";
    }

    private static Duration nonNegative(Duration d, String text) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative: '" + text + "'");
        }
        return d;
    }
}
