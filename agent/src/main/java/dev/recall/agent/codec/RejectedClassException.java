package dev.recall.agent.codec;

/**
 * A cached value names a class that {@code redis.allowClasses} does not list. Thrown by
 * {@link ValueCodec#decode} before the class is loaded, and by {@link ValueCodec#encode} so that such a
 * value is never stored only to be refused on every read. The message says which pattern to add.
 */
public final class RejectedClassException extends CodecException {

    private static final long serialVersionUID = 1L;

    private final String className;

    RejectedClassException(String className) {
        super("class " + className + " is not in redis.allowClasses, so cached values holding it are not read"
                + " (nor is the class loaded); to allow it, add for example: allowClasses: [" + suggestion(className) + "]");
        this.className = className;
    }

    /** The binary name of the refused class, as the payload (or the value) names it. */
    String className() {
        return className;
    }

    /**
     * The class's package with {@code .**}, which also covers its nested classes; the name itself if it
     * has no package, or if it is the JDK's: allowing a whole JDK package would let payloads name every
     * class in it.
     */
    static String suggestion(String className) {
        int dot = className.lastIndexOf('.');
        boolean jdk = className.startsWith("java.") || className.startsWith("javax.") || className.startsWith("jdk.")
                || className.startsWith("sun.") || className.startsWith("com.sun.");
        return dot > 0 && !jdk ? className.substring(0, dot) + ".**" : className;
    }
}
