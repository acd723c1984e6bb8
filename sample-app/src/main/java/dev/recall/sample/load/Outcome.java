package dev.recall.sample.load;

/**
 * What became of one request.
 *
 * @param endpoint       what the request was for
 * @param status         the HTTP status, or 0 when there was no response
 * @param failure        why there was no response, or {@link Failure#NONE}
 * @param serverMicros   the service's own processing time from {@code Server-Timing: app;dur=}, or -1 if absent
 * @param bytesOut       request bytes put on the wire (see {@link PlannedRequest#wireBytes()})
 * @param bytesIn        response bytes received: status line, headers and body (see {@link Sender})
 * @param completedNanos {@link System#nanoTime()} when the response (or the failure) arrived
 */
public record Outcome(Endpoint endpoint, int status, Failure failure, long serverMicros, long bytesOut, long bytesIn,
                      long completedNanos) {

    /** Why a request got no response. */
    public enum Failure {
        NONE,
        /** No response within the spec's timeout (connecting included). */
        TIMEOUT,
        /** Connection refused or reset, or any other transport failure. */
        IO
    }

    /** 5xx, timeouts and transport failures: the service failed the user. 4xx are the request's fault. */
    public boolean isError() {
        return failure != Failure.NONE || status >= 500;
    }

    public boolean isClientError() {
        return failure == Failure.NONE && status >= 400 && status < 500;
    }
}
