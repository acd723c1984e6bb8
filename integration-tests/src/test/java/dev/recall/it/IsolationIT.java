package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.it.app.ChildLoaderApp;
import dev.recall.it.app.OwnCaffeineApp;
import org.junit.jupiter.api.Test;

/** The agent in class-loader set-ups users have. */
class IsolationIT {

    @Test
    void aClassOfAnIsolatedChildClassLoaderIsCached() {
        Result r = AppJvm.main(ChildLoaderApp.class).run().assertSucceeded();
        assertEquals("true", r.value("loader.isolated"));
        assertEquals("[hello a, hello a, hello b]", r.value("child.results"));
        assertEquals(2, r.intValue("child.calls"), r::toString);
    }

    @Test
    void anApplicationWithItsOwnOlderCaffeineKeepsIt() {
        Result r = AppJvm.main(OwnCaffeineApp.class).run().assertSucceeded();
        assertEquals("from_the_application's_cache", r.value("own.value"));
        assertTrue(r.value("own.jar").startsWith("caffeine-2."), r::toString);
        assertEquals(1, r.intValue("cached.calls"), r::toString);
    }
}
