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
        if (isJdkProxy(name)) {
            return false; // a JDK dynamic proxy of an application interface: rules on the interface reach it
        }
        for (String p : PREFIXES) {
            if (name.startsWith(p)) {
                return true;
            }
        }
        // Lambdas and generated subclasses (CGLIB, Hibernate) carry no annotations of ours; their
        // originals are instrumented instead.
        return name.contains("$$");
    }

    /**
     * {@code jdk.proxy2.$Proxy155} (or {@code com.acme.$Proxy7} for a package-private interface): the class
     * {@code java.lang.reflect.Proxy} generates. Its methods have bodies (a call of the invocation handler),
     * so a rule on an interface it implements can cache them: a Spring Data repository's derived query has
     * no other body anywhere.
     */
    static boolean isJdkProxy(String name) {
        int simple = name.lastIndexOf('.') + 1;
        return name.startsWith("$Proxy", simple) && (name.startsWith("jdk.proxy") || simple > 0 && !name.startsWith("java."));
    }
}
