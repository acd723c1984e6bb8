package dev.recall.agent.cli;

/**
 * What the target JVM made of the agent it loaded: installed, with a summary, or refused, with the reasons.
 * Crosses from the target to the attach command as one line of text ({@link #line()}, read back by
 * {@link #parse}); an agent of another version may leave a line that is neither, which reads as a refusal.
 *
 * @param installed whether the agent now caches in the target
 * @param text the summary of the installation, or why it was refused
 */
public record AttachOutcome(boolean installed, String text) {

    private static final String INSTALLED = "ok ";
    private static final String REFUSED = "refused ";

    public static AttachOutcome installed(String summary) {
        return new AttachOutcome(true, summary);
    }

    public static AttachOutcome refused(String why) {
        return new AttachOutcome(false, why);
    }

    /** The line left in the target's system property: {@code ok SUMMARY} or {@code refused WHY}. */
    public String line() {
        return (installed ? INSTALLED : REFUSED) + text;
    }

    static AttachOutcome parse(String line) {
        if (line.startsWith(INSTALLED)) {
            return installed(line.substring(INSTALLED.length()));
        }
        return refused(line.startsWith(REFUSED) ? line.substring(REFUSED.length()) : line);
    }
}
