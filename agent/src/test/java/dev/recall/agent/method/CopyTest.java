package dev.recall.agent.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.agent.config.CopyKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What callers of a cached method get, by the method's {@code copy} setting, driven as the advice drives it. */
class CopyTest {

    /** A form-bound entity, as Spring MVC binds one. */
    public static class Owner {
        String name;
        final List<String> pets = new ArrayList<>();

        Owner(String name) {
            this.name = name;
        }
    }

    public record Immutable(String name, long id) {
    }

    private static Object load(ReadThroughMethod m, long key, Object result) {
        return TestMethods.call(m, null, key, result);
    }

    @Test
    void autoHandsEachCallerItsOwnCopyOfAMutableResult() {
        ReadThroughMethod m = TestMethods.readThrough("com.acme.Owners.find(long)", "owners", CopyKind.AUTO);
        Owner loaded = new Owner("George");
        assertSame(loaded, load(m, 1, loaded), "the loading caller keeps its own object");
        loaded.name = "bound into by the loading caller";
        Owner first = (Owner) m.enter(null, 1L, null, null);
        assertEquals("George", first.name, "what was stored is a copy taken when it was loaded");
        first.name = "bound into by a form";
        first.pets.add("Leo");
        Owner second = (Owner) m.enter(null, 1L, null, null);
        assertNotSame(first, second);
        assertEquals("George", second.name);
        assertTrue(second.pets.isEmpty());
        assertEquals(2, m.stats().hits());
    }

    @Test
    void autoSharesAnImmutableResult() {
        ReadThroughMethod m = TestMethods.readThrough("com.acme.Owners.find(long)", "owners", CopyKind.AUTO);
        Immutable v = new Immutable("George", 1);
        load(m, 1, v);
        assertSame(v, m.enter(null, 1L, null, null));
        assertSame(v, m.lookup(null, 1L, null, null));
    }

    @Test
    void referenceSharesEvenAMutableResult() {
        ReadThroughMethod m = TestMethods.readThrough("com.acme.Owners.find(long)", "owners", CopyKind.REFERENCE);
        Owner loaded = new Owner("George");
        load(m, 1, loaded);
        assertSame(loaded, m.enter(null, 1L, null, null));
    }

    @Test
    void valueCopiesEvenWhatLooksImmutable() {
        ReadThroughMethod m = TestMethods.readThrough("com.acme.Owners.find(long)", "owners", CopyKind.VALUE);
        Immutable v = new Immutable("George", 1);
        load(m, 1, v);
        Object hit = m.enter(null, 1L, null, null);
        assertEquals(v, hit);
        assertNotSame(v, hit);
    }

    @Test
    void aResultThatCannotBeCopiedRefusesTheMethodAndIsNotStored() {
        ReadThroughMethod m = TestMethods.readThrough("com.acme.Owners.find(long)", "owners", CopyKind.AUTO);
        load(m, 1, new java.util.HashMap<>(java.util.Map.of("k", "v")).keySet());
        assertTrue(m.refusedReason() != null && m.refusedReason().contains("view"), String.valueOf(m.refusedReason()));
        assertNull(m.enter(null, 1L, null, null), "refused: the body runs");
        assertEquals(0, m.region().size());
    }

    /** An entity whose pets Hibernate may not have loaded. */
    public static class Vet {
        String name;
        List<String> specialties;
    }

    /**
     * A collection Hibernate never loaded and no session holds (the original's caller can only get
     * LazyInitializationException from it) is held unloaded and detached, and served where no session surrounds the
     * call (here: no transaction manager is asked). One still attached to a session is refused per call
     * (HibernateValuesTest); a complete result is held as plain JDK collections.
     */
    @Test
    void aResultWithADetachedUnloadedLazyAssociationIsHeldUnloaded() {
        ReadThroughMethod m = TestMethods.readThrough("com.acme.Vets.find(long)", "vets", CopyKind.AUTO);
        Vet lazy = new Vet();
        lazy.name = "James";
        lazy.specialties = new org.hibernate.collection.spi.PersistentBag<>(); // never loaded, no session
        assertSame(lazy, load(m, 1, lazy), "the caller gets the result as the method returned it");
        assertNull(m.refusedReason(), "the method is not refused");
        assertEquals(1, m.region().size(), "that result is stored");
        assertEquals(0, m.uncacheableResults());
        Vet unloaded = (Vet) m.enter(null, 1L, null, null);
        assertNotSame(lazy, unloaded);
        assertNotSame(lazy.specialties, unloaded.specialties);
        assertEquals(lazy.specialties.getClass(), unloaded.specialties.getClass(), "still unloaded, of Hibernate's class");
        assertEquals(false, ((org.hibernate.collection.spi.PersistentCollection<?>) unloaded.specialties).wasInitialized());
        assertEquals(1, m.stats().hits());

        m.region().invalidateAll();
        Vet complete = new Vet();
        complete.name = "James";
        complete.specialties = new org.hibernate.collection.spi.PersistentBag<>(null, List.of("radiology"));
        assertSame(complete, load(m, 1, complete), "a miss again: the body runs, and this result is stored");
        Vet hit = (Vet) m.enter(null, 1L, null, null);
        assertNotSame(complete, hit);
        assertEquals(ArrayList.class, hit.specialties.getClass(), "a plain list, no session");
        assertEquals(List.of("radiology"), hit.specialties);
        assertEquals(2, m.stats().hits());
    }

    @Test
    void nullIsCachedAsNullAndNeverCopied() {
        ReadThroughMethod m = TestMethods.readThrough("com.acme.Owners.find(long)", "owners", CopyKind.VALUE);
        load(m, 1, null);
        assertSame(dev.recall.bridge.Bridge.NULL, m.enter(null, 1L, null, null));
    }
}
