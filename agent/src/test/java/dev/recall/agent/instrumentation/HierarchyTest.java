package dev.recall.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.acme.fixtures.JdbcRepository;
import com.acme.fixtures.RushOrder;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.Type;

/** Properties and interfaces read from class files, as key templates and rules need them. */
class HierarchyTest {

    private final Hierarchy hierarchy = new Hierarchy(new ClassFiles());
    private final ClassLoader loader = HierarchyTest.class.getClassLoader();

    @Test
    void findsPropertiesUpTheSuperclassesThenOnInterfacesThenInFields() {
        Type rush = Type.getType(RushOrder.class);
        assertEquals(Type.LONG_TYPE, hierarchy.property(loader, rush, "id"), "getter of the superclass");
        assertEquals(Type.BOOLEAN_TYPE, hierarchy.property(loader, rush, "paid"), "is-getter");
        assertEquals(Type.getType(String.class), hierarchy.property(loader, rush, "name"), "accessor of an interface");
        assertEquals(Type.getType(String.class), hierarchy.property(loader, rush, "note"), "field");
        assertNull(hierarchy.property(loader, rush, "missing"));
    }

    @Test
    void collectsInterfacesThroughSuperclasses() {
        ClassFiles files = new ClassFiles();
        assertEquals(Set.of("com.acme.fixtures.Repository"),
                hierarchy.interfaces(loader, files.outline(loader, Type.getInternalName(JdbcRepository.class))));
    }
}
