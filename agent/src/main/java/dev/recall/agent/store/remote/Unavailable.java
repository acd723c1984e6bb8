package dev.recall.agent.store.remote;

/**
 * Redis could not be used for this call (down, slow, or failing). Stores answer it with "no cache": the
 * method runs. Carries no stack trace: it is expected, and may be frequent while Redis is down.
 */
final class Unavailable extends RuntimeException {

    static final Unavailable DOWN = new Unavailable("Redis is down", null);

    Unavailable(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
