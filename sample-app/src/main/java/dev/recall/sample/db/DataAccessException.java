package dev.recall.sample.db;

/**
 * A database failure surfaced as an unchecked exception, so repository methods keep plain signatures
 * (a cached method that throws caches nothing, so callers simply see the failure).
 */
public class DataAccessException extends RuntimeException {

    public DataAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}
