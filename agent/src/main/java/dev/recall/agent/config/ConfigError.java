package dev.recall.agent.config;

/**
 * One problem in the user's configuration: where it is and what to do about it.
 *
 * @param where {@code file:line}, or the method for problems found when a class is loaded
 * @param message what is wrong, ending with what to write instead where we can tell
 */
public record ConfigError(String where, String message) {

    @Override
    public String toString() {
        return where + ": " + message;
    }
}
