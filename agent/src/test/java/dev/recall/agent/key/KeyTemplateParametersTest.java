package dev.recall.agent.key;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** JSR-107's keys: the {@code @CacheKey} parameters, equal to the all-arguments key of a method with only those. */
class KeyTemplateParametersTest {

    @Test
    void oneOfThreeParametersIsTheKeyOfAOneParameterMethod() throws TemplateException {
        KeyTemplate oneOfThree = KeyTemplate.ofParameters(3, new int[] {1});
        KeyTemplate single = KeyTemplate.compile("", List.of("title"), null);
        Object key = oneOfThree.function().key(null, null, null, new Object[] {"reader", "t", 7});
        assertEquals(single.function().key(null, "t", null, null), key);
    }

    @Test
    void twoOfThreeAreTheKeyOfATwoParameterMethod() throws TemplateException {
        KeyTemplate twoOfThree = KeyTemplate.ofParameters(3, new int[] {0, 2});
        KeyTemplate pair = KeyTemplate.compile("", List.of("a", "b"), null);
        assertEquals(pair.function().key(null, "x", 9, null), twoOfThree.function().key(null, null, null, new Object[] {"x", "y", 9}));
        assertEquals(pair.function().key(null, "x", 9, null), twoOfThree.function().key(null, "x", null, new Object[] {"x", "y", 9}));
    }

    @Test
    void aRenderedKeyOfSomeParametersIsReadAsThoseParameters() {
        KeyTemplate oneOfTwo = KeyTemplate.ofParameters(2, new int[] {1});
        Object key = oneOfTwo.function().key(null, "reader", 42L, null);
        assertEquals(List.of(key), oneOfTwo.keysRenderedAs("42", new Class<?>[] {String.class, Long.class}, null));
    }
}
