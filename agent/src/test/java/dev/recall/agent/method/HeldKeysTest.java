package dev.recall.agent.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.recall.agent.config.CopyKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** A key argument the caller changes after the call: the stored key does not change with it. */
class HeldKeysTest {

    /** A mutable search form, equal by content, as a controller passes one. */
    static final class Criteria {
        String lastName;

        Criteria(String lastName) {
            this.lastName = lastName;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Criteria c && Objects.equals(c.lastName, lastName);
        }

        @Override
        public int hashCode() {
            return Objects.hashCode(lastName);
        }
    }

    /** Equal only to itself: its state is not part of what it finds. */
    static final class Session {
        String user = "a";
    }

    @Test
    void aMutatedKeyArgumentNeitherLosesItsEntryNorAnswersForAnotherKey() {
        ReadThroughMethod m = TestMethods.readThrough("com.acme.Owners.search(com.acme.Criteria)", "owners", CopyKind.AUTO);
        Criteria form = new Criteria("Davis");
        TestMethods.call(m, null, form, "owners named Davis");
        form.lastName = "Franklin"; // the form object is reused for the next search
        assertEquals("owners named Davis", TestMethods.call(m, null, new Criteria("Davis"), "reloaded"),
                "the entry stored for Davis is still found by Davis");
        assertEquals("owners named Franklin", TestMethods.call(m, null, new Criteria("Franklin"), "owners named Franklin"),
                "and never answers for Franklin");
        assertEquals(1, m.stats().hits());
    }

    /** A framework's unmodifiable list (issue 24: Panache passes one as the sort of its list query). */
    static final class UnmodifiableList<E> extends ArrayList<E> {
        UnmodifiableList(List<E> of) {
            super(of);
        }

        @Override
        public boolean add(E e) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void aKeyHoldingACollectionSubclassWithoutStateHits() {
        ReadThroughMethod m = TestMethods.readThrough("com.acme.Owners.list(java.util.List)", "owners", CopyKind.AUTO);
        assertEquals("page 1", TestMethods.call(m, null, new UnmodifiableList<>(List.of("lastName")), "page 1"));
        assertEquals("page 1", TestMethods.call(m, null, new UnmodifiableList<>(List.of("lastName")), "loaded again"));
        assertEquals(1, m.stats().hits(), "before: \"cannot access java.util.ArrayList.size\", every call uncached");
    }

    @Test
    void aListKeyIsCopiedAndAnArrayKeyToo() throws Exception {
        List<String> ids = new ArrayList<>(List.of("1", "2"));
        Object held = HeldKeys.held(ids);
        assertNotSame(ids, held);
        assertEquals(ids, held);
        ids.add("3");
        assertEquals(List.of("1", "2"), held);

        long[] array = {1, 2};
        Object key = dev.recall.agent.key.Keys.of(array);
        Object heldArray = HeldKeys.held(key);
        assertSame(key, heldArray, "an array's key part is its state at the call already: nothing to copy");
        array[0] = 9;
        assertEquals(dev.recall.agent.key.Keys.of(new long[] {1, 2}), heldArray);
    }

    @Test
    void immutableAndIdentityKeysAreKeptAsTheyAre() throws Exception {
        assertSame("sku-1", HeldKeys.held("sku-1"));
        Long id = 123_456L;
        assertSame(id, HeldKeys.held(id));
        Session session = new Session();
        assertSame(session, HeldKeys.held(session), "a copy would never equal the next call's argument");
    }
}
