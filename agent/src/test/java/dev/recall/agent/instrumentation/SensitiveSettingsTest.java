package dev.recall.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.agent.config.ConfigError;
import dev.recall.agent.config.ConfigLoader;
import dev.recall.agent.config.RecallConfig;
import dev.recall.agent.config.WriteBackSettings;
import dev.recall.agent.method.CachedMethod;
import dev.recall.agent.method.MethodRegistry;
import dev.recall.agent.store.Regions;
import dev.recall.agent.store.RemoteStore;
import dev.recall.agent.store.RemoteStores;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * {@code sensitive: true} (a rule) and {@code @Cached(sensitive = true)}: a method whose values must stay in the JVM
 * is cached in the local store, and refused, with a message naming it and the fix, when its store is shared.
 */
class SensitiveSettingsTest {

    private static final String REDIS = "redis: {uri: redis://127.0.0.1:6379, secret: 0123456789abcdef0123}\n";
    private final List<ConfigError> errors = new ArrayList<>();
    private final MethodRegistry registry = new MethodRegistry(new Regions(null), WriteBackSettings.DEFAULT);

    /** {@code com.acme.Customers#find(long)}, static, with {@code @Cached} when {@code sensitive} is not null. */
    private static byte[] customers(Boolean sensitive) {
        return customers("com/acme/Customers", "find", sensitive, null);
    }

    /** A class with one static cached method {@code name(long)}, in region {@code cache} if given. */
    private static byte[] customers(String internalName, String name, Boolean sensitive, String cache) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS | ClassWriter.COMPUTE_FRAMES);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, internalName, null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, name, "(J)Ljava/lang/String;", null, null);
        if (sensitive != null || cache != null) {
            AnnotationVisitor av = mv.visitAnnotation("Ldev/recall/Cached;", true);
            if (sensitive != null) {
                av.visit("sensitive", sensitive);
            }
            if (cache != null) {
                av.visit("cache", cache);
            }
            av.visitEnd();
        }
        mv.visitCode();
        mv.visitLdcInsn("Ada");
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    private CachedMethod weave(String yaml, Boolean sensitive) {
        RecallConfig config = yaml == null ? RecallConfig.none() : ConfigLoader.parse("test.yml", yaml);
        assertTrue(config.usable(), () -> config.errors().toString());
        CacheTransformer transformer = new CacheTransformer(new MethodAnalyzer(config, errors::add,
                new Hierarchy(new ClassFiles())), registry, null, null, null, new LongAdder());
        transformer.weave(getClass().getClassLoader(), customers(sensitive));
        return registry.matched().stream().filter(m -> m.spec().signature().methodName().equals("find")).findFirst()
                .map(m -> registry.method(m.id())).orElse(null);
    }

    private ConfigError onlyError() {
        assertEquals(1, errors.size(), errors::toString);
        return errors.get(0);
    }

    @Test
    void aSensitiveMethodOnTheLocalStoreIsCached() {
        assertNotNull(weave(null, true), "local is the default store");
        assertEquals(List.of(), errors);
    }

    @Test
    void theFilesSharedStoreIsRefusedForASensitiveAnnotation() {
        assertNull(weave("store: redis\n" + REDIS, true), "refused: the method runs uncached");
        ConfigError e = onlyError();
        assertTrue(e.where().contains("com.acme.Customers.find(long)") || e.message().contains("com.acme.Customers"), e::toString);
        assertTrue(e.message().contains("sensitive: true"), e::toString);
        assertTrue(e.message().contains("store: local"), "the fix: " + e);
        assertTrue(e.message().contains("the method runs uncached"), e::toString);
    }

    @Test
    void aRulesSensitiveRefusesItsOwnSharedStoreAndRuleStoreLocalFixesIt() {
        assertNull(weave(REDIS + """
                methods:
                  - method: com.acme.Customers#find(long)
                    store: two-level
                    sensitive: true
                """, null));
        assertTrue(onlyError().message().contains("its store is two-level"), errors::toString);
        errors.clear();
        assertNotNull(weave("store: redis\n" + REDIS + """
                methods:
                  - method: com.acme.Customers#find(long)
                    store: local
                """, true), "store: local in a rule is the fix");
        assertEquals(List.of(), errors);
    }

    @Test
    void aRuleSaysMoreThanTheAnnotation() {
        assertNotNull(weave("store: redis\n" + REDIS + """
                methods:
                  - method: com.acme.Customers#find(long)
                    sensitive: false
                """, true), "sensitive: false in the file overrides the annotation");
        assertEquals(List.of(), errors);
        assertFalse(registry.all().get(0).spec().entries().sensitive());
    }

    @Test
    void aSensitiveMethodIsNotCachedInARegionAnotherMethodMadeShared() {
        // A stand-in for Redis: the region's store is remote, which is all the registry looks at.
        RemoteStores redis = (region, kind) -> (RemoteStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {RemoteStore.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "kind" -> kind;
                    case "remote" -> true;
                    case "size", "evictions" -> 0L;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "fake redis";
                    default -> method.getReturnType() == boolean.class ? false : method.getReturnType() == int.class ? 0 : null;
                });
        MethodRegistry shared = new MethodRegistry(new Regions(redis), WriteBackSettings.DEFAULT);
        RecallConfig config = ConfigLoader.parse("test.yml", REDIS + """
                methods:
                  - method: com.acme.Ledger#entry(long)
                    store: redis
                  - method: com.acme.Vault#card(long)
                    store: local
                """);
        assertTrue(config.usable(), () -> config.errors().toString());
        CacheTransformer transformer = new CacheTransformer(new MethodAnalyzer(config, errors::add,
                new Hierarchy(new ClassFiles())), shared, null, null, null, new LongAdder());
        transformer.weave(getClass().getClassLoader(), customers("com/acme/Ledger", "entry", null, "people"));
        transformer.weave(getClass().getClassLoader(), customers("com/acme/Vault", "card", true, "people"));
        assertEquals(List.of(), errors, "no configuration error: each rule alone is right");
        shared.matched().forEach(m -> shared.method(m.id())); // their first calls, in the order they were loaded
        assertEquals(List.of("entry"), shared.all().stream().map(m -> m.spec().signature().methodName()).toList(),
                "the sensitive method is not cached: its region's store is shared");
    }

    @Test
    void sensitiveMustBeTrueOrFalse() {
        RecallConfig c = ConfigLoader.parse("test.yml", "methods:\n  - method: com.acme.Customers#find(long)\n    sensitive: yes please\n");
        assertFalse(c.usable());
        assertTrue(c.errors().get(0).message().contains("expected true or false"), c.errors()::toString);
    }
}
