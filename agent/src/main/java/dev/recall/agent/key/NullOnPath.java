package dev.recall.agent.key;

/**
 * A key's property path met {@code null} before its last step ({@code {order.id}} with a null
 * {@code order}): the call has no key, so it runs uncached. Not a failure of the agent, so it carries no
 * stack trace and is one shared instance: it is thrown on the application's thread, as often as the
 * application passes nulls.
 */
public final class NullOnPath extends RuntimeException {

    static final NullOnPath INSTANCE = new NullOnPath();

    private NullOnPath() {
        super("a key's property path met null", null, false, false);
    }
}
