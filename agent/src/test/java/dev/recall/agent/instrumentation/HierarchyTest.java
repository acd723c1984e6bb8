package dev.recall.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /** A repository interface with generics, as Spring Data and Panache write them. */
    interface GenericRepo<T> {
        void save(T value);

        T find(long id);
    }

    interface ProductRepo extends GenericRepo<String> {
        String findByName(String name);
    }

    @Test
    void anInterfaceHasWhatItAndItsSuperinterfacesDeclareWithGenericParametersErased() {
        String repo = ProductRepo.class.getName();
        assertTrue(hierarchy.declares(loader, repo, "findByName", "(Ljava/lang/String;)Ljava/lang/String;"));
        assertTrue(hierarchy.declares(loader, repo, "save", "(Ljava/lang/String;)V"), "save(T) implemented by save(String)");
        assertTrue(hierarchy.declares(loader, repo, "find", "(J)Ljava/lang/Object;"));
        assertFalse(hierarchy.declares(loader, repo, "find", "(I)Ljava/lang/Object;"), "find(int) is another overload");
        assertFalse(hierarchy.declares(loader, repo, "save", "(Ljava/lang/String;[Ljava/lang/Object;)V"), "two parameters");
        assertFalse(hierarchy.declares(loader, repo, "findByName", "(J)Ljava/lang/String;"), "a primitive is not a String");
        assertFalse(hierarchy.declares(loader, repo, "update", "(Ljava/lang/String;Ljava/util/Map;)I"));
        assertTrue(hierarchy.declares(loader, "com.acme.NotOnTheClassPath", "any", "()V"), "unreadable: names decide");
    }
}
