package dev.recall.agent.key;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A template of two placeholders keys its calls with a {@link Keys.Tuple2}, the two values in fields: the same key
 * however it is built (the key function, the values as an array, a key read back from its rendering), the same bytes
 * in a shared store as the array-backed tuple it replaces, and parts passed through {@link Keys#mapParts} like any.
 */
class TwoValueTemplateKeyTest {

    private static final String[] SHAPE = {"sku:", ":", ""};

    @Test
    void everyWayOfBuildingItMakesOneKey() throws TemplateException {
        KeyTemplate t = KeyTemplate.compile("sku:{0}:{1}", List.of("sku", "qty"), null);
        Object byFunction = t.function().key(null, "A-1", 300, null);
        Object byArray = Keys.ofTemplate(SHAPE, Arrays.hashCode(SHAPE), new Object[] {"A-1", 300});
        Object byFields = Keys.ofTemplate(SHAPE.clone(), Arrays.hashCode(SHAPE), "A-1", Integer.valueOf(300));
        assertInstanceOf(Keys.Tuple2.class, byFunction);
        assertEquals(byFunction, byArray);
        assertEquals(byArray, byFields);
        assertEquals(byFunction.hashCode(), byFields.hashCode());
        assertEquals("sku:A-1:300", byFunction.toString());
        List<Object> rendered = t.keysRenderedAs("sku:A-1:300", new Class<?>[] {String.class, int.class}, null);
        assertEquals(List.of(byFunction), rendered);
    }

    @Test
    void itsValuesKeepTheirTypesAndNullsAndTheirOrder() {
        int h = Arrays.hashCode(SHAPE);
        assertNotEquals(Keys.ofTemplate(SHAPE, h, "A", 5), Keys.ofTemplate(SHAPE, h, "A", 5L));
        assertNotEquals(Keys.ofTemplate(SHAPE, h, null, 5), Keys.ofTemplate(SHAPE, h, "null", 5));
        assertNotEquals(Keys.ofTemplate(SHAPE, h, "A", "B"), Keys.ofTemplate(SHAPE, h, "B", "A"));
        assertNotEquals(Keys.ofTemplate(SHAPE, h, "A", 5), Keys.ofTemplate(new String[] {"sku:", "/", ""}, h, "A", 5));
        assertEquals(Keys.ofTemplate(SHAPE, h, new int[] {1, 2}, 5), Keys.ofTemplate(SHAPE, h, new int[] {1, 2}, 5));
        assertNotEquals(Keys.ofTemplate(SHAPE, h, new int[] {1, 2}, 5), Keys.ofTemplate(SHAPE, h, new long[] {1, 2}, 5));
    }

    @Test
    void itsBytesAreThoseOfTheTupleOfTheSameValues() {
        int h = Arrays.hashCode(SHAPE);
        Object fields = Keys.ofTemplate(SHAPE, h, "A-1", 300);
        Object array = new Keys.Tuple(SHAPE, h, new Object[] {"A-1", 300});
        assertArrayEquals(KeyBytes.of(array), KeyBytes.of(fields));
        assertEquals(array.hashCode(), fields.hashCode());
    }

    @Test
    void mappingItsPartsCopiesOnlyWhenAPartChanges() {
        Object key = Keys.ofTemplate(SHAPE, Arrays.hashCode(SHAPE), "A-1", 300);
        assertSame(key, Keys.mapParts(key, p -> p));
        Object mapped = Keys.mapParts(key, p -> p instanceof Integer i ? i + 1 : p);
        assertEquals(Keys.ofTemplate(SHAPE, Arrays.hashCode(SHAPE), "A-1", 301), mapped);
    }
}
