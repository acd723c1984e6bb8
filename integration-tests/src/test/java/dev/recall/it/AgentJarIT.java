package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** The shaded agent jar: self-contained, and nothing in it can clash with an application's classes. */
class AgentJarIT {

    @Test
    void everyClassIsUnderDevRecallWithThirdPartyCodeRelocated() throws Exception {
        List<String> outside = new ArrayList<>();
        int shaded = 0;
        try (JarFile jar = new JarFile(AppJvm.AGENT_JAR.toFile())) {
            for (JarEntry e : Collections.list(jar.entries())) {
                String name = e.getName().replaceFirst("^META-INF/versions/\\d+/", "");
                if (!name.endsWith(".class")) {
                    continue;
                }
                if (!name.startsWith("dev/recall/")) {
                    outside.add(e.getName());
                }
                if (name.startsWith("dev/recall/shaded/")) {
                    shaded++;
                }
            }
        }
        assertEquals(List.of(), outside, "classes outside dev/recall/");
        assertTrue(shaded > 1000, "ASM, Caffeine, Jedis and the YAML parser are inside, relocated: " + shaded);
    }

    /** Micrometer falls back to java.util.logging when SLF4J has no binding: the jar binds it to [recall]. */
    @Test
    void theLibrariesLogAsRecallAndNeverThroughJavaUtilLogging() {
        Result r = AppJvm.main(dev.recall.it.app.LibraryLoggingApp.class).run().assertSucceeded();
        assertEquals(0, r.intValue("jul.records"), r::toString);
        assertEquals(1, r.stderrMatching("[recall] WARNING: io.micrometer.core.instrument.MeterRegistry: probe from micrometer").size(), r::toString);
        assertEquals(1, r.stderrMatching("[recall] WARNING: redis.clients.jedis.Connection: probe from jedis").size(), r::toString);
        assertTrue(r.stderrMatching("SLF4J").isEmpty(), r::toString);
    }

    @Test
    void theBridgeListNamesEveryBridgeClass() throws Exception {
        try (JarFile jar = new JarFile(AppJvm.AGENT_JAR.toFile())) {
            List<String> inJar = new ArrayList<>();
            for (JarEntry e : Collections.list(jar.entries())) {
                if (e.getName().startsWith("dev/recall/bridge/") && e.getName().endsWith(".class")) {
                    inJar.add(e.getName().substring("dev/recall/bridge/".length()));
                }
            }
            List<String> listed = new ArrayList<>(List.of(new String(jar.getInputStream(
                    jar.getEntry("dev/recall/agent/bridge-classes.txt")).readAllBytes()).trim().split("\\s+")));
            Collections.sort(inJar);
            Collections.sort(listed);
            assertEquals(inJar, listed, "the agent defines the listed bridge classes in the boot loader; list them all");
        }
    }

    @Test
    void theManifestDeclaresTheAgentEntryPoints() throws Exception {
        try (JarFile jar = new JarFile(AppJvm.AGENT_JAR.toFile())) {
            Attributes a = jar.getManifest().getMainAttributes();
            assertEquals("dev.recall.agent.RecallAgent", a.getValue("Premain-Class"));
            assertEquals("dev.recall.agent.RecallAgent", a.getValue("Agent-Class"));
            assertEquals("dev.recall.agent.RecallAgent", a.getValue("Main-Class"));
            assertEquals("true", a.getValue("Can-Retransform-Classes"));
        }
    }

    @Test
    void theAnnotationsJarHoldsOnlyTheAnnotationsAndDeclaresNoDependencies() throws Exception {
        try (JarFile jar = new JarFile(System.getProperty("recall.it.annotationsJar"))) {
            List<String> classes = new ArrayList<>();
            String pom = null;
            for (JarEntry e : Collections.list(jar.entries())) {
                if (e.getName().endsWith(".class")) {
                    classes.add(e.getName());
                }
                if (e.getName().endsWith("/pom.xml")) {
                    pom = new String(jar.getInputStream(e).readAllBytes());
                }
            }
            Collections.sort(classes);
            assertEquals(List.of("dev/recall/CacheEvict.class", "dev/recall/CacheValue.class", "dev/recall/Cached.class",
                    "dev/recall/Copy.class", "dev/recall/Strategy.class"), classes);
            assertTrue(pom != null && !pom.contains("<dependency>"), "the annotations jar depends on nothing:\n" + pom);
        }
    }

    @Test
    void theAnnotationsAreNotInTheAgentJar() throws Exception {
        try (JarFile jar = new JarFile(AppJvm.AGENT_JAR.toFile())) {
            assertEquals(null, jar.getEntry("dev/recall/Cached.class"),
                    "annotations belong to the application's class path, not the agent's");
        }
    }
}
