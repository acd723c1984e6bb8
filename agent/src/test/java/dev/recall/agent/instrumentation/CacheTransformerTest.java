package dev.recall.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.agent.config.ConfigError;
import dev.recall.agent.config.RecallConfig;
import dev.recall.agent.config.WriteBackSettings;
import dev.recall.agent.method.CachedMethod;
import dev.recall.agent.method.MethodRegistry;
import dev.recall.agent.store.Regions;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** The transformer's failures are per method: one method that cannot be woven costs only itself. */
class CacheTransformerTest {

    private final List<ConfigError> errors = new ArrayList<>();
    private final MethodRegistry registry = new MethodRegistry(new Regions(null), WriteBackSettings.DEFAULT);
    private final CacheTransformer transformer = new CacheTransformer(
            new MethodAnalyzer(RecallConfig.none(), errors::add, new Hierarchy(new ClassFiles())), registry, null, null, null, new LongAdder());

    /**
     * {@code com.acme.Big}: {@code small(long)} and {@code big(long)}, both {@code @Cached} and returning a
     * constant; {@code big}'s code is just under the JVM's 64 KB, so with the woven calls it is over.
     */
    private static byte[] bigAndSmall() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS | ClassWriter.COMPUTE_FRAMES);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "com/acme/Big", null, "java/lang/Object", null);
        for (String name : new String[] {"small", "big"}) {
            MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, name, "(J)Ljava/lang/String;", null, null);
            mv.visitAnnotation("Ldev/recall/Cached;", true).visitEnd();
            mv.visitCode();
            if (name.equals("big")) {
                for (int i = 0; i < 32_760; i++) { // 65,520 bytes of iconst_0; pop
                    mv.visitInsn(Opcodes.ICONST_0);
                    mv.visitInsn(Opcodes.POP);
                }
            }
            mv.visitLdcInsn(name);
            mv.visitInsn(Opcodes.ARETURN);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
        }
        cw.visitEnd();
        return cw.toByteArray();
    }

    private CachedMethod method(String name) {
        for (dev.recall.agent.method.LazyMethod m : registry.matched()) {
            if (m.spec().signature().methodName().equals(name)) {
                return registry.method(m.id());
            }
        }
        throw new AssertionError("no method " + name + " registered: " + registry.all());
    }

    @Test
    void aMethodTooLargeToWeaveIsRefusedAloneAndTheOthersOfItsClassAreCached() throws Exception {
        OwnLoader loader = new OwnLoader();
        byte[] woven = transformer.weave(loader, bigAndSmall());
        assertNotNull(woven, "the class is woven for its other method");
        assertEquals(List.of(), errors);

        CachedMethod big = method("big");
        CachedMethod small = method("small");
        assertNotNull(big.refusedReason());
        assertTrue(big.refusedReason().contains("64 KB"), big.refusedReason());
        assertNull(small.refusedReason());

        Class<?> c = loader.define("com.acme.Big", woven);
        Method s = c.getMethod("small", long.class);
        Method b = c.getMethod("big", long.class);
        for (int i = 0; i < 3; i++) {
            assertEquals("small", s.invoke(null, 1L));
            assertEquals("big", b.invoke(null, 1L));
        }
        assertEquals(2, small.stats().hits(), "small is cached");
        assertEquals(0, big.stats().hits() + big.stats().misses(), "big runs as written, untouched");
        big.setEnabled(true);
        assertEquals(false, big.enabled(), "a refused method cannot be switched back on");
    }

    /** Defines the woven class itself. */
    private static final class OwnLoader extends ClassLoader {
        OwnLoader() {
            super(CacheTransformerTest.class.getClassLoader());
        }

        Class<?> define(String name, byte[] bytes) {
            return defineClass(name, bytes, 0, bytes.length);
        }
    }
}
