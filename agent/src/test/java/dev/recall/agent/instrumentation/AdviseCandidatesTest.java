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

    private static Set<String> names(List<MethodNode> methods) {
        Set<String> out = new TreeSet<>();
        methods.forEach(m -> out.add(m.name));
        return out;
    }

    @Test
    void observesMethodsThatWorkAndReturnAValueAndSkipTheRest() throws Exception {
        AdviseCandidates candidates = new AdviseCandidates(List.of(MethodPattern.parseClasses("dev.recall.agent.instrumentation.**")));
        assertTrue(candidates.advises(Service.class.getName()));
        assertFalse(candidates.advises("com.other.Service"));
        // getName, setName (void), doubled (arithmetic on fields), record (void), stream (one-shot), later (a future),
        // toString, the constructor: skipped. lookup calls a method; sum loops.
        assertEquals(Set.of("lookup", "sum"), names(candidates.candidates(parse(Service.class))));
    }

    @Test
    void aMethodPatternNarrowsTheMethods() throws Exception {
        AdviseCandidates candidates = new AdviseCandidates(List.of(MethodPattern.parseClasses(
                "dev.recall.agent.instrumentation.AdviseCandidatesTest$Service#look*(..)")));
        assertEquals(Set.of("lookup"), names(candidates.candidates(parse(Service.class))));
    }
}
