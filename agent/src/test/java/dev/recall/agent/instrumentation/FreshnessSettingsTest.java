package dev.recall.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.agent.config.ConfigError;
import dev.recall.agent.config.ConfigLoader;
import dev.recall.agent.config.RecallConfig;
import dev.recall.agent.config.WriteBackSettings;
import dev.recall.agent.method.CachedMethod;
import dev.recall.agent.method.MethodRegistry;
import dev.recall.agent.method.MethodSettings;
import dev.recall.agent.store.Regions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Refresh, staleIfError, loadTimeout, jitter and nullTtl as a class is woven: the annotation's attributes,
 * the file's rule over them, the defaults under both, and the combinations refused with a message.
 */
class FreshnessSettingsTest {

    private final List<ConfigError> errors = new ArrayList<>();
    private final MethodRegistry registry = new MethodRegistry(new Regions(null), WriteBackSettings.DEFAULT);

    /** {@code com.acme.Rates#rate(long)}, static, returning a constant, with {@code @Cached} of these attributes. */
    private static byte[] rates(Map<String, String> attributes, String strategy) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS | ClassWriter.COMPUTE_FRAMES);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "com/acme/Rates", null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "rate", "(J)Ljava/lang/String;", null, null);
        AnnotationVisitor av = mv.visitAnnotation("Ldev/recall/Cached;", true);
        attributes.forEach(av::visit);
        if (strategy != null) {
            av.visitEnum("strategy", "Ldev/recall/Strategy;", strategy);
        }
        av.visitEnd();
        mv.visitCode();
        mv.visitLdcInsn("rate");
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    private CachedMethod weave(String yaml, Map<String, String> attributes, String strategy) {
        RecallConfig config = yaml == null ? RecallConfig.none() : ConfigLoader.parse("test.yml", yaml);
        assertTrue(config.usable(), () -> config.errors().toString());
        CacheTransformer transformer = new CacheTransformer(new MethodAnalyzer(config, errors::add,
                new Hierarchy(new ClassFiles())), registry, null, null, null, new LongAdder());
        transformer.weave(getClass().getClassLoader(), rates(attributes, strategy));
        return registry.matched().stream().filter(m -> m.spec().signature().methodName().equals("rate")).findFirst()
                .map(m -> registry.method(m.id())).orElse(null);
    }

    @Test
    void theAnnotationsAttributesAndTheDefaults() {
        CachedMethod m = weave(null, Map.of("ttl", "2s", "refresh", "1s", "staleIfError", "30s"), null);
        assertEquals(List.of(), errors);
        MethodSettings.Read read = (MethodSettings.Read) m.spec().settings();
        assertEquals(Duration.ofSeconds(1), read.refresh());
        assertNull(read.loadTimeout(), "none: a stale caller waits loadWait");
        assertEquals(Duration.ofSeconds(30), read.entries().freshness().staleIfError());
        assertEquals(0.10, read.entries().freshness().jitter(), "10% unless said");
        assertEquals(Duration.ofSeconds(2), read.entries().freshness().nullTtl(), "nulls live the ttl unless said");
        assertTrue(read.entries().timed(), "jittered entries each end at their own deadline");
        assertEquals(Duration.ofSeconds(32), read.entries().kept(), "the store keeps them for the ttl and the stale window");
    }

    @Test
    void aRuleOverridesTheAnnotation() {
        CachedMethod m = weave("""
                defaults:
                  loadTimeout: 3s
                methods:
                  - method: com.acme.Rates#rate(..)
                    refresh: 500ms
                    staleIfError: 1m
                    loadTimeout: 50ms
                    jitter: 0
                    nullTtl: 100ms
                """, Map.of("ttl", "2s", "refresh", "1s", "staleIfError", "30s"), null);
        assertEquals(List.of(), errors);
        MethodSettings.Read read = (MethodSettings.Read) m.spec().settings();
        assertEquals(Duration.ofMillis(500), read.refresh());
        assertEquals(Duration.ofMillis(50), read.loadTimeout());
        assertEquals(Duration.ofMinutes(1), read.entries().freshness().staleIfError());
        assertEquals(0.0, read.entries().freshness().jitter());
        assertEquals(Duration.ofMillis(100), read.entries().freshness().nullTtl());
    }

    @Test
    void jitterZeroAndNoStaleWindowLeaveAHitNothingToCompare() {
        CachedMethod m = weave("""
                defaults:
                  jitter: 0
                """, Map.of("ttl", "2s"), null);
        assertTrue(!m.spec().entries().timed());
        assertEquals(Duration.ofSeconds(2), m.spec().entries().kept());
    }

    @Test
    void aRefreshNotShorterThanTheTtlIsRefusedWithWhatToWrite() {
        assertNull(weave(null, Map.of("ttl", "2s", "refresh", "2s"), null));
        assertEquals(1, errors.size(), errors::toString);
        String message = errors.get(0).message();
        assertTrue(message.contains("refresh 2s is not shorter than ttl 2s") && message.contains("below the ttl"), message);
    }

    @Test
    void aRefreshOnAWritingMethodIsRefused() {
        assertNull(weave(null, Map.of("ttl", "2s", "refresh", "1s"), "WRITE_THROUGH"));
        assertEquals(1, errors.size(), errors::toString);
        assertTrue(errors.get(0).message().contains("refresh applies to a reading method"), errors.get(0).message());
    }

    @Test
    void aBadDurationInTheAnnotationNamesTheAttribute() {
        assertNull(weave(null, Map.of("staleIfError", "soon"), null));
        assertTrue(errors.get(0).message().contains("@Cached(staleIfError = \"soon\")"), errors.get(0).message());
    }
}
