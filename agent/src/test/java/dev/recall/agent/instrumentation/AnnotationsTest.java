package dev.recall.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.recall.CacheEvict;
import dev.recall.CacheValue;
import dev.recall.Cached;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.Type;

/**
 * The agent reads annotations from class files, where an element left at its default is absent; the
 * defaults it assumes then must be the annotation types' own.
 */
class AnnotationsTest {

    @Test
    void descriptorsNameTheAnnotationTypes() {
        assertEquals(Type.getDescriptor(Cached.class), Annotations.CACHED);
        assertEquals(Type.getDescriptor(CacheEvict.class), Annotations.CACHE_EVICT);
        assertEquals(Type.getDescriptor(CacheValue.class), Annotations.CACHE_VALUE);
    }

    @Test
    void assumedDefaultsAreTheAnnotationsOwn() throws Exception {
        for (Class<?> type : new Class<?>[] {Cached.class, CacheEvict.class}) {
            for (Method element : type.getDeclaredMethods()) {
                Object d = element.getDefaultValue();
                if (d == null) {
                    continue; // required: always in the class file
                }
                String where = type.getSimpleName() + "." + element.getName();
                if (element.getReturnType() == String.class) {
                    assertEquals("", d, where + ": an absent string element is read as empty");
                } else if (element.getReturnType() == boolean.class) {
                    assertEquals(false, d, where + ": an absent boolean element is read as false");
                } else if (element.getName().equals("copy")) {
                    assertEquals(Annotations.DEFAULT_COPY, ((Enum<?>) d).name(), where);
                } else {
                    assertEquals(Annotations.DEFAULT_STRATEGY, ((Enum<?>) d).name(), where);
                }
            }
        }
    }
}
