package dev.recall.agent.codec.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.agent.codec.ClassAllowlist;
import dev.recall.agent.codec.CodecException;
import dev.recall.agent.codec.UncacheableValueException;
import dev.recall.agent.codec.ValueCodec;
import dev.recall.agent.codec.ValueCopier;
import java.util.List;
import java.util.Set;
import org.hibernate.bytecode.enhance.spi.interceptor.LazyAttributeLoadingInterceptor;
import org.hibernate.engine.spi.PersistentAttributeInterceptable;
import org.hibernate.engine.spi.PersistentAttributeInterceptor;
import org.junit.jupiter.api.Test;

/**
 * An entity as Hibernate's bytecode enhancement leaves it (Quarkus enhances by default): the fields enhancement adds,
 * written here by hand as the enhancer writes them, with Hibernate's real lazy-attribute interceptor.
 */
class EnhancedEntityTest {

    public static class Article implements PersistentAttributeInterceptable {
        Long id;
        String title;
        String body; // lazy
        private transient PersistentAttributeInterceptor $$_hibernate_attributeInterceptor;
        private transient Object $$_hibernate_entityEntryHolder = new Object();
        private transient Article $$_hibernate_nextManagedEntity;

        @Override
        public PersistentAttributeInterceptor $$_hibernate_getInterceptor() {
            return $$_hibernate_attributeInterceptor;
        }

        @Override
        public void $$_hibernate_setInterceptor(PersistentAttributeInterceptor interceptor) {
            $$_hibernate_attributeInterceptor = interceptor;
        }
    }

    private final ValueCodec codec = new ValueCodec(ClassAllowlist.of(List.of("dev.recall.agent.codec.jpa.**")));

    @Test
    void enhancementStateNeverSurvivesAndAnUnloadedLazyAttributeIsUncacheable() throws CodecException {
        Article a = new Article();
        a.id = 7L;
        a.title = "Caching";
        a.$$_hibernate_nextManagedEntity = new Article();
        LazyAttributeLoadingInterceptor interceptor = new LazyAttributeLoadingInterceptor("Article", 7L, Set.of("body"), null);
        a.$$_hibernate_setInterceptor(interceptor);

        UncacheableValueException lazy = assertThrows(UncacheableValueException.class, () -> ValueCopier.copy(a));
        assertEquals(UncacheableValueException.LAZY_ATTRIBUTE, lazy.reason());
        assertThrows(UncacheableValueException.class, () -> codec.encode(a));

        interceptor.attributeInitialized("body");
        a.body = "loaded";
        for (Object c : List.of(ValueCopier.copy(a), codec.decode(codec.encode(a), getClass().getClassLoader()))) {
            Article copy = (Article) c;
            assertEquals("Caching", copy.title);
            assertEquals("loaded", copy.body);
            assertNull(copy.$$_hibernate_getInterceptor(), "no interceptor, so no session");
            assertNull(copy.$$_hibernate_entityEntryHolder);
            assertNull(copy.$$_hibernate_nextManagedEntity);
        }
        assertTrue(a.$$_hibernate_getInterceptor() == interceptor, "the original is untouched");
    }
}
