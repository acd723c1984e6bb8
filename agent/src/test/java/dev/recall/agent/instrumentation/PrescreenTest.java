package dev.recall.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.acme.fixtures.AnnotatedService;
import com.acme.fixtures.JdbcRepository;
import com.acme.fixtures.Repository;
import com.acme.fixtures.SpecialJdbcRepository;
import com.acme.fixtures.Unrelated;
import dev.recall.agent.config.ConfigLoader;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import org.junit.jupiter.api.Test;

/** What the pre-screen lets through to the weaver, on real class files ({@code com.acme.fixtures}: the agent's own packages are never woven). */
class PrescreenTest {

    @Test
    void aClassNamingOurAnnotationGoesThroughWithoutAnyRule() throws Exception {
        Prescreen screen = screen("");
        assertTrue(mayMatter(screen, AnnotatedService.class));
        assertFalse(mayMatter(screen, JdbcRepository.class));
    }

    @Test
    void aRuleOnAClassTakesThatClassAloneNotItsSubclasses() throws Exception {
        Prescreen screen = screen("methods:\n  - method: " + JdbcRepository.class.getName() + "#find(long)\n");
        assertTrue(mayMatter(screen, JdbcRepository.class));
        assertFalse(mayMatter(screen, SpecialJdbcRepository.class), "rules match a class or its interfaces, not its superclasses");
    }

    @Test
    void aRuleOnAnInterfaceTakesEveryImplementationHoweverFarDown() throws Exception {
        Prescreen screen = screen("methods:\n  - method: " + Repository.class.getName() + "#find(long)\n");
        assertTrue(mayMatter(screen, JdbcRepository.class), "through an abstract superclass");
        assertTrue(mayMatter(screen, SpecialJdbcRepository.class));
        assertFalse(mayMatter(screen, Unrelated.class));
    }

    @Test
    void aWildcardRuleIsMatchedAgainstInterfacesToo() throws Exception {
        Prescreen screen = screen("methods:\n  - method: com.acme.**.*Repository#find(..)\n");
        assertTrue(mayMatter(screen, SpecialJdbcRepository.class));
        assertFalse(mayMatter(screen, Unrelated.class));
    }

    @Test
    void theJdkAndTheAgentAreNeverLetThrough() throws Exception {
        Prescreen screen = screen("methods:\n  - method: java.lang.String#length()\n");
        assertFalse(mayMatter(screen, String.class));
        assertFalse(mayMatter(screen, Prescreen.class));
    }

    /** Issue 24: frameworks' generated classes, by name and by their class file header, are never woven. */
    @Test
    void generatedClassesAreNeverLetThroughByNameOrByHeader() {
        Prescreen screen = screen("methods:\n  - method: com.acme.**#*(..)\n");
        ClassLoader loader = PrescreenTest.class.getClassLoader();
        assertTrue(screen.mayMatter(loader, "com/acme/fixtures/Prices", classFile("com/acme/fixtures/Prices", 0)));
        for (String generated : java.util.List.of("com/acme/fixtures/Prices_Subclass", "com/acme/fixtures/Prices_ClientProxy",
                "com/acme/fixtures/Prices$HibernateProxy$a1B2", "com/acme/fixtures/Prices$ByteBuddy$x9",
                "com/acme/fixtures/Prices$$SpringCGLIB$$0", "com/acme/fixtures/Prices_$$_jvst3e_1")) {
            assertFalse(screen.mayMatter(loader, generated, classFile(generated, 0)), generated);
        }
        assertFalse(screen.mayMatter(loader, "com/acme/fixtures/Odd", classFile("com/acme/fixtures/Odd", org.objectweb.asm.Opcodes.ACC_SYNTHETIC)),
                "a synthetic class");
        for (String marker : java.util.List.of("io/quarkus/arc/ClientProxy", "io/quarkus/arc/Subclass",
                "org/springframework/cglib/proxy/Factory", "org/hibernate/proxy/HibernateProxy", "javassist/util/proxy/ProxyObject")) {
            assertFalse(screen.mayMatter(loader, "com/acme/fixtures/Plain", classFile("com/acme/fixtures/Plain", 0, marker)), marker);
        }
        // A JDK proxy of a Spring Data repository implements Spring's marker too, and has the only body of a derived query.
        assertTrue(screen.mayMatter(loader, "com/acme/$Proxy7", classFile("com/acme/$Proxy7", 0,
                "org/springframework/aop/SpringProxy")));
    }

    private static byte[] classFile(String internalName, int access, String... interfaces) {
        org.objectweb.asm.ClassWriter w = new org.objectweb.asm.ClassWriter(0);
        w.visit(org.objectweb.asm.Opcodes.V17, org.objectweb.asm.Opcodes.ACC_PUBLIC | access, internalName, null,
                "java/lang/Object", interfaces);
        w.visitEnd();
        return w.toByteArray();
    }

    private static Prescreen screen(String yaml) {
        return new Prescreen(new ClassFileTransformer() { }, ConfigLoader.parse("test.yml", yaml), new Hierarchy(new ClassFiles()));
    }

    private static boolean mayMatter(Prescreen screen, Class<?> type) throws Exception {
        String internalName = type.getName().replace('.', '/');
        try (InputStream in = type.getClassLoader() == null ? ClassLoader.getSystemResourceAsStream(internalName + ".class")
                : type.getClassLoader().getResourceAsStream(internalName + ".class")) {
            return screen.mayMatter(type.getClassLoader(), internalName, in.readAllBytes());
        }
    }
}
