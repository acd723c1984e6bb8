package dev.recall.agent.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What an operator types to invalidate over JMX becomes the keys the key function builds. */
class RenderedKeysTest {

    record Order(long id, String country) {
    }

    enum Tier { GOLD, SILVER }

    private static KeyTemplate compile(String template, String... names) throws TemplateException {
        return KeyTemplate.compile(template, Arrays.asList(names), null);
    }

    private static Object key(KeyTemplate t, Object... args) {
        return args.length == 1 ? t.function().key(null, args[0], null, null)
                : args.length == 2 ? t.function().key(null, args[0], args[1], null) : t.function().key(null, null, null, args);
    }

    @Test
    void theTextIsReadAsTheParametersTypes() throws TemplateException {
        KeyTemplate t = compile("user:{0}", "id");
        assertEquals(List.of(key(t, 42L)), t.keysRenderedAs("user:42", new Class<?>[] {long.class}, null));
        assertEquals(List.of(key(t, "42")), t.keysRenderedAs("user:42", new Class<?>[] {String.class}, null));
        assertEquals(List.of(), t.keysRenderedAs("user:x", new Class<?>[] {long.class}, null), "not a long: no key");
        assertEquals(List.of(), t.keysRenderedAs("other:42", new Class<?>[] {long.class}, null), "not the template's text");
        KeyTemplate tier = compile("{0}/{1}", "tier", "n");
        assertEquals(List.of(key(tier, Tier.GOLD, 3)), tier.keysRenderedAs("GOLD/3", new Class<?>[] {Tier.class, int.class}, null));
    }

    @Test
    void nullIsBothTheNullValueAndTheStringWhereAStringCouldBeIt() throws TemplateException {
        KeyTemplate t = compile("user:{0}", "id");
        assertEquals(Set.of(key(t, (Object) null), key(t, "null")),
                Set.copyOf(t.keysRenderedAs("user:null", new Class<?>[] {String.class}, null)));
        assertEquals(List.of(key(t, (Object) null)), t.keysRenderedAs("user:null", new Class<?>[] {Long.class}, null));
    }

    @Test
    void aTextThatCanBeCutSeveralWaysStandsForEachKey() throws TemplateException {
        KeyTemplate t = compile("{0}:{1}", "a", "b");
        Class<?>[] strings = {String.class, String.class};
        assertEquals(Set.of(key(t, "x:y", "z"), key(t, "x", "y:z")), Set.copyOf(t.keysRenderedAs("x:y:z", strings, null)));
        KeyTemplate all = compile("", "a", "b");
        assertEquals(List.of(key(all, "a,b", 1)), all.keysRenderedAs("a,b,1", new Class<?>[] {String.class, int.class}, null));
        KeyTemplate one = compile("", "id");
        assertEquals(List.of(key(one, 7L)), one.keysRenderedAs("7", new Class<?>[] {long.class}, null));
    }

    @Test
    void aPropertyPathIsReadAsTheTypeItEndsIn() throws TemplateException {
        KeyTemplate t = compile("o:{0.id}", "order");
        assertEquals(List.of(key(t, new Order(5, "DE"))), t.keysRenderedAs("o:5", new Class<?>[] {Order.class}, null));
        KeyTemplate raw = compile("{0.id}", "order");
        assertEquals(List.of(5L), raw.keysRenderedAs("5", new Class<?>[] {Order.class}, null));
    }

    @Test
    void aValueThatTextCannotWriteGivesNoKey() throws TemplateException {
        KeyTemplate t = compile("t:{0}", "when");
        assertTrue(t.keysRenderedAs("t:" + new Date(1000), new Class<?>[] {Date.class}, null).isEmpty());
        assertEquals(List.of(key(compile("all", "x"), "anything")), compile("all", "x").keysRenderedAs("all", new Class<?>[] {String.class}, null));
    }
}
