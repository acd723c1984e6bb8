package dev.recall.agent.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class KeysTest {

    @Test
    void renderOfAPlainValueIsItsString() {
        assertEquals("42", Keys.render(42L));
        assertEquals("abc", Keys.render("abc"));
    }

    @Test
    void renderOfNullIsNull() {
        assertEquals("null", Keys.render(null));
    }

    @Test
    void renderOfAPrimitiveArrayShowsItsContent() {
        assertEquals("[1, 2, 3]", Keys.render(new int[] {1, 2, 3}));
    }

    @Test
    void renderOfAnObjectArrayShowsItsContent() {
        assertEquals("[a, null]", Keys.render(new String[] {"a", null}));
    }

    @Test
    void renderOfANestedArrayShowsTheInnerContent() {
        assertEquals("[[1, 2], [3]]", Keys.render(new int[][] {{1, 2}, {3}}));
    }

    @Test
    void ofAPlainValueIsTheValue() {
        String s = "k";
        assertSame(s, Keys.of(s));
    }

    @Test
    void ofNullIsTheNullConstant() {
        assertSame(Keys.NULL, Keys.of(null));
    }

    @Test
    void ofAnArrayIsComparedByContent() {
        assertEquals(Keys.of(new char[] {'a'}), Keys.of(new char[] {'a'}));
        assertEquals(Keys.of(new char[] {'a'}).hashCode(), Keys.of(new char[] {'a'}).hashCode());
        assertNotEquals(Keys.of(new char[] {'a'}), Keys.of(new char[] {'b'}));
    }

    @Test
    void constantsAreDistinctFromEachOtherAndFromTheirText() {
        assertNotEquals(Keys.NULL, Keys.NO_ARGUMENTS);
        assertNotEquals("null", Keys.NULL);
        assertNotEquals(Keys.NULL, "null");
        assertEquals("null", Keys.NULL.toString());
        assertEquals("()", Keys.NO_ARGUMENTS.toString());
    }

    @Test
    void argsKeyRendersItsArgumentsSeparatedByCommas() {
        assertEquals("a,[1, 2],null", new Keys.ArgsKey(new Object[] {"a", new int[] {1, 2}, null}).toString());
    }

    @Test
    void argsKeysOfDifferentLengthsDiffer() {
        assertNotEquals(new Keys.ArgsKey(new Object[] {"a"}), new Keys.ArgsKey(new Object[] {"a", null}));
    }
}
