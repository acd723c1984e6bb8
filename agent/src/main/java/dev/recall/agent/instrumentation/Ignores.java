package dev.recall.agent.instrumentation;

/**
 * Types never instrumented, decided by name alone before anything is parsed: the JDK, the agent itself
 * (its bridge and relocated libraries), and bytecode tools that other agents rely on.
 */
final class Ignores {

    private static final String[] PREFIXES = {
        "java.", "javax.", "jdk.", "sun.", "com.sun.", "org.ietf.", "org.w3c.", "org.xml.",
        "dev.recall.agent.", "dev.recall.bridge.", "dev.recall.shaded.",
        "net.bytebuddy.", "org.objectweb.asm.", "kotlin.", "scala.", "groovy.",
    };

    boolean ignoresName(String name) {
        for (String p : PREFIXES) {
            if (name.startsWith(p)) {
                return true;
            }
        }
        // Lambdas and generated subclasses (CGLIB, Hibernate) carry no annotations of ours; their
        // originals are instrumented instead.
        return name.contains("$$");
    }
}
