package dev.recall.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.bridge.Bridge;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The one pass from class file to woven class file: what is not chosen is copied as it was, and a method
 * whose weaving fails is left as it is while the others of its class are woven.
 */
class ClassWeaverTest {

    /** Records refusals; a refused method is skipped from then on, as the transformer's plan does. */
    static final class RecordingPlan implements ClassWeaver.Plan {
        final Set<Integer> refused = new HashSet<>();
        final List<String> reasons = new ArrayList<>();

        @Override
        public boolean skip(int id) {
            return refused.contains(id);
        }

        @Override
        public void refuse(int id, String why) {
            refused.add(id);
            reasons.add(why);
        }
    }

    @Test
    void theMethodsNotChosenAreCopiedInstructionForInstruction() throws Exception {
        ClassReader reader = reader();
        AdviceWeaverTest.ScriptedSite site = new AdviceWeaverTest.ScriptedSite();
        MethodNode one = method(AnalysisParse.outline(reader), "one");
        byte[] woven = ClassWeaver.weave(reader, Map.of(one.name + one.desc,
                new ClassWeaver.Target(Bridge.register(site), AdviceWeaver.Kind.READ, one.maxLocals)), new RecordingPlan());

        ClassNode before = AnalysisParse.whole(reader);
        ClassNode after = AnalysisParse.whole(new ClassReader(woven));
        assertEquals(before.methods.size(), after.methods.size());
        for (MethodNode m : before.methods) {
            MethodNode w = method(after, m.name);
            if (m.name.equals("one")) {
                assertTrue(opcodes(w).size() > opcodes(m).size(), "one is woven");
            } else {
                assertEquals(opcodes(m), opcodes(w), m.name + " is as it was");
                assertEquals(m.maxLocals, w.maxLocals, m.name);
            }
        }
    }

    @Test
    void aMethodWhoseWeavingFailsIsLeftAsItIsAndTheOthersAreWoven() throws Exception {
        ClassReader reader = reader();
        ClassNode outline = AnalysisParse.outline(reader);
        AdviceWeaverTest.ScriptedSite cached = new AdviceWeaverTest.ScriptedSite();
        AdviceWeaverTest.ScriptedSite broken = new AdviceWeaverTest.ScriptedSite();
        MethodNode one = method(outline, "one");
        MethodNode branches = method(outline, "branches");
        int brokenId = Bridge.register(broken);
        Map<String, ClassWeaver.Target> targets = new HashMap<>();
        targets.put(one.name + one.desc, new ClassWeaver.Target(Bridge.register(cached), AdviceWeaver.Kind.READ, one.maxLocals));
        // A max_locals below what the method's frames hold: the weaver cannot place its local, and must say so.
        targets.put(branches.name + branches.desc, new ClassWeaver.Target(brokenId, AdviceWeaver.Kind.READ, 0));
        RecordingPlan plan = new RecordingPlan();

        byte[] woven = ClassWeaver.weave(reader, targets, plan);
        assertNotNull(woven);
        assertEquals(Set.of(brokenId), plan.refused);
        assertTrue(plan.reasons.get(0).contains("could not be woven"), plan.reasons.get(0));

        Class<?> c = new OwnLoader().define(WeaveTarget.class.getName(), woven);
        Object target = c.getConstructor().newInstance();
        c.getField("bodyRuns").setInt(null, 0);
        cached.cached.put(3L, "hit");
        assertEquals("hit", c.getMethod("one", long.class).invoke(target, 3L));
        Method b = c.getMethod("branches", int.class);
        assertEquals(3L, b.invoke(target, 3));
        assertEquals(3L, b.invoke(target, 3));
        assertEquals(2, c.getField("bodyRuns").getInt(null), "branches ran as written, twice; one was a hit");
        assertEquals(List.of(), broken.receivers, "the refused method never calls its site");
    }

    @Test
    void nothingChosenIsNothingWoven() throws Exception {
        assertNull(ClassWeaver.weave(reader(), Map.of(), new RecordingPlan()));
    }

    private static List<Integer> opcodes(MethodNode m) {
        List<Integer> ops = new ArrayList<>();
        for (AbstractInsnNode insn : m.instructions) {
            if (insn.getOpcode() >= 0) {
                ops.add(insn.getOpcode());
            }
        }
        return ops;
    }

    private static MethodNode method(ClassNode type, String name) {
        for (MethodNode m : type.methods) {
            if (m.name.equals(name)) {
                return m;
            }
        }
        throw new AssertionError("no method " + name);
    }

    private static ClassReader reader() throws Exception {
        try (InputStream in = WeaveTarget.class.getResourceAsStream("WeaveTarget.class")) {
            return new ClassReader(in.readAllBytes());
        }
    }

    private static final class OwnLoader extends ClassLoader {
        OwnLoader() {
            super(ClassWeaverTest.class.getClassLoader());
        }

        Class<?> define(String name, byte[] bytes) {
            return defineClass(name, bytes, 0, bytes.length);
        }
    }
}
