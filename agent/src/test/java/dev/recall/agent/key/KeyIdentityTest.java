package dev.recall.agent.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A key identifies its arguments exactly (issue 25): the boundaries between the template's parts, null
 * apart from any string, a value's type and its whole state. Each case here collided when templates
 * rendered to a String.
 */
class KeyIdentityTest {

    private static Object key(String template, Object... args) throws TemplateException {
        String[] names = new String[args.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = "p" + i;
        }
        KeyFunction f = KeyTemplate.compile(template, Arrays.asList(names), null).function();
        return switch (args.length) {
            case 1 -> f.key(null, args[0], null, null);
            case 2 -> f.key(null, args[0], args[1], null);
            default -> f.key(null, null, null, args);
        };
    }

    /** Both keys in one map, as a region holds them: two entries, each with its own value. */
    private static void assertTwoEntries(Object k1, Object k2) {
        assertNotEquals(k1, k2);
        Map<Object, String> region = new HashMap<>();
        region.put(k1, "first");
        region.put(k2, "second");
        assertEquals(2, region.size());
        assertEquals("first", region.get(k1));
    }

    @Test
    void aSeparatorInsideAValueDoesNotMoveTheBoundary() throws TemplateException {
        assertTwoEntries(key("{p0}:{p1}", "x:y", "z"), key("{p0}:{p1}", "x", "y:z"));
        assertEquals(key("{p0}:{p1}", "x:y", "z"), key("{p0}:{p1}", "x:y", "z"));
    }

    @Test
    void nullIsNotTheStringNull() throws TemplateException {
        assertTwoEntries(key("user:{0}", (Object) null), key("user:{0}", "null"));
        assertEquals(key("user:{0}", (Object) null), key("user:{0}", (Object) null));
    }

    @Test
    void aDateIsKeyedByItsMillisecondsNotItsToString() throws TemplateException {
        assertEquals(new Date(1000).toString(), new Date(1500).toString(), "the rendering that collided");
        assertTwoEntries(key("t:{0}", new Date(1500)), key("t:{0}", new Date(1000)));
        assertEquals(key("t:{0}", new Date(1500)), key("t:{0}", new Date(1500)));
    }

    @Test
    void aValueKeepsItsType() throws TemplateException {
        assertTwoEntries(key("v:{0}", 5), key("v:{0}", 5L));
        assertTwoEntries(key("v:{0}", 5), key("v:{0}", "5"));
    }

    @Test
    void literalTextIsNotAValue() throws TemplateException {
        // The same characters, once as the template's text, once as an argument's.
        assertTwoEntries(key("user:{0}", "5"), key("{0}{1}", "user:", "5"));
        assertTwoEntries(key("a{0}", "bc"), key("ab{0}", "c"));
    }

    @Test
    void aStringThatLooksLikeAnArrayIsNotTheArray() throws TemplateException {
        assertTwoEntries(key("k:{0}", new int[] {1, 2}, "x"), key("k:{0}", "[1, 2]", "x"));
        assertEquals(key("k:{0}", new int[] {1, 2}, "x"), key("k:{0}", new int[] {1, 2}, "x"));
    }

    @Test
    void defaultKeysOfTwoArgumentsKeepTheirBoundaryWhenShown() throws TemplateException {
        // Pairs compared as pairs already; what people type over JMX is the rendered form, not the identity.
        assertTwoEntries(key("", "a,b", "c"), key("", "a", "b,c"));
    }
}
