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
