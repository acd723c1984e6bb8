package dev.recall.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.bridge.Bridge;
import dev.recall.bridge.Call;
import dev.recall.bridge.Site;
import dev.recall.bridge.Thrown;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.MethodNode;

/**
 * Weaves {@link WeaveTarget} with a scripted site, defines it in a class loader of its own (so the JVM's
 * verifier checks every woven frame) and calls it: hits skip the body, misses report what the body
 * returned or threw, and failures of the site itself leave the method running as written.
 */
class AdviceWeaverTest {

    /** A site that answers from a map and records what it is told. */
    static final class ScriptedSite extends Site {
        final Map<Object, Object> cached = new HashMap<>();
        final List<Object> exits = new ArrayList<>();
        Object onEnter;
        boolean fail;
        /** The receiver of each lookup and enter, in order ({@code "static"} for none). */
        final List<Object> receivers = new ArrayList<>();

        @Override
        public Object lookup(Object self, Object a0, Object a1, Object[] args) {
            receivers.add(self == null ? "static" : self);
            if (fail) {
                throw new IllegalStateException("agent failure");
            }
            return cached.get(key(a0, a1, args));
        }

        @Override
        public Object enter(Object self, Object a0, Object a1, Object[] args) {
            receivers.add(self == null ? "static" : self);
            if (fail) {
                throw new IllegalStateException("agent failure");
            }
            return onEnter != null ? onEnter : new Call() {
                @Override
                public String toString() {
                    return "call" + key(a0, a1, args);
                }
            };
        }

        @Override
        public Object defer(Class<?> type, Object self, Object[] args) {
            exits.add("defer " + type.getSimpleName() + " " + (self != null) + " " + Arrays.toString(args));
            return onEnter;
        }

        @Override
        public void exit(Call call, Object returned, Throwable thrown) {
            exits.add(call + " -> " + (thrown != null ? "threw " + thrown.getClass().getSimpleName() : returned));
        }

        static Object key(Object a0, Object a1, Object[] args) {
            return args != null ? Arrays.asList(args) : a1 != null ? a0 + "," + a1 : a0;
        }
    }

    private final Map<String, ScriptedSite> sites = new HashMap<>();
    private Class<?> woven;
    private Object target;

    @BeforeEach
    void weave() throws Exception {
        ClassReader reader = reader();
        Map<String, ClassWeaver.Target> targets = new HashMap<>();
        for (MethodNode m : AnalysisParse.outline(reader).methods) {
            if (m.name.startsWith("<")) {
                continue;
            }
            ScriptedSite site = new ScriptedSite();
            sites.put(m.name, site);
            // Two readers woven to rethrow cached exceptions: everything else they do must be as READ's.
            AdviceWeaver.Kind kind = m.name.equals("write") ? AdviceWeaver.Kind.WRITE
                    : m.name.equals("wide") || m.name.equals("branches") ? AdviceWeaver.Kind.READ_RETHROWING : AdviceWeaver.Kind.READ;
            targets.put(m.name + m.desc, new ClassWeaver.Target(Bridge.register(site), kind, m.maxLocals));
        }
        woven = new OwnLoader().define(WeaveTarget.class.getName(), ClassWeaver.weave(reader, targets, NO_FAILURE));
        target = woven.getConstructor().newInstance();
        woven.getField("bodyRuns").setInt(null, 0);
    }

    @Test
    void aHitSkipsTheBodyAndReturnsTheCachedValue() throws Exception {
        sites.get("one").cached.put(7L, "cached seven");
        assertEquals("cached seven", call("one", 7L));
        assertEquals(0, bodyRuns());
        assertEquals(List.of(), sites.get("one").exits);
    }

    @Test
    void theSiteIsGivenTheReceiverOfAnInstanceMethodAndNullForAStaticOne() throws Exception {
        call("one", 8L);
        assertEquals(2, sites.get("one").receivers.size(), "lookup, then enter");
        for (Object self : sites.get("one").receivers) {
            assertEquals(woven, self.getClass(), "the instance the method was called on");
        }
        call("two", "a", 1);
        assertEquals(List.of("static", "static"), sites.get("two").receivers);
    }

    @Test
    void aMissRunsTheBodyAndReportsWhatItReturned() throws Exception {
        assertEquals("v8", call("one", 8L));
        assertEquals(1, bodyRuns());
        assertEquals(List.of("call8 -> v8"), sites.get("one").exits);
    }

    @Test
    void primitiveResultsAreUnboxedOnAHitAndBoxedOnAMiss() throws Exception {
        sites.get("two").cached.put("ab,3", 40);
        assertEquals(40, call("two", "ab", 3));
        assertEquals(6, call("two", "abc", 3));
        assertEquals(List.of("callabc,3 -> 6"), sites.get("two").exits);

        sites.get("none").cached.put(null, Boolean.FALSE);
        assertEquals(false, call("none"));
        assertEquals(1, bodyRuns());
    }

    @Test
    void wideParametersAndLoopsKeepTheirFrames() throws Exception {
        assertEquals(3 * (2 + 0.5), (double) call("wide", 2L, 0.5, 3));
        assertEquals(List.of("call[2, 0.5, 3] -> 7.5"), sites.get("wide").exits);
        sites.get("wide").cached.put(List.of(1L, 1.0, 1), 99.0);
        assertEquals(99.0, (double) call("wide", 1L, 1.0, 1));
        assertEquals(1, bodyRuns());
    }

    @Test
    void everyReturnOfAMethodWithHandlersIsReported() throws Exception {
        assertEquals(3L, call("branches", 3));
        assertEquals(-5L, call("branches", 9));
        assertEquals(List.of("call3 -> 3", "call9 -> -5"), sites.get("branches").exits);
    }

    @Test
    void aThrownExceptionIsReportedAndStillReachesTheCaller() throws Exception {
        InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> call("branches", -1));
        assertTrue(e.getCause() instanceof IllegalArgumentException);
        assertEquals(List.of("call-1 -> threw IllegalArgumentException"), sites.get("branches").exits);
    }

    @Test
    void aThrownFromEnterIsThrownToTheCallerWithoutRunningTheBody() throws Exception {
        IllegalStateException cached = new IllegalStateException("cached failure");
        sites.get("branches").onEnter = new Thrown(cached);
        InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> call("branches", 3));
        assertSame(cached, e.getCause(), "the exception the site handed over, not the agent's handler running the body");
        assertEquals(0, bodyRuns());
        assertEquals(List.of(), sites.get("branches").exits, "no body ran, so no exit");

        sites.get("wide").onEnter = new Thrown(new java.io.IOException("checked, and not declared"));
        e = assertThrows(InvocationTargetException.class, () -> call("wide", 1L, 1.0, 1));
        assertTrue(e.getCause() instanceof java.io.IOException, String.valueOf(e.getCause()));
        assertEquals(0, bodyRuns());

        sites.get("branches").onEnter = null;
        assertEquals(3L, call("branches", 3), "without a Thrown the method runs as before");
    }

    @Test
    void aThrownIsAResultLikeAnyOtherToAReaderNotWovenToRethrow() throws Exception {
        sites.get("one").onEnter = new Thrown(new IllegalStateException());
        assertEquals("v5", call("one", 5L), "not a String: the cast fails in the entry code, and the body runs");
        assertEquals(1, bodyRuns());
    }

    @Test
    void aWriteAlwaysRunsItsBody() throws Exception {
        sites.get("write").onEnter = "not a call";
        call("write", "k", "v");
        sites.get("write").onEnter = null;
        call("write", "k", "v");
        assertThrows(InvocationTargetException.class, () -> call("write", "k", null));
        assertEquals(3, bodyRuns());
        assertEquals(2, sites.get("write").exits.size());
        assertEquals("callk,v -> null", sites.get("write").exits.get(0));
        assertEquals("callk -> threw IllegalStateException", sites.get("write").exits.get(1));
    }

    @Test
    void aFailingSiteLeavesTheMethodRunningAsWritten() throws Exception {
        sites.get("one").fail = true;
        assertEquals("v5", call("one", 5L));
        assertEquals(1, bodyRuns());
        assertEquals(List.of(), sites.get("one").exits);
    }

    @Test
    void aCachedValueOfTheWrongTypeRunsTheBodyInstead() throws Exception {
        sites.get("array").cached.put(2, "not an int[]");
        assertArrayEquals(new int[2], (int[]) call("array", 2));
        assertEquals(1, bodyRuns());
    }

    @Test
    void aCachedNullIsReturnedAsNull() throws Exception {
        sites.get("one").cached.put(4L, Bridge.NULL);
        assertNull(call("one", 4L));
        assertEquals(0, bodyRuns());
    }

    @Test
    void writeBackSkipsTheBodyWhenTheSiteAcceptsTheWrite() throws Exception {
        ClassReader reader = reader();
        ScriptedSite site = new ScriptedSite();
        Map<String, ClassWeaver.Target> targets = new HashMap<>();
        for (MethodNode m : AnalysisParse.outline(reader).methods) {
            if (m.name.equals("write")) {
                targets.put(m.name + m.desc, new ClassWeaver.Target(Bridge.register(site), AdviceWeaver.Kind.WRITE_BACK, m.maxLocals));
            }
        }
        Class<?> c = new OwnLoader().define(WeaveTarget.class.getName(), ClassWeaver.weave(reader, targets, NO_FAILURE));
        Object instance = c.getConstructor().newInstance();
        Method write = c.getMethod("write", String.class, Object.class);

        site.onEnter = "accepted";
        write.invoke(instance, "k", null); // the body would throw: it must not run
        assertEquals(0, c.getField("bodyRuns").getInt(null));

        site.onEnter = null;
        write.invoke(instance, "k", "v");
        assertEquals(1, c.getField("bodyRuns").getInt(null));
        assertEquals(List.of("defer WeaveTarget true [k, null]", "defer WeaveTarget true [k, v]"), site.exits);
    }

    /**
     * What the site returns is told from a {@link Call} by {@code Call.class.isInstance}, never by an {@code instanceof}
     * on it: C2 speculates on an instanceof's type profile, and a burst of first calls (the loaders' Calls profiled,
     * the waiters' values still parked) made every waiter's frame deoptimize on its way out, thousands of them.
     */
    @Test
    void theSitesAnswerIsToldFromACallWithoutAProfiledInstanceof() throws Exception {
        ClassReader reader = reader();
        Map<String, ClassWeaver.Target> targets = new HashMap<>();
        for (MethodNode m : AnalysisParse.outline(reader).methods) {
            if (m.name.equals("one")) {
                targets.put(m.name + m.desc, new ClassWeaver.Target(Bridge.register(new ScriptedSite()),
                        AdviceWeaver.Kind.READ, m.maxLocals));
            }
        }
        org.objectweb.asm.tree.ClassNode woven = new org.objectweb.asm.tree.ClassNode();
        new ClassReader(ClassWeaver.weave(reader, targets, NO_FAILURE)).accept(woven, 0);
        MethodNode one = woven.methods.stream().filter(m -> m.name.equals("one")).findFirst().orElseThrow();
        boolean isInstance = false;
        for (org.objectweb.asm.tree.AbstractInsnNode insn : one.instructions) {
            if (insn instanceof org.objectweb.asm.tree.TypeInsnNode t && t.getOpcode() == org.objectweb.asm.Opcodes.INSTANCEOF) {
                assertTrue(!t.desc.equals("dev/recall/bridge/Call"), "an instanceof Call in the woven entry");
            }
            if (insn instanceof org.objectweb.asm.tree.MethodInsnNode m && m.owner.equals("java/lang/Class")
                    && m.name.equals("isInstance")) {
                isInstance = true;
            }
        }
        assertTrue(isInstance, "Class.isInstance tells a Call");
    }

    /** Weaving this test's class fails nowhere: a refusal is a defect of the weaver. */
    private static final ClassWeaver.Plan NO_FAILURE = new ClassWeaver.Plan() {
        @Override
        public boolean skip(int id) {
            return false;
        }

        @Override
        public void refuse(int id, String why) {
            throw new AssertionError("method " + id + " refused: " + why);
        }
    };

    private static ClassReader reader() throws Exception {
        try (InputStream in = WeaveTarget.class.getResourceAsStream("WeaveTarget.class")) {
            return new ClassReader(in.readAllBytes());
        }
    }

    private Object call(String name, Object... args) throws Exception {
        for (Method m : woven.getMethods()) {
            if (m.getName().equals(name)) {
                return m.invoke(target, args);
            }
        }
        throw new AssertionError("no method " + name);
    }

    private int bodyRuns() throws Exception {
        return woven.getField("bodyRuns").getInt(null);
    }

    /** Defines the woven copy itself rather than asking its parent, which has the original. */
    private static final class OwnLoader extends ClassLoader {
        OwnLoader() {
            super(AdviceWeaverTest.class.getClassLoader());
        }

        Class<?> define(String name, byte[] bytes) {
            return defineClass(name, bytes, 0, bytes.length);
        }
    }
}
