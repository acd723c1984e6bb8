package dev.recall.agent.config;

import dev.recall.agent.config.YamlNode.Entry;
import dev.recall.agent.config.YamlNode.Mapping;
import dev.recall.agent.config.YamlNode.Scalar;
import dev.recall.agent.config.YamlNode.Sequence;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the values of a file's settings (durations, numbers, shares, booleans, names of kinds) and the shapes
 * around them (a section, a list), reporting each value that is not what its setting takes to the file's
 * {@link Problems}, with what to write instead. Used by one reading, on one thread.
 */
final class Scalars {

    /** What a threshold may be: a decimal number, as a user writes one (no NaN, Infinity, hex or type suffixes). */
    private static final Pattern DECIMAL = Pattern.compile("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?");
    /** A whole number as a user writes one: ASCII digits, {@code _} between digits only ({@code 10_000}). */
    private static final Pattern WHOLE = Pattern.compile("[-+]?[0-9]+(_+[0-9]+)*");
    /** Underscores between two digits, the only place a number may hold them. */
    private static final Pattern UNDERSCORES = Pattern.compile("(?<=[0-9])_+(?=[0-9])");

    private final Problems problems;
    /** Where each remote store was asked for, so a missing {@code redis:} section is reported there. */
    private final List<YamlNode> remoteStores = new ArrayList<>();

    Scalars(Problems problems) {
        this.problems = problems;
    }

    Problems problems() {
        return problems;
    }

    /** The nodes that named a remote store ({@code store: redis}, ...), in the file's order. */
    List<YamlNode> remoteStores() {
        return remoteStores;
    }

    /** {@code verify:}, a share of hits from 0 to 100%. */
    Double share(YamlNode node, String what) {
        return share(node, what, 1, what + " must be a share of hits from 0% to 100%, like 1% (one hit in a hundred also runs "
                + "the method and compares its result with the cached one) or 0 (off)");
    }

    /**
     * A share written as a percentage ({@code 1%}, {@code 0.5%}) or a fraction ({@code 0.01}), from 0 to {@code most};
     * {@code null} if absent or wrong (then with an error that says {@code expected} and what was written).
     */
    Double share(YamlNode node, String what, double most, String expected) {
        String text = scalar(node, what);
        if (text == null) {
            return null;
        }
        String t = text.trim();
        String number = t.endsWith("%") ? t.substring(0, t.length() - 1).trim() : t;
        // The decimal form only: parseDouble also takes "1d", "0x1p0" and "Infinity".
        if (DECIMAL.matcher(number).matches()) {
            double v = t.endsWith("%") ? Double.parseDouble(number) / 100 : Double.parseDouble(number);
            if (v >= 0 && v <= most && !Double.isNaN(v)) {
                return v;
            }
        }
        problems.error(node, expected + "; got '" + text + "'" + numberProblem(node, text));
        return null;
    }

    /** {@code text} as an http:// or https:// address; {@code null}, with an error at {@code node}, if it is not one. */
    URI httpAddress(YamlNode node, String text, String what, String example) {
        try {
            URI uri = URI.create(text.trim());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http or https address");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            problems.error(node, what + " must be an http:// or https:// address, like " + example + "; got '" + text
                    + "' (" + e.getMessage() + ")");
            return null;
        }
    }

    Double number(YamlNode node, String what) {
        String text = scalar(node, what);
        if (text == null) {
            return null;
        }
        String digits = UNDERSCORES.matcher(text.trim()).replaceAll("");
        if (DECIMAL.matcher(digits).matches()) {
            double value = Double.parseDouble(digits);
            if (Double.isFinite(value)) {
                return value;
            }
        }
        // NaN would make an alert that never fires, Infinity one that never clears.
        problems.error(node, "'" + what + "' must be a number, like 0.5 or 200; got '" + text + "'" + numberProblem(node, text)
                + " (a finite number: with NaN or Infinity the alert would never fire, or never clear)");
        return null;
    }

    Long nonNegativeLong(YamlNode node, String what) {
        String text = scalar(node, what);
        if (text == null) {
            return null;
        }
        Long v = wholeNumber(text);
        if (v != null && v >= 0) {
            return v;
        }
        problems.error(node, what + " must be a whole number, 0 or more, like 20; got '" + text + "'" + numberProblem(node, text));
        return null;
    }

    static Map<String, YamlNode> keyNodes(YamlNode node) {
        Map<String, YamlNode> keys = new HashMap<>();
        if (node instanceof Mapping m) {
            for (Entry t : m.entries()) {
                keys.putIfAbsent(t.key().value(), t.key());
            }
        }
        return keys;
    }

    /** @return the store named, {@link StoreKind#LOCAL} if none is, {@code null} if the name is wrong */
    StoreKind store(YamlNode node) {
        String name = scalar(node, "store");
        if (name == null || name.isEmpty()) {
            return StoreKind.LOCAL;
        }
        StoreKind kind = StoreKind.fromName(name);
        if (kind == null) {
            problems.error(node, "unknown store '" + name + "'" + problems.itHas(node, name)
                    + Suggestions.didYouMean(name, StoreKind.CONFIG_NAMES));
        } else if (kind.remote()) {
            remoteStores.add(node);
        }
        return kind;
    }

    List<String> strings(YamlNode node, String what) {
        List<String> result = new ArrayList<>();
        if (node == null) {
            return result;
        }
        if (node instanceof Scalar s && !s.value().isEmpty()) {
            result.add(s.value());
            return result;
        }
        for (YamlNode item : sequence(node, what, "value")) {
            String text = scalar(item, what);
            if (text != null) {
                result.add(text);
            }
        }
        return result;
    }

    MethodPattern pattern(YamlNode entry, YamlNode node, String section) {
        if (node == null) {
            problems.error(entry, "each " + section + " entry needs 'method:'; " + MethodPattern.FORM);
            return null;
        }
        String text = scalar(node, "method");
        if (text == null) {
            return null;
        }
        try {
            return MethodPattern.parse(text);
        } catch (IllegalArgumentException e) {
            problems.error(node, e.getMessage());
            return null;
        }
    }

    Duration duration(YamlNode node, String what) {
        String text = scalar(node, what);
        if (text == null) {
            return null;
        }
        String odd = problems.odd(node, text);
        if (!odd.isEmpty()) {
            problems.error(node, "bad duration: '" + text + "'" + odd + "; a duration is written in ASCII: " + Durations.FORMS);
            return null;
        }
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            problems.error(node, "bad duration: " + e.getMessage());
            return null;
        }
    }

    /** A share of the TTL: {@code 10%}, {@code 0} (off), or a fraction {@code 0.1}; at most 90%. */
    Double jitter(YamlNode node) {
        return share(node, "jitter", 0.9, "jitter must be a share of the ttl from 0% to 90%, like 10% (each entry lives "
                + "between 90% and 100% of its ttl) or 0 (off)");
    }

    StrategyKind strategy(YamlNode node) {
        String text = scalar(node, "strategy");
        if (text == null) {
            return null;
        }
        StrategyKind k = Characters.firstOdd(text.trim(), 1) == null ? StrategyKind.fromName(text) : null;
        if (k == null) {
            problems.error(node, "unknown strategy '" + text + "'" + problems.itHas(node, text)
                    + Suggestions.didYouMean(text, StrategyKind.CONFIG_NAMES));
        }
        return k;
    }

    CopyKind copy(YamlNode node) {
        String text = scalar(node, "copy");
        if (text == null) {
            return null;
        }
        CopyKind k = Characters.firstOdd(text.trim(), 1) == null ? CopyKind.fromName(text) : null;
        if (k == null) {
            problems.error(node, "unknown copy '" + text + "'" + problems.itHas(node, text) + "; write auto (share immutable values, copy the others), "
                    + "reference (always share) or value (always copy)" + Suggestions.didYouMean(text, CopyKind.CONFIG_NAMES));
        }
        return k;
    }

    /** A size in bytes: a whole number, or with a unit {@code kb} or {@code mb} (1024-based), from 1 byte to 512 MB. */
    Long byteSize(YamlNode node, String what) {
        String text = scalar(node, what);
        if (text == null) {
            return null;
        }
        Matcher m = Pattern.compile("(\\d{1,9})\\s*(b|kb|mb)?", Pattern.CASE_INSENSITIVE)
                .matcher(text.trim());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
            long bytes = n * (unit.equals("mb") ? 1024 * 1024 : unit.equals("kb") ? 1024 : 1);
            if (bytes >= 1 && bytes <= 512L * 1024 * 1024) {
                return bytes;
            }
        }
        problems.error(node, "redis " + what + " must be a size from 1 byte to 512mb, like 1048576, 512kb or 1mb; got '" + text + "'");
        return null;
    }

    Long positiveLong(YamlNode node, String what) {
        String text = scalar(node, what);
        if (text == null) {
            return null;
        }
        Long v = wholeNumber(text);
        if (v != null && v > 0) {
            return v;
        }
        problems.error(node, what + " must be a positive whole number" + (what.equals("maxSize") ? " of entries" : "")
                + ", like " + (what.equals("batchSize") ? "100" : "10000") + "; got '" + text + "'" + numberProblem(node, text));
        return null;
    }

    Boolean bool(YamlNode node, String what) {
        String text = scalar(node, what);
        if (text == null) {
            return null;
        }
        // ASCII only: equalsIgnoreCase takes "falſe" (a long s) for false.
        if (Characters.firstOdd(text, 1) == null && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
            return Boolean.valueOf(text);
        }
        problems.error(node, "'" + what + "': expected true or false, got '" + text + "'" + problems.itHas(node, text));
        return null;
    }

    String scalar(YamlNode node, String what) {
        String text = plainScalar(node, what);
        if (text != null && text.contains("${")) {
            // Taken literally, a reference is a silent mistake: every application would share the key prefix "${APP}:".
            problems.error(node, "'" + what + "' has '" + text + "': environment variables (${NAME}) are read only in redis "
                    + "'uri:', 'secret:' and 'secrets:'; write the value itself here");
            return null;
        }
        return text;
    }

    /** A scalar's text, {@code ${...}} and all. */
    String plainScalar(YamlNode node, String what) {
        if (node == null) {
            return null;
        }
        problems.read(node);
        if (node instanceof Scalar s) {
            return s.value();
        }
        problems.error(node, "'" + what + "' must be a single value, not a list or a section");
        return null;
    }

    List<YamlNode> sequence(YamlNode node, String what, String firstKey) {
        if (node == null) {
            return List.of();
        }
        problems.read(node);
        if (node instanceof Sequence s) {
            return s.items();
        }
        if (node instanceof Scalar s && s.value().isEmpty()) {
            return List.of();
        }
        problems.error(node, "'" + what + ":' must be a list, each entry starting with '- " + firstKey + ": ...'");
        return List.of();
    }

    Map<String, YamlNode> mapping(YamlNode node, String what, List<String> allowed) {
        Map<String, YamlNode> result = new HashMap<>();
        if (node != null) {
            problems.read(node);
        }
        if (!(node instanceof Mapping m)) {
            if (!(node instanceof Scalar s && s.value().isEmpty())) {
                problems.error(node, what + " must be a section of 'key: value' lines");
            }
            return result;
        }
        for (Entry t : m.entries()) {
            Scalar keyNode = t.key();
            String key = keyNode.value();
            if (!allowed.contains(key)) {
                problems.error(keyNode, "unknown key '" + key + "' in " + what + problems.itHas(keyNode, key)
                        + Suggestions.didYouMean(key, allowed));
            } else if (result.put(key, t.value()) != null) {
                problems.error(keyNode, "'" + key + "' is written twice in " + what + "; keep one");
            }
        }
        return result;
    }

    /** A whole number in ASCII digits, {@code _} allowed between digits ({@code 10_000}); {@code null} if it is not one. */
    static Long wholeNumber(String text) {
        String t = text.trim();
        if (!WHOLE.matcher(t).matches()) {
            return null;
        }
        try {
            return Long.parseLong(t.replace("_", ""));
        } catch (NumberFormatException tooLarge) {
            return null;
        }
    }

    /** What makes {@code text} not a number a reader would see as one, as {@code " (...)"}; empty if nothing does. */
    String numberProblem(YamlNode node, String text) {
        String odd = problems.odd(node, text);
        if (!odd.isEmpty()) {
            return ":" + odd + "; write numbers in ASCII digits 0-9";
        }
        String t = text.trim();
        if (t.indexOf('_') >= 0 && UNDERSCORES.matcher(t).replaceAll("").indexOf('_') >= 0) {
            return ": an '_' may stand only between two digits, like 10_000";
        }
        return "";
    }
}
