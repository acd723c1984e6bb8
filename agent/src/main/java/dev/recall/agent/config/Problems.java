package dev.recall.agent.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The problems found while one file is read, each with its line, and the text of that file, so that a message can
 * point at the column of a character nobody can see. Used by one reading, on one thread.
 */
final class Problems {

    /** Errors listed: a damaged file can have one per line, and stderr and the MBean need the first few. */
    static final int MAX_LISTED = 100;
    /** Errors kept while reading, so that a file with millions of mistakes costs bounded memory. */
    private static final int MAX_KEPT = 10_000;

    private final String label;
    private final List<ConfigError> errors = new ArrayList<>();
    /** Errors found beyond {@link #MAX_KEPT}: counted, not kept. */
    private int notKept;
    /** The node read last, for the line of a failure nobody foresaw. */
    private YamlNode lastRead;

    /** The file's text and its lines (split on first need), for the column of a character a message points at. */
    private String text;
    private String[] lines;

    Problems(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    void text(String text) {
        this.text = text;
    }

    /** Notes {@code node} as the one read last. */
    void read(YamlNode node) {
        lastRead = node;
    }

    /** A problem at {@code node}'s line (line 1 when there is no node). */
    void error(YamlNode node, String message) {
        add(new ConfigError(label, line(node), message));
    }

    /** A problem at a line found otherwise (by the YAML reader). */
    void errorAt(int line, String message) {
        add(new ConfigError(label, line, message));
    }

    /** A failure nobody foresaw, at the node read last, or the file as a whole when none was read. */
    void failure(String message) {
        add(lastRead == null ? new ConfigError(label, message) : new ConfigError(label, lastRead.line(), message));
    }

    private void add(ConfigError error) {
        if (errors.size() < MAX_KEPT) {
            errors.add(error);
        } else {
            notKept++;
        }
    }

    /** The problems from the file's top, at most {@link #MAX_LISTED} and a last one that counts the rest. */
    List<ConfigError> listed() {
        errors.sort(null); // stable: the problems of one line stay in the order they were found
        List<ConfigError> listed = errors;
        if (errors.size() > MAX_LISTED) {
            ConfigError first = errors.get(MAX_LISTED);
            listed = new ArrayList<>(errors.subList(0, MAX_LISTED));
            listed.add(new ConfigError(first.file(), first.line(), "and " + (errors.size() - MAX_LISTED + notKept)
                    + " more errors from this line on, not listed; fix the ones above (one mistake, like a wrong "
                    + "indentation, often causes many) and start again"));
        }
        return List.copyOf(listed);
    }

    /** {@code file:line} of {@code node}, for what names where a rule or section is written. */
    String where(YamlNode node) {
        return label + ":" + line(node);
    }

    private static int line(YamlNode node) {
        return node == null ? 1 : node.line();
    }

    /**
     * {@code " contains U+0430 CYRILLIC SMALL LETTER A (a look-alike of 'a') at column 3"} for the first character of
     * {@code value} (read from {@code node}) that is not printable ASCII, the column counted in its line of the file
     * where the value is found there; empty when every character is plain.
     */
    String odd(YamlNode node, String value) {
        if (Characters.firstOddIndex(value) < 0) {
            return ""; // the common case, without copying a value that may be megabytes long
        }
        int from = 0;
        int to = value.length();
        while (from < to && (value.charAt(from) == ' ' || value.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (value.charAt(to - 1) == ' ' || value.charAt(to - 1) == '\t')) {
            to--;
        }
        String trimmed = value.substring(from, to);
        if (Characters.firstOddIndex(trimmed) < 0) {
            return ""; // only tabs around the value
        }
        int column = columnOf(node, trimmed);
        return column > 0 ? " " + Characters.firstOdd(trimmed, column)
                : " " + Characters.firstOdd(trimmed, 1).replace(" at column ", " at character ");
    }

    /** {@link #odd} as {@code ": it contains ..."}, to follow a quoted value; empty when the value is plain. */
    String itHas(YamlNode node, String value) {
        String odd = odd(node, value);
        return odd.isEmpty() ? "" : ": it" + odd;
    }

    /** The column (from 1) where {@code value} starts in {@code node}'s line, or 0 if it is not there as written. */
    private int columnOf(YamlNode node, String value) {
        if (node == null || text == null || value.isEmpty()) {
            return 0;
        }
        if (lines == null) {
            lines = (text.startsWith("\uFEFF") ? text.substring(1) : text).split("\r?\n", -1);
        }
        int line = node.line();
        if (line < 1 || line > lines.length) {
            return 0;
        }
        String l = lines[line - 1];
        int colon = l.indexOf(": ");
        int at = node instanceof YamlNode.Scalar && colon >= 0 && l.indexOf(value, colon) >= 0 ? l.indexOf(value, colon) : l.indexOf(value);
        return at < 0 ? 0 : l.codePointCount(0, at) + 1;
    }
}
