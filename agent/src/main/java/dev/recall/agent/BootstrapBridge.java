package dev.recall.agent;

import dev.recall.agent.log.Log;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Makes the {@code dev.recall.bridge} package, and only it, visible from the bootstrap class loader, so
 * that advice woven into classes of any class loader can reach the agent. The agent's own code and its
 * libraries stay off the bootstrap path.
 *
 * <p>The classes are defined directly in the boot loader. Appending a jar to the bootstrap search path
 * would do the same, but makes the JVM turn off class-data sharing for application classes and print a
 * warning on standard output, which is the application's and not ours to write to. If the direct route
 * is closed (a future JDK), the append is the fallback.
 */
final class BootstrapBridge {

    private static final String PACKAGE = "dev/recall/bridge/";
    /** The simple file names of the bridge's classes, one per line. */
    static final String LIST = "dev/recall/agent/bridge-classes.txt";

    private BootstrapBridge() {
    }

    /** True once an earlier installation (one whose configuration was refused) defined the bridge. */
    static boolean present() {
        try {
            Class.forName("dev.recall.bridge.Bridge", false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    static void inject(Instrumentation instrumentation, File agentJar) throws IOException {
        Map<String, byte[]> classes = read(agentJar);
        try {
            defineInBootLoader(instrumentation, classes);
        } catch (Throwable directRouteClosed) {
            Log.debug("defining the bridge in the boot loader failed (" + directRouteClosed + "); appending a jar instead");
            appendJar(instrumentation, classes);
        }
    }

    /**
     * The classes named in {@code bridge-classes.txt}, looked up by name: walking the jar's thousands of
     * entries costs milliseconds of the application's start. AgentJarIT holds the list equal to the jar.
     */
    private static Map<String, byte[]> read(File agentJar) throws IOException {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try (JarFile source = new JarFile(agentJar)) {
            for (String simpleName : names(source)) {
                JarEntry e = source.getJarEntry(PACKAGE + simpleName);
                if (e == null) {
                    throw new IOException(agentJar + " lacks " + PACKAGE + simpleName + "; is it the shaded recall-agent.jar?");
                }
                try (InputStream in = source.getInputStream(e)) {
                    classes.put(e.getName(), in.readAllBytes());
                }
            }
        }
        if (classes.isEmpty()) {
            throw new IOException(agentJar + " holds no " + PACKAGE + " classes; is it the shaded recall-agent.jar?");
        }
        return classes;
    }

    private static List<String> names(JarFile source) throws IOException {
        JarEntry list = source.getJarEntry(LIST);
        if (list == null) {
            throw new IOException(source.getName() + " lacks " + LIST + "; is it the shaded recall-agent.jar?");
        }
        List<String> names = new ArrayList<>();
        try (InputStream in = source.getInputStream(list)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    names.add(line.trim());
                }
            }
        }
        return names;
    }

    private static void defineInBootLoader(Instrumentation instrumentation, Map<String, byte[]> classes) throws Exception {
        Module base = Object.class.getModule();
        Module self = BootstrapBridge.class.getModule();
        instrumentation.redefineModule(base, Set.of(), Map.of("jdk.internal.misc", Set.of(self)),
                Map.of("jdk.internal.misc", Set.of(self)), Set.of(), Map.of());
        Class<?> unsafeType = Class.forName("jdk.internal.misc.Unsafe");
        Object unsafe = unsafeType.getMethod("getUnsafe").invoke(null);
        Method define = unsafeType.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                ClassLoader.class, ProtectionDomain.class);
        for (Map.Entry<String, byte[]> c : classes.entrySet()) {
            String name = c.getKey().substring(0, c.getKey().length() - ".class".length()).replace('/', '.');
            define.invoke(unsafe, name, c.getValue(), 0, c.getValue().length, null, null);
        }
    }

    private static void appendJar(Instrumentation instrumentation, Map<String, byte[]> classes) throws IOException {
        File bridgeJar = File.createTempFile("recall-bridge-", ".jar");
        bridgeJar.deleteOnExit();
        try (OutputStream file = Files.newOutputStream(bridgeJar.toPath()); JarOutputStream out = new JarOutputStream(file)) {
            for (Map.Entry<String, byte[]> c : classes.entrySet()) {
                out.putNextEntry(new JarEntry(c.getKey()));
                out.write(c.getValue());
                out.closeEntry();
            }
        }
        instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(bridgeJar));
    }
}
