package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.Cached;
import dev.recall.it.app.TooLargeMethodApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cached method whose code is so close to the JVM's 64 KB limit that the woven calls push it over: it
 * alone runs uncached, with a message that says why, and the other cached method of its class is cached.
 */
class TooLargeMethodIT {

    /**
     * {@code big}'s body is 8 + 5 + 6 x 10,915 = 65,503 bytes of code (the counter, {@code iconst_0
     * istore_2}, then {@code iload_2 sipush ixor istore_2} per line, then {@code ldc areturn}), which javac
     * accepts and any weaving of more than 32 bytes makes too large.
     */
    private static String source() {
        StringBuilder b = new StringBuilder("package com.acme;\n\npublic class Big {\n")
                .append("    public static int smallCalls;\n    public static int bigCalls;\n\n")
                .append("    @dev.recall.Cached\n    public static String small(long id) {\n")
                .append("        smallCalls++;\n        return \"small \" + id;\n    }\n\n")
                .append("    @dev.recall.Cached\n    public static String big(long id) {\n")
                .append("        bigCalls++;\n        int x = 0;\n");
        for (int i = 0; i < 10_915; i++) {
            b.append("        x ^= ").append(1000 + i % 20000).append(";\n");
        }
        return b.append("        return \"big\";\n    }\n}\n").toString();
    }

    @Test
    void aMethodTooLargeToWeaveRunsAsWrittenAndItsSiblingIsCached(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src/com/acme/Big.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, source());
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String annotations = Path.of(Cached.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        int status = javac.run(null, null, null, "-d", classes.toString(), "-cp", annotations, src.toString());
        assertEquals(0, status, "com.acme.Big compiles: its big method is under 64 KB as written");

        Result r = AppJvm.main(TooLargeMethodApp.class).args(classes.toString()).run().assertSucceeded();
        assertEquals("small 7", r.value("small.result"));
        assertEquals("big", r.value("big.result"));
        assertEquals(1, r.intValue("small.calls"), "small is cached: one call, then hits\n" + r);
        assertEquals(3, r.intValue("big.calls"), "big runs as written, every time\n" + r);
        List<String> refused = r.stderrMatching("com.acme.Big.big");
        assertEquals(1, refused.size(), "one line about big, and only big\n" + r);
        assertTrue(refused.get(0).contains("64 KB"), refused.get(0));
        assertTrue(r.stderrMatching("small").isEmpty(), "nothing is said of small\n" + r);
        assertTrue(r.stderrMatching("Exception").isEmpty(), r::toString);
    }
}
