package dev.recall.agent.codec;

/**
 * A value that {@link ValueCodec} cannot write, or bytes it cannot read back. Either way the caller
 * treats it as "not cached": it skips storing the value, or treats the stored bytes as a miss. The
 * message names the class (and field) at fault. Immutable, like any exception once thrown.
 */
public class CodecException extends Exception {

    private static final long serialVersionUID = 1L;

    CodecException(String message) {
        super(message);
    }

    CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
