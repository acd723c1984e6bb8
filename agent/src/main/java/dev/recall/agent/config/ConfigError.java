package dev.recall.agent.config;

/**
 * One problem in the user's configuration: where it is and what to do about it. Immutable. Ordered by file, then
 * line, so that a file's problems are listed from its top.
 *
 * @param file the file, or what else the problem is in (a method, for problems found when a class is loaded; an
 *     agent option)
 * @param line the line in {@code file} (from 1), or 0 when the problem has no line
 * @param message what is wrong, ending with what to write instead where we can tell
 */
public record ConfigError(String file, int line, String message) implements Comparable<ConfigError> {

    /** The longest message kept: a damaged file can put megabytes into the value a message quotes. */
    static final int LONGEST = 1_000;

    public ConfigError {
        if (message != null && message.length() > LONGEST) {
            // The end says what to write instead; what is cut is the middle, the quoted value.
            int head = LONGEST * 2 / 3;
            int tail = LONGEST - head;
            message = message.substring(0, head) + "... (" + (message.length() - head - tail) + " characters left out) ..."
                    + message.substring(message.length() - tail);
        }
    }

    /** A problem with no line: in a method, an agent option, or a file as a whole. */
    public ConfigError(String where, String message) {
        this(where, 0, message);
    }

    /** {@code file:line}, or the file alone when there is no line. */
    public String where() {
        return line > 0 ? file + ":" + line : file;
    }

    @Override
    public int compareTo(ConfigError other) {
        int byFile = String.valueOf(file).compareTo(String.valueOf(other.file));
        return byFile != 0 ? byFile : Integer.compare(line, other.line);
    }

    @Override
    public String toString() {
        return where() + ": " + message;
    }
}
