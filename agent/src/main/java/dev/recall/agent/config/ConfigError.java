package dev.recall.agent.config;

/**
 * One problem in the user's configuration: where it is and what to do about it.
 *
 * @param where {@code file:line}, or the method for problems found when a class is loaded
 * @param message what is wrong, ending with what to write instead where we can tell
 */
public record ConfigError(String where, String message) {

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

    @Override
    public String toString() {
        return where + ": " + message;
    }
}
