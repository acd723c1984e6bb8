package dev.recall.agent.codec.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.agent.codec.ClassAllowlist;
import dev.recall.agent.codec.CodecException;
import dev.recall.agent.codec.UncacheableValueException;
import dev.recall.agent.codec.ValueCodec;
import dev.recall.agent.codec.ValueCopier;
import jakarta.persistence.CascadeType;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OneToMany;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import org.hibernate.Hibernate;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.annotations.SortNatural;
import org.hibernate.cfg.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 24: Hibernate entities held by value as detached copies, with real persistent collections and proxies made
 * by a real session over H2. The agent compiles against no Hibernate class; these tests do.
 */
class HibernateValuesTest {

    @Entity(name = "Owner")
    public static class Owner {
        @Id
        Long id;
        String name;

        public String getName() {
            return name;
        }
        @OneToMany(mappedBy = "owner", fetch = FetchType.LAZY, cascade = CascadeType.ALL)
        List<Pet> pets = new ArrayList<>();
        @ElementCollection(fetch = FetchType.LAZY)
        Set<String> tags = new LinkedHashSet<>();
        @ElementCollection(fetch = FetchType.LAZY)
        @SortNatural
        SortedSet<String> nicknames = new TreeSet<>();
        @ElementCollection(fetch = FetchType.LAZY)
        Map<String, String> attributes = new LinkedHashMap<>();
    }

    @Entity(name = "Pet")
    public static class Pet {
        @Id
        Long id;
        String name;
        @ManyToOne(fetch = FetchType.LAZY)
        Owner owner;
    }

    private static SessionFactory factory;
    private final ValueCodec codec = new ValueCodec(ClassAllowlist.of(List.of("dev.recall.agent.codec.jpa.**")));

    @BeforeAll
    static void database() {
        factory = new Configuration().addAnnotatedClass(Owner.class).addAnnotatedClass(Pet.class)
                .setProperty("hibernate.connection.url", "jdbc:h2:mem:recall-copy;DB_CLOSE_DELAY=-1")
                .setProperty("hibernate.connection.username", "sa")
                .setProperty("hibernate.hbm2ddl.auto", "create-drop")
                .setProperty("hibernate.show_sql", "false")
                .buildSessionFactory();
        factory.inTransaction(s -> {
            Owner george = new Owner();
            george.id = 1L;
            george.name = "George";
            george.tags.add("vip");
            george.nicknames.addAll(List.of("G", "Geo"));
            george.attributes.put("city", "Madison");
            for (long i = 1; i <= 2; i++) {
                Pet pet = new Pet();
                pet.id = i;
                pet.name = i == 1 ? "Leo" : "Basil";
                pet.owner = george;
                george.pets.add(pet);
            }
            s.persist(george);
        });
    }

    @AfterAll
    static void close() {
        factory.close();
    }

    private List<Function<Object, Object>> ways() {
        return List.of(v -> {
            try {
                return ValueCopier.copy(v);
            } catch (CodecException e) {
                throw new AssertionError(e.getMessage(), e);
            }
        }, v -> {
            try {
                return codec.decode(codec.encode(v), getClass().getClassLoader());
            } catch (CodecException e) {
                throw new AssertionError(e.getMessage(), e);
            }
        });
    }

    private static Owner loaded(Session s) {
        Owner o = s.get(Owner.class, 1L);
        Hibernate.initialize(o.pets);
        Hibernate.initialize(o.tags);
        Hibernate.initialize(o.nicknames);
        Hibernate.initialize(o.attributes);
        return o;
    }

    @Test
    void anInitializedEntityGraphBecomesPlainJdkCollectionsAndNoHibernateClass() {
        Owner o;
        try (Session s = factory.openSession()) {
            o = loaded(s);
            assertTrue(o.pets.getClass().getName().startsWith("org.hibernate."), o.pets.getClass().getName());
            for (Function<Object, Object> way : ways()) {
                Owner c = (Owner) way.apply(o);
                assertNotSame(o, c);
                assertEquals(ArrayList.class, c.pets.getClass(), "bag -> ArrayList");
                assertEquals(LinkedHashSet.class, c.tags.getClass(), "set -> LinkedHashSet");
                assertEquals(TreeSet.class, c.nicknames.getClass(), "sorted set -> TreeSet");
                assertEquals(LinkedHashMap.class, c.attributes.getClass(), "map -> LinkedHashMap");
                assertEquals(List.of("Leo", "Basil"), c.pets.stream().map(p -> p.name).toList());
                assertEquals(List.of("G", "Geo"), new ArrayList<>(c.nicknames));
                assertEquals(Map.of("city", "Madison"), c.attributes);
                assertSame(c, c.pets.get(0).owner, "the pets' owner is the copy itself, not a second one");
                assertEquals(List.of(), hibernateObjectsIn(c), "nothing of Hibernate (or its session) survives");
            }
        }
    }

    @Test
    void anInitializedProxyBecomesItsEntity() throws CodecException {
        try (Session s = factory.openSession()) {
            Owner proxy = s.getReference(Owner.class, 1L);
            assertFalse(Hibernate.isInitialized(proxy));
            UncacheableValueException lazy = assertThrows(UncacheableValueException.class, () -> ValueCopier.copy(proxy));
            assertEquals(UncacheableValueException.LAZY_ASSOCIATION, lazy.reason());
            Hibernate.initialize(proxy);
            Owner target = (Owner) Hibernate.unproxy(proxy);
            Hibernate.initialize(target.pets);
            Hibernate.initialize(target.tags);
            Hibernate.initialize(target.nicknames);
            Hibernate.initialize(target.attributes);
            assertTrue(proxy.getClass() != Owner.class, "a proxy class");
            for (Function<Object, Object> way : ways()) {
                Object c = way.apply(proxy);
                assertEquals(Owner.class, c.getClass());
                assertEquals("George", ((Owner) c).name);
                assertEquals(List.of(), hibernateObjectsIn(c));
            }
        }
    }

    @Test
    void anUninitializedLazyAssociationMakesThatResultUncacheableWithAReason() {
        try (Session s = factory.openSession()) {
            Owner o = s.get(Owner.class, 1L);
            assertFalse(Hibernate.isInitialized(o.pets));
            UncacheableValueException copy = assertThrows(UncacheableValueException.class, () -> ValueCopier.copy(o));
            assertEquals("uninitialized-lazy-association", copy.reason());
            assertTrue(copy.getMessage().contains("fetch join"), copy.getMessage());
            assertFalse(copy.getMessage().contains("DTO") || copy.getMessage().contains("unproxy"), copy.getMessage());
            UncacheableValueException encode = assertThrows(UncacheableValueException.class, () -> codec.encode(o));
            assertEquals("uninitialized-lazy-association", encode.reason());
            assertFalse(Hibernate.isInitialized(o.pets), "copying loaded nothing");
        }
        try (Session s = factory.openSession()) {
            Pet pet = s.get(Pet.class, 2L);
            assertFalse(Hibernate.isInitialized(pet.owner));
            assertThrows(UncacheableValueException.class, () -> ValueCopier.copy(pet), "a lazy many-to-one proxy");
        }
    }

    /**
     * Issue 24, what was not loaded: a result whose lazy parts were detached when its session closed is copied with
     * them still unloaded and detached, so the copy answers as the original does for a caller with no session (the
     * same LazyInitializationException, the proxy's identifier); one whose session is still open is refused, since
     * its caller could load them and a copy could not.
     */
    @Test
    void unloadedLazyPartsDetachedFromTheirSessionAreCopiedUnloadedAndThrowAsTheOriginal() throws CodecException {
        Owner o;
        Pet pet;
        try (Session s = factory.openSession()) {
            o = s.get(Owner.class, 1L);
            assertThrows(UncacheableValueException.class, () -> ValueCopier.copyKeepingUnloaded(o), "attached: its caller can load it");
        }
        try (Session s = factory.openSession()) {
            pet = s.get(Pet.class, 2L);
            assertFalse(Hibernate.isInitialized(pet.owner));
            assertThrows(UncacheableValueException.class, () -> ValueCopier.copyKeepingUnloaded(pet), "attached proxy");
        }
        ValueCopier.Unloaded held = assertInstanceOf(ValueCopier.Unloaded.class, ValueCopier.copyKeepingUnloaded(o));
        // What a hit hands out: a copy of the held copy.
        Owner c = (Owner) assertInstanceOf(ValueCopier.Unloaded.class, ValueCopier.copyKeepingUnloaded(held.copy())).copy();
        assertNotSame(o, c);
        assertEquals("George", c.name);
        assertFalse(Hibernate.isInitialized(c.pets));
        assertNotSame(o.pets, c.pets);
        RuntimeException original = assertThrows(RuntimeException.class, () -> o.pets.size());
        RuntimeException copy = assertThrows(RuntimeException.class, () -> c.pets.size());
        assertEquals(original.getClass(), copy.getClass());
        assertEquals(original.getMessage(), copy.getMessage());
        assertEquals("org.hibernate.LazyInitializationException", copy.getClass().getName());

        Pet p = (Pet) assertInstanceOf(ValueCopier.Unloaded.class, ValueCopier.copyKeepingUnloaded(pet)).copy();
        assertNotSame(pet.owner, p.owner);
        assertFalse(Hibernate.isInitialized(p.owner));
        assertEquals(pet.owner.getClass(), p.owner.getClass(), "a proxy of the same class");
        assertEquals(1L, ((org.hibernate.proxy.HibernateProxy) p.owner).getHibernateLazyInitializer().getIdentifier());
        RuntimeException originalName = assertThrows(RuntimeException.class, () -> pet.owner.getName());
        RuntimeException copyName = assertThrows(RuntimeException.class, () -> p.owner.getName());
        assertEquals(originalName.getClass(), copyName.getClass());
        assertEquals(originalName.getMessage(), copyName.getMessage());

        // Without unloaded parts: an ordinary copy, not wrapped.
        try (Session s = factory.openSession()) {
            Owner whole = loaded(s);
            assertInstanceOf(Owner.class, ValueCopier.copyKeepingUnloaded(whole));
        }
    }

    /** Every object reachable from {@code root} whose class is Hibernate's (or generated by it). */
    private static List<String> hibernateObjectsIn(Object root) {
        List<String> found = new ArrayList<>();
        IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();
        List<Object> todo = new ArrayList<>(List.of(root));
        while (!todo.isEmpty()) {
            Object v = todo.remove(todo.size() - 1);
            if (v == null || seen.put(v, true) != null) {
                continue;
            }
            String name = v.getClass().getName();
            if (name.startsWith("org.hibernate.") || name.contains("$HibernateProxy$")) {
                found.add(name);
            }
            if (v instanceof Collection<?> c) {
                todo.addAll(c);
            } else if (v instanceof Map<?, ?> m) {
                todo.addAll(m.keySet());
                todo.addAll(m.values());
            } else if (v.getClass().isArray() && !v.getClass().getComponentType().isPrimitive()) {
                for (int i = 0; i < Array.getLength(v); i++) {
                    todo.add(Array.get(v, i));
                }
            } else if (!name.startsWith("java.")) {
                for (Class<?> c = v.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
                    for (Field f : c.getDeclaredFields()) {
                        if (!Modifier.isStatic(f.getModifiers()) && !f.getType().isPrimitive() && f.trySetAccessible()) {
                            try {
                                todo.add(f.get(v));
                            } catch (IllegalAccessException e) {
                                throw new AssertionError(e);
                            }
                        }
                    }
                }
            }
        }
        return found;
    }

    @Test
    void hibernateObjectsInFindsWhatItLooksFor() {
        try (Session s = factory.openSession()) {
            assertFalse(hibernateObjectsIn(loaded(s)).isEmpty(), "the managed entity holds persistent collections");
            assertInstanceOf(Owner.class, s.get(Owner.class, 1L));
            assertNull(null);
        }
    }
}
