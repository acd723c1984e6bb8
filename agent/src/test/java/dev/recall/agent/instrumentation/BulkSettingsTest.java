package dev.recall.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.agent.config.ConfigError;
import dev.recall.agent.config.ConfigLoader;
import dev.recall.agent.config.RecallConfig;
import dev.recall.agent.config.WriteBackSettings;
import dev.recall.agent.method.CachedMethod;
import dev.recall.agent.method.MethodRegistry;
import dev.recall.agent.method.MethodSettings;
import dev.recall.agent.store.Regions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * {@code bulk: true} and {@code @Cached(bulk = true)}: a method of the bulk shape (one Collection, List or Set
 * parameter; a Map or List result) is cached per element; any other shape, or a setting a bulk method does not
 * apply, is refused when its class loads, with a message naming the method and the fix.
 */
class BulkSettingsTest {

    private final List<ConfigError> errors = new ArrayList<>();
    private final MethodRegistry registry = new MethodRegistry(new Regions(null), WriteBackSettings.DEFAULT);

    /** {@code com.acme.Prices#all(descriptor)}, static, returning null, with {@code @Cached(bulk = annotated)} if not null. */
    private static byte[] prices(String descriptor, Boolean annotated) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS | ClassWriter.COMPUTE_FRAMES);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "com/acme/Prices", null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "all", descriptor, null, null);
        if (annotated != null) {
            AnnotationVisitor av = mv.visitAnnotation("Ldev/recall/Cached;", true);
            av.visit("bulk", annotated);
            av.visitEnd();
        }
        mv.visitCode();
        mv.visitInsn(Opcodes.ACONST_NULL);
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    private CachedMethod weave(String yaml, String descriptor, Boolean annotated) {
        RecallConfig config = yaml == null ? RecallConfig.none() : ConfigLoader.parse("test.yml", yaml);
        assertTrue(config.usable(), () -> config.errors().toString());
        CacheTransformer transformer = new CacheTransformer(new MethodAnalyzer(config, errors::add,
                new Hierarchy(new ClassFiles())), registry, null, null, null, new LongAdder());
        transformer.weave(getClass().getClassLoader(), prices(descriptor, annotated));
        return registry.matched().stream().filter(m -> m.spec().signature().methodName().equals("all")).findFirst()
                .map(m -> registry.method(m.id())).orElse(null);
    }

    private static String rule(String parameters, String more) {
        return "methods:\n  - method: com.acme.Prices#all(" + parameters + ")\n    bulk: true\n" + more;
    }

    private String onlyError() {
        assertEquals(1, errors.size(), errors::toString);
        String m = errors.get(0).toString();
        assertTrue(m.contains("com.acme.Prices.all"), m);
        assertTrue(m.contains("the method runs uncached"), m);
        return m;
    }

    @Test
    void theBulkShapesAreCachedPerElement() {
        CachedMethod map = weave(null, "(Ljava/util/Collection;)Ljava/util/Map;", true);
        assertNotNull(map, errors::toString);
        assertEquals(0, ((MethodSettings.Read) map.spec().settings()).bulkIndex());
        assertEquals(List.of(), errors);
        assertEquals(1, BulkShape.collectionParameter(List.of("java.lang.String", "java.util.List"), "java.util.List"));
        assertEquals(0, BulkShape.collectionParameter(List.of("java.util.Set", "int"), "java.util.Map"));
    }

    @Test
    void aRuleMakesAMethodBulk() {
        CachedMethod m = weave(rule("java.lang.String,java.util.List", ""), "(Ljava/lang/String;Ljava/util/List;)Ljava/util/List;", null);
        assertNotNull(m, errors::toString);
        assertEquals(1, ((MethodSettings.Read) m.spec().settings()).bulkIndex());
    }

    @Test
    void withoutBulkTheSameMethodIsAnOrdinaryOne() {
        CachedMethod m = weave(null, "(Ljava/util/Collection;)Ljava/util/Map;", false);
        assertNotNull(m);
        assertEquals(-1, ((MethodSettings.Read) m.spec().settings()).bulkIndex());
    }

    @Test
    void noCollectionParameterIsRefused() {
        assertNull(weave(rule("long", ""), "(J)Ljava/util/Map;", null));
        assertTrue(onlyError().contains("one parameter declared as Collection, List or Set"), errors::toString);
    }

    @Test
    void anArrayOrIterableIsNotACollectionOfKeys() {
        assertNull(weave(null, "([Ljava/lang/String;)Ljava/util/Map;", true));
        assertTrue(onlyError().contains("arrays, Iterable"), errors::toString);
    }

    @Test
    void twoCollectionsAreRefused() {
        assertNull(weave(null, "(Ljava/util/List;Ljava/util/Set;)Ljava/util/Map;", true));
        assertTrue(onlyError().contains("parameters 1 and 2 are both collections"), errors::toString);
    }

    @Test
    void aResultThatIsNeitherMapNorListIsRefused() {
        assertNull(weave(null, "(Ljava/util/List;)Ljava/util/Set;", true));
        assertTrue(onlyError().contains("returning Map (key to value) or List"), errors::toString);
        errors.clear();
        assertNull(weave(null, "(Ljava/util/List;)Ljava/lang/String;", true));
        assertTrue(onlyError().contains("it returns java.lang.String"), errors::toString);
    }

    @Test
    void aListResultNeedsOrderedKeys() {
        assertNull(weave(null, "(Ljava/util/Set;)Ljava/util/List;", true));
        assertTrue(onlyError().contains("the keys are a Set"), errors::toString);
    }

    @Test
    void aWriteStrategyOrAFreshnessSettingIsRefused() {
        assertNull(weave(rule("java.util.List", "    strategy: write-through\n"), "(Ljava/util/List;)Ljava/util/Map;", null));
        assertTrue(onlyError().contains("bulk: true applies to a reading method"), errors::toString);
        errors.clear();
        assertNull(weave(rule("java.util.List", "    ttl: 1m\n    refresh: 10s\n"), "(Ljava/util/List;)Ljava/util/Map;", null));
        assertTrue(onlyError().contains("does not apply refresh"), errors::toString);
        errors.clear();
        assertNull(weave(rule("java.util.List", "    staleIfError: 1m\n"), "(Ljava/util/List;)Ljava/util/Map;", null));
        assertTrue(onlyError().contains("does not apply staleIfError"), errors::toString);
    }

    @Test
    void theYamlKeyIsABoolean() {
        RecallConfig config = ConfigLoader.parse("test.yml", rule("java.util.List", "").replace("bulk: true", "bulk: maybe"));
        assertTrue(!config.usable() || !config.errors().isEmpty(), "bulk: maybe is an error: " + config.errors());
        assertThrows(IllegalArgumentException.class, () -> BulkShape.collectionParameter(List.of(), "java.util.Map"));
    }
}
