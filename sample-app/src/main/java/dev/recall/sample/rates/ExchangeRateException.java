package dev.recall.sample.rates;

/** The rates API could not give a rate: an HTTP error status, a malformed answer, or no answer at all. */
public class ExchangeRateException extends RuntimeException {

    private final int status;

    public ExchangeRateException(String message, int status) {
        super(message);
        this.status = status;
    }

    public ExchangeRateException(String message, Throwable cause) {
        super(message, cause);
        this.status = -1;
    }

    /** The HTTP status the API answered with, or -1 when there was no usable answer. */
    public int status() {
        return status;
    }
}
