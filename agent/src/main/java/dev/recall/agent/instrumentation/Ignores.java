package dev.recall.agent.instrumentation;

import java.util.List;
import java.util.Set;

/**
 * Types never instrumented, decided by name alone before anything is parsed: the JDK, the agent itself
 * (its bridge and relocated libraries), and bytecode tools that other agents rely on; and the classes
 * frameworks generate around application classes (client proxies, interception subclasses, lazy-loading
 * proxies), by name and by what their class file header says. Such a class overrides the application's
 * method and calls it (or a delegate's) in turn: weaving it too would cache each call twice and split its
 * statistics, so the call is cached once, at the real method. Stateless.
 *
 * <p>JDK dynamic proxies are the exception: a Spring Data repository's derived query has no body anywhere
 * else, so a rule on the interface reaches the proxy.
 */
final class Ignores {

    /** What generated classes' names contain, besides {@code $$} (CGLIB, Javassist's {@code _$$_jvst}, Weld, Guice). */
    private static final String[] GENERATED_INFIXES = {"$HibernateProxy$", "$HibernateBasicProxy$", "$HibernateInstantiator$",
        "$HibernateAccessOptimizer$", "$ByteBuddy$", "$MockitoMock$"};
    /** What generated classes' names end with: Quarkus ArC's client proxies and interception subclasses, Micronaut's. */
    private static final String[] GENERATED_SUFFIXES = {"_ClientProxy", "_Subclass", "$Intercepted"};
    /**
     * Interfaces only generated classes implement, as internal names: ArC's markers, CGLIB's and Spring AOP's,
     * Hibernate's proxies, Javassist's, Mockito's, Micronaut's.
     */
    private static final Set<String> GENERATED_MARKERS = Set.of("io/quarkus/arc/ClientProxy", "io/quarkus/arc/Subclass",
            "org/springframework/cglib/proxy/Factory", "net/sf/cglib/proxy/Factory", "org/springframework/aop/SpringProxy",
            "org/hibernate/proxy/HibernateProxy", "org/hibernate/proxy/ProxyConfiguration", "javassist/util/proxy/ProxyObject",
            "javassist/util/proxy/Proxy", "org/mockito/internal/creation/bytebuddy/MockAccess", "io/micronaut/aop/Intercepted",
            "org/jboss/weld/bean/proxy/ProxyObject");
    private static final int SYNTHETIC = 0x1000;

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
        if (name.contains("$$")) {
            return true;
        }
        for (String infix : GENERATED_INFIXES) {
            if (name.contains(infix)) {
                return true;
            }
        }
        for (String suffix : GENERATED_SUFFIXES) {
            if (name.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a class is generated, by its header: marked synthetic, or implementing a generator's marker
     * interface directly. A JDK proxy (which implements Spring's marker too, for a repository) is not.
     *
     * @param access the class's access flags
     * @param interfaces its direct interfaces, as internal names
     */
    static boolean generated(String binaryName, int access, List<String> interfaces) {
        if (isJdkProxy(binaryName)) {
            return false;
        }
        if ((access & SYNTHETIC) != 0) {
            return true;
        }
        for (String i : interfaces) {
            if (GENERATED_MARKERS.contains(i)) {
                return true;
            }
        }
        return false;
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
