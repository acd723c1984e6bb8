package dev.recall.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code caches:}, Recall's settings by JSR-107 cache name, read by the rule readers. */
class CachesConfigTest {

    @Test
    void theContractExampleGivesEachCacheItsSettings() {
        RecallConfig c = ConfigLoader.parse("recall.yml", """
                redis: { uri: redis://127.0.0.1:6379, secret: 0123456789abcdef0123456789abcdef }
                caches:
                  blogManager: { ttl: 10m, store: two-level }
                  short:
                    ttl: 50ms
                    copy: reference
                """);
        assertTrue(c.usable(), c.errors().toString());
        MethodRule blog = c.caches().get("blogManager");
        assertEquals(Duration.ofMinutes(10), blog.get(Settings.TTL));
        assertEquals(StoreKind.TWO_LEVEL, blog.get(Settings.STORE));
        assertEquals("blogManager", blog.get(Settings.CACHE));
        assertNull(blog.pattern());
        assertEquals(Duration.ofMillis(50), c.caches().get("short").get(Settings.TTL));
        assertEquals(CopyKind.REFERENCE, c.caches().get("short").get(Settings.COPY));
    }

    @Test
    void keysThatNameMethodsOrKeysAreRefusedWithTheLine() {
        RecallConfig c = ConfigLoader.parse("recall.yml", """
                caches:
                  blog: { ttl: 10m, key: "{0}" }
                  other: { ttl: soon }
                """);
        assertFalse(c.usable());
        String errors = c.errors().toString();
        assertTrue(errors.contains("unknown key 'key' in the settings of cache 'blog'"), errors);
        assertTrue(errors.contains("recall.yml:3"), errors);
    }

    @Test
    void aListInsteadOfASectionIsExplained() {
        RecallConfig c = ConfigLoader.parse("recall.yml", "caches:\n  - blog\n");
        assertTrue(c.errors().toString().contains("'caches:' must be a section of cache names"), c.errors().toString());
    }
}
