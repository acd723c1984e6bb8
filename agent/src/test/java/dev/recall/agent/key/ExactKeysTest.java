package dev.recall.agent.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Keys identify what the method can observe of its arguments, never what their {@code equals} says (issue 25,
 * HostileShapesIT S09, S09b, S15, S16, S32). Each case failed before key parts were taken by state: the two
 * keys compared equal (or the key changed with the caller's later change of its argument).
 */
class ExactKeysTest {

    /** Equal to every other instance, whatever its value. */
    static final class AllEqual {
        final int v;

        AllEqual(int v) {
            this.v = v;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof AllEqual;
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }

    /** equals and hashCode throw: a key must never call them. */
    static final class Bomb {
        final int v;

        Bomb(int v) {
            this.v = v;
        }

        @Override
        public boolean equals(Object o) {
            throw new IllegalStateException("equals");
        }

        @Override
        public int hashCode() {
            throw new IllegalStateException("hashCode");
        }
    }

    /** No equals: identity in Java, but its state is what the method reads. */
    static final class Plain {
        int v;

        Plain(int v) {
            this.v = v;
        }
    }

    @Test
    void equalCollectionsOfDifferentClassesAreDifferentKeys() {
        assertNotEquals(Keys.of(new ArrayList<>(List.of(1, 2))), Keys.of(List.of(1, 2)));
        assertNotEquals(Keys.of(new ArrayList<>(List.of(1, 2))), Keys.of(new LinkedList<>(List.of(1, 2))));
        assertNotEquals(Keys.of(Arrays.asList(1, 2)), Keys.of(List.of(1, 2)));
        assertNotEquals(Keys.ofArguments(new ArrayList<>(List.of(1)), "a"), Keys.ofArguments(List.of(1), "a"));
        assertEquals(Keys.of(new ArrayList<>(List.of(1, 2))), Keys.of(new ArrayList<>(List.of(1, 2))));
        assertEquals(Keys.of(new ArrayList<>(List.of(1, 2))).hashCode(), Keys.of(new ArrayList<>(List.of(1, 2))).hashCode());
    }

    @Test
    void anEqualsThatCallsEverythingEqualDoesNotJoinKeys() {
        assertNotEquals(Keys.of(new AllEqual(1)), Keys.of(new AllEqual(2)));
        assertEquals(Keys.of(new AllEqual(1)), Keys.of(new AllEqual(1)));
    }

    @Test
    void anEqualsThatThrowsIsNeverCalled() {
        assertEquals(Keys.of(new Bomb(1)), Keys.of(new Bomb(1)));
        assertNotEquals(Keys.of(new Bomb(1)), Keys.of(new Bomb(2)));
        assertEquals(Keys.ofArguments(new Bomb(1), 2), Keys.ofArguments(new Bomb(1), 2));
    }

    @Test
    void aKeyHoldsTheStateAtTheCallNotTheObject() {
        StringBuilder sb = new StringBuilder("ab");
        Object before = Keys.of(sb);
        sb.append('0');
        assertNotEquals(before, Keys.of(sb), "the same builder, changed: another key");
        assertEquals(Keys.of(new StringBuilder("ab0")), Keys.of(sb));

        Plain p = new Plain(1);
        Object plainBefore = Keys.of(p);
        p.v = 6;
        assertNotEquals(plainBefore, Keys.of(p));
        assertEquals(plainBefore, Keys.of(new Plain(1)));

        AtomicInteger a = new AtomicInteger(1);
        Object atomicBefore = Keys.of(a);
        a.addAndGet(5);
        assertNotEquals(atomicBefore, Keys.of(a));

        Date d = new Date(1000);
        Object dateBefore = Keys.of(d);
        d.setTime(6000);
        assertNotEquals(dateBefore, Keys.of(d));

        List<String> items = new ArrayList<>(List.of("z"));
        Object optionalBefore = Keys.of(Optional.of(items));
        items.add("w");
        assertNotEquals(optionalBefore, Keys.of(Optional.of(items)));
    }

    @Test
    void nansOfDifferentPayloadsAreDifferentKeys() {
        double other = Double.longBitsToDouble(0x7ff8000000000001L);
        assertNotEquals(Keys.of(Double.NaN), Keys.of(other));
        assertEquals(Keys.of(other), Keys.of(Double.longBitsToDouble(0x7ff8000000000001L)));
        assertNotEquals(Keys.ofArguments(Double.NaN, 1), Keys.ofArguments(other, 1));
        assertNotEquals(Keys.of(0.0), Keys.of(-0.0));
    }

    @Test
    void valueTypesStayAsTheyAreAndArgumentsAreNotChanged() {
        String s = "sku-1";
        assertSame(s, Keys.of(s));
        Long l = 42L;
        assertSame(l, Keys.of(l));
        Object[] args = {new ArrayList<>(List.of(1)), "a", 3};
        Object first = args[0];
        Keys.ofArguments(args);
        assertSame(first, args[0], "the advice's array is passed on to a reload: it keeps the arguments");
    }

    @Test
    void aStatePartIsNamedAsItsValueIsAcrossJvms() {
        List<Integer> ids = new ArrayList<>(List.of(1, 2));
        assertEquals(Arrays.toString(KeyBytes.of(new Keys.Pair(ids, "a"))),
                Arrays.toString(KeyBytes.of(Keys.ofArguments(ids, "a"))));
        assertEquals("[1, 2]", Keys.render(Keys.of(ids)));
    }
}
