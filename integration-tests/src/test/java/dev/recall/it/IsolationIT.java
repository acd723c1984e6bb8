package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.it.app.AttachTargetApp;
import dev.recall.it.app.ChildLoaderApp;
import dev.recall.it.app.OwnCaffeineApp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The agent in class-loader set-ups users have, and attached to a JVM that is already running. */
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

    @Test
    void attachingToARunningJvmCachesClassesItHadAlreadyLoaded() throws Exception {
        AppJvm.Running app = AppJvm.main(AttachTargetApp.class).withoutAgent().start();
        assertEquals("beforeAttach.calls=2", app.awaitLine("beforeAttach.calls=", Duration.ofSeconds(30)));
        app.awaitLine("ready", Duration.ofSeconds(30));

        List<String> attach = new ArrayList<>(List.of(AppJvm.JAVA, "-jar", AppJvm.AGENT_JAR.toString(),
                "attach", Long.toString(app.pid()), "config=" + AppJvm.resource("ttl-default.yml")));
        Process p = new ProcessBuilder(attach).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), output);
        assertTrue(output.contains("agent loaded into JVM " + app.pid()), output);

        app.send("go");
        Result r = app.await(Duration.ofSeconds(30)).assertSucceeded();
        assertEquals(3, r.intValue("afterAttach.calls"), "one load after the attach, then hits\n" + r);
        assertEquals("attach", r.value("agent.installed"));
        assertTrue(r.stderrText().contains("[recall] agent") && r.stderrText().contains("attached"), r::toString);
    }

    @Test
    void theAttachCommandExplainsAProcessItCannotAttachTo() throws Exception {
        Process p = new ProcessBuilder(AppJvm.JAVA, "-jar", AppJvm.AGENT_JAR.toString(), "attach", "999999999")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(1, p.waitFor(), output);
        assertTrue(output.contains("cannot attach to JVM 999999999"), output);
    }
}
