package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.it.app.AttachTargetApp;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code recall-agent.jar attach PID}: into a JVM that is already running, and what the command says of it. */
class AttachIT {

    /** The command's exit status and everything it printed. */
    private record Outcome(int status, String output) {
    }

    private static Outcome attach(long pid, String... options) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(AppJvm.JAVA, "-jar", AppJvm.AGENT_JAR.toString(),
                "attach", Long.toString(pid)));
        command.addAll(List.of(options));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        return new Outcome(p.waitFor(), output);
    }

    @Test
    void attachingToARunningJvmCachesClassesItHadAlreadyLoaded() throws Exception {
        AppJvm.Running app = AppJvm.main(AttachTargetApp.class).withoutAgent().start();
        assertEquals("beforeAttach.calls=2", app.awaitLine("beforeAttach.calls=", Duration.ofSeconds(30)));
        app.awaitLine("ready", Duration.ofSeconds(30));

        Outcome attach = attach(app.pid(), "config=" + AppJvm.resource("ttl-default.yml"));
        assertEquals(0, attach.status(), attach.output());
        assertTrue(attach.output().contains("agent loaded into JVM " + app.pid()), attach.output());
        assertTrue(attach.output().contains("ttl-default.yml (0 method rules"), attach.output());

        app.send("go");
        Result r = app.await(Duration.ofSeconds(30)).assertSucceeded();
        assertEquals(3, r.intValue("afterAttach.calls"), "one load after the attach, then hits\n" + r);
        assertEquals("attach", r.value("agent.installed"));
        assertTrue(r.stderrText().contains("[recall] agent") && r.stderrText().contains("attached"), r::toString);
    }

    /**
     * A file with an error: the command says so with its file and line and exits 78, nothing is cached,
     * and the fixed file attached next is applied without a restart. A third attach is refused.
     */
    @Test
    void aRefusedConfigurationIsReportedAndCanBeReplacedByTheFixedFile() throws Exception {
        AppJvm.Running app = AppJvm.main(AttachTargetApp.class).withoutAgent().start();
        app.awaitLine("ready", Duration.ofSeconds(30));

        Outcome bad = attach(app.pid(), "config=" + AppJvm.resource("attach-bad.yml"));
        assertEquals(78, bad.status(), bad.output());
        assertTrue(bad.output().contains("attach-bad.yml:3"), "the error names file and line:\n" + bad.output());
        assertTrue(bad.output().contains("'soon' is not a duration"), bad.output());
        assertFalse(bad.output().contains("agent loaded"), bad.output());

        Outcome good = attach(app.pid(), "config=" + AppJvm.resource("ttl-default.yml"));
        assertEquals(0, good.status(), "the fixed file replaces the refused one:\n" + good.output());

        Outcome third = attach(app.pid(), "config=" + AppJvm.resource("ttl-default.yml"));
        assertEquals(78, third.status(), third.output());
        assertTrue(third.output().contains("already installed"), third.output());

        app.send("go");
        Result r = app.await(Duration.ofSeconds(30)).assertSucceeded();
        assertEquals(3, r.intValue("afterAttach.calls"), "cached after the second attach\n" + r);
        assertEquals("attach", r.value("agent.installed"));
        assertEquals(1, r.stderrMatching("attached in").size(), "installed once\n" + r);
        assertTrue(r.stderrMatching("Exception").isEmpty(), "no stack trace in the application's output\n" + r);
    }

    @Test
    void theAttachCommandExplainsAProcessItCannotAttachTo() throws Exception {
        Outcome o = attach(999999999L);
        assertEquals(1, o.status(), o.output());
        assertTrue(o.output().contains("cannot attach to JVM 999999999"), o.output());
    }
}
