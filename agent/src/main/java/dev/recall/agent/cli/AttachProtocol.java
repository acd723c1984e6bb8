package dev.recall.agent.cli;

/**
 * How the attach command learns what the target made of the agent it loaded: it adds
 * {@code attachId=ID} to the agent's options, the agent leaves one line under the system property
 * {@code OUTCOME_PREFIX + ID} of the target ({@link AttachOutcome#line()}), and the command reads it back over the same connection. A
 * system property because an agentmain that throws prints a stack trace on the application's stderr.
 */
public final class AttachProtocol {

    public static final String OPTION = "attachId";
    public static final String OUTCOME_PREFIX = "dev.recall.agent.attach.";

    private AttachProtocol() {
    }

    /** Only what the command generates: it becomes part of a system property's name. */
    public static boolean validId(String id) {
        return id.matches("[0-9a-f]{1,32}");
    }
}
