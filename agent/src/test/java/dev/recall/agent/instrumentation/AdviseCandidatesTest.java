package dev.recall.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.agent.config.MethodPattern;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/** Which methods of an advised class get an observer, read from its class file. */
class AdviseCandidatesTest {

    /** One method of each kind the advisor skips or keeps. */
    public static class Service {
        private String name;
        private final int[] table = new int[16];

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public int doubled(int x) {
            return x * 2 + table.length;
        }

        public String lookup(String key) {
            return key.toUpperCase();
        }

        public int sum() {
            int s = 0;
            for (int v : table) {
                s += v;
            }
            return s;
        }

        public void record(String event) {
            name = event.trim();
        }

        public java.util.stream.Stream<String> stream() {
            return java.util.stream.Stream.of(name);
        }

        public java.util.concurrent.CompletableFuture<String> later() {
            return java.util.concurrent.CompletableFuture.completedFuture(name);
        }

        @Override
        public String toString() {
            return "Service " + name;
        }
    }

    private static ClassNode parse(Class<?> type) throws Exception {
        try (InputStream in = type.getClassLoader().getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
            ClassNode node = new ClassNode();
            new ClassReader(in.readAllBytes()).accept(node, ClassReader.EXPAND_FRAMES);
            return node;
        }
    }

    private static Set<String> names(List<AdviseCandidates.Candidate> methods) {
        Set<String> out = new TreeSet<>();
        methods.forEach(m -> out.add(m.method().name));
        return out;
    }

    private static AdviseCandidates advising(String pattern) {
        return new AdviseCandidates(List.of(MethodPattern.parseClasses(pattern)), new Hierarchy(new ClassFiles()));
    }

    private static final ClassLoader LOADER = AdviseCandidatesTest.class.getClassLoader();

    /** A repository as Spring Data declares one: an interface whose finders have no body anywhere. */
    public interface Finder<T, K> {
        java.util.Optional<T> findById(K id);
    }

    public interface CustomerFinder extends Finder<String, Long> {
        java.util.List<String> findByLastName(String name);

        void deleteByLastName(String name);
    }

    /** An interface of the framework's that the proxy implements as well. */
    public interface Decorating {
        Class<?> getDecoratedClass();
    }

    @Test
    void observesMethodsThatWorkAndReturnAValueAndSkipTheRest() throws Exception {
        AdviseCandidates candidates = advising("dev.recall.agent.instrumentation.**");
        assertTrue(candidates.advises(Service.class.getName()));
        assertFalse(candidates.advises("com.other.Service"));
        // getName, setName (void), doubled (arithmetic on fields), record (void), stream (one-shot), later (a future),
        // toString, the constructor: skipped. lookup calls a method; sum loops.
        assertEquals(Set.of("lookup", "sum"), names(candidates.candidates(LOADER, parse(Service.class))));
    }

    @Test
    void aMethodPatternNarrowsTheMethods() throws Exception {
        AdviseCandidates candidates = advising("dev.recall.agent.instrumentation.AdviseCandidatesTest$Service#look*(..)");
        assertEquals(Set.of("lookup"), names(candidates.candidates(LOADER, parse(Service.class))));
    }

    /**
     * A JDK proxy's class as {@code java.lang.reflect.Proxy} makes it (final methods calling the handler, in a
     * package of its own): advised by the interface it implements, each method observed as the interface's.
     */
    @Test
    void aJdkProxyOfAnAdvisedInterfaceIsObservedAsTheInterfacesMethods() throws Exception {
        ClassNode proxy = new ClassNode();
        proxy.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL, "jdk/proxy2/$Proxy42", null, "java/lang/reflect/Proxy",
                new String[] {Type.getInternalName(CustomerFinder.class), Type.getInternalName(Decorating.class)});
        for (String[] m : new String[][] {{"findById", "(Ljava/lang/Object;)Ljava/util/Optional;"},
            {"findByLastName", "(Ljava/lang/String;)Ljava/util/List;"}, {"deleteByLastName", "(Ljava/lang/String;)V"},
            {"getDecoratedClass", "()Ljava/lang/Class;"}, {"hashCode", "()I"}}) {
            MethodNode method = new MethodNode(Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL, m[0], m[1], null, null);
            proxy.methods.add(method);
        }
        AdviseCandidates candidates = advising("dev.recall.agent.instrumentation.AdviseCandidatesTest$Customer*");
        assertTrue(candidates.advises(LOADER, proxy));
        Set<String> observed = new TreeSet<>();
        candidates.candidates(LOADER, proxy).forEach(c -> observed.add(c.signature().toString()));
        String finder = CustomerFinder.class.getName();
        // findById is declared by the interface's parent, with a generic parameter: still the repository's method.
        assertEquals(new TreeSet<>(Set.of(finder + ".findById(java.lang.Object)", finder + ".findByLastName(java.lang.String)")),
                observed);

        assertFalse(advising("com.acme.**").advises(LOADER, proxy), "a proxy of interfaces not advised");
        assertTrue(advising("com.acme.**").candidates(LOADER, proxy).isEmpty());
        ClassNode plain = parse(Service.class);
        assertFalse(advising("com.acme.**").advises(LOADER, plain));
    }
}
