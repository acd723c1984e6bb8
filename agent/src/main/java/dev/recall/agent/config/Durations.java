package dev.recall.agent.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the durations users write: {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}, {@code PT30S}. */
public final class Durations {

    /** What every duration error message tells the user to write instead. */
    public static final String FORMS = "write a positive amount with a unit, like 250ms, 30s, 5m, 1h or 2d, or ISO-8601 like PT30S";

    /** The longest whole number of days whose nanoseconds fit in a {@code long}. */
    static final String LONGEST = "106751d";

    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    /**
     * @throws IllegalArgumentException with a message that says what was wrong and what to write
     */
    public static Duration parse(String text) {
        String s = text == null ? "" : text.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty duration; " + FORMS);
        }
        Duration d;
        Matcher m = SHORT.matcher(s);
        if (m.matches()) {
            long amount;
            try {
                amount = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                throw tooLong(s);
            }
            long unitNanos = switch (m.group(2)) {
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                default -> 86_400_000_000_000L;
            };
            try {
                d = Duration.ofNanos(Math.multiplyExact(amount, unitNanos));
            } catch (ArithmeticException e) {
                throw tooLong(s);
            }
        } else if (s.length() > 1 && (s.charAt(0) == 'P' || s.charAt(0) == 'p')) {
            try {
                d = Duration.parse(s);
            } catch (DateTimeParseException | ArithmeticException e) {
                throw new IllegalArgumentException("'" + s + "' is not a valid ISO-8601 duration; " + FORMS);
            }
            try {
                // Every user of a duration works in nanoseconds (deadlines on System.nanoTime()): one that
                // does not fit must be refused here, with the file's line, not at class load.
                d.toNanos();
            } catch (ArithmeticException e) {
                throw tooLong(s);
            }
        } else {
            throw new IllegalArgumentException("'" + s + "' is not a duration; " + FORMS);
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("'" + s + "' is not positive; " + FORMS);
        }
        return d;
    }

    private static IllegalArgumentException tooLong(String s) {
        return new IllegalArgumentException("'" + s + "' is too long: the longest duration is " + LONGEST
                + " (about 292 years); " + FORMS);
    }

    /** The short form of a duration, as a user would write it: {@code 30s}, {@code 5m}, {@code 1500ms}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000L == 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0) {
            return ms / 60_000L + "m";
        }
        if (ms % 1000L == 0) {
            return ms / 1000L + "s";
        }
        return ms + "ms";
    }
}
