package dev.recall.agent.method;

import com.acme.fixtures.TracedRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

/**
 * Run by {@link ReadPathMethodTraceTest} on JDK 25 or later, in a JVM of its own with the agent on
 * {@code -javaagent}: calls {@link TracedRepository#find}, which the agent wove, and records with JFR's method
 * tracing (JEP 520, {@code jdk.MethodTrace}) every invocation of a method of the agent's classes and of the woven
 * class. For each measured call it prints the source files (nested classes folded into their file) whose methods
 * the calling thread ran between the marks around the call: one line per phase, {@code files <phase> <file>...},
 * with the agent's files by their path below {@code dev/recall/} and the woven class's by its full path.
 *
 * <p>The phases: the method's first call (a miss) and first hit, as they come; then, after warm-up calls that take
 * the method past its one-off work (the first loads' argument-write checks, the value-copy analysis of the result
 * type, the first reads of the store), a miss and a hit as every later call makes them.
 */
final class ReadPathMethodTrace {

    static final String WOVEN = TracedRepository.class.getName();

    private ReadPathMethodTrace() {
    }

    /**
     * @param args {@code local} or {@code redis} (the method's store, as the agent's configuration chose it); the agent
     *     jar; the recording's file; a further argument prints each phase's methods too, and where the class file
     *     transformer ran during a call (the JVM loaded a class) the stack that loaded it
     */
    public static void main(String[] args) throws Exception {
        boolean redis = args[0].equals("redis");
        Path recordingFile = Path.of(args[2]);
        List<String> phases = new ArrayList<>();
        long thread = Thread.currentThread().getId();
        try (Recording recording = new Recording()) {
            recording.enable("jdk.MethodTrace").with("filter", filter(Path.of(args[1]))).withStackTrace();
            recording.start();
            TracedRepository repo = new TracedRepository();
            if (redis) {
                // The agent connects to Redis in the background: until it has, calls run uncached.
                long deadline = System.nanoTime() + 10_000_000_000L;
                int before;
                do {
                    before = TracedRepository.bodyRuns;
                    repo.find(0);
                } while (TracedRepository.bodyRuns != before && System.nanoTime() < deadline);
                if (TracedRepository.bodyRuns != before) {
                    throw new AssertionError("Redis was not readable within 10 s: no call of find(0) hit");
                }
            } else {
                measure(repo, phases, "first-miss", 0, true);
                measure(repo, phases, "first-hit", 0, false);
            }
            // Past the one-off work of the first calls: the first loads, whose arguments are checked for writes (the
            // first 8 loads, then one in 64: see ReadMethod#checksArguments; the measured miss is the 61st load), and the
            // classes the latency histogram loads as it first grows past a few values (Latencies), which would
            // otherwise show the class file transformer in a trace, at random, as the JVM loads them.
            for (long id = 1; id < 60; id++) {
                call(repo, id, true);
                call(repo, id, false);
            }
            measure(repo, phases, "miss", 60, true);
            measure(repo, phases, "hit", 60, false);
            recording.stop();
            recording.dump(recordingFile);
        }
        List<RecordedEvent> events = new ArrayList<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(recordingFile)) {
            if (e.getEventType().getName().equals("jdk.MethodTrace") && e.getThread() != null
                    && e.getThread().getJavaThreadId() == thread) {
                events.add(e);
            }
        }
        events.sort(Comparator.comparing(RecordedEvent::getStartTime));
        List<Instant> marks = new ArrayList<>();
        for (RecordedEvent e : events) {
            RecordedMethod m = e.getValue("method");
            if (m.getType().getName().equals(WOVEN) && m.getName().equals("mark")) {
                marks.add(e.getStartTime());
            }
        }
        if (marks.size() != 2 * phases.size()) {
            throw new AssertionError(marks.size() + " marks recorded for " + phases.size() + " phases");
        }
        for (int i = 0; i < phases.size(); i++) {
            Set<String> files = new TreeSet<>();
            Set<String> methods = new TreeSet<>();
            for (RecordedEvent e : events) {
                RecordedMethod m = e.getValue("method");
                if (e.getStartTime().isAfter(marks.get(2 * i)) && e.getStartTime().isBefore(marks.get(2 * i + 1))) {
                    String type = m.getType().getName();
                    files.add(fileOf(type));
                    methods.add(type + "." + m.getName() + m.getDescriptor());
                    if (args.length > 3 && type.startsWith("dev.recall.agent.instrumentation.") && e.getStackTrace() != null) {
                        e.getStackTrace().getFrames().stream().limit(40).forEach(f -> System.out.println("    at "
                                + f.getMethod().getType().getName() + "." + f.getMethod().getName() + ":" + f.getLineNumber()));
                    }
                }
            }
            if (args.length > 3) {
                methods.forEach(m -> System.out.println("  " + m));
            }
            System.out.println("files " + phases.get(i) + " " + String.join(" ", files));
        }
    }

    /** One call whose phase the recording can find: between two marks. */
    private static void measure(TracedRepository repo, List<String> phases, String phase, long id, boolean miss) {
        phases.add(phase);
        TracedRepository.mark(phase);
        int before = TracedRepository.bodyRuns;
        String r = repo.find(id);
        int ran = TracedRepository.bodyRuns - before;
        TracedRepository.mark(phase);
        check(phase, id, r, ran, miss);
    }

    private static void call(TracedRepository repo, long id, boolean miss) {
        int before = TracedRepository.bodyRuns;
        check("warm-up", id, repo.find(id), TracedRepository.bodyRuns - before, miss);
    }

    private static void check(String phase, long id, String r, int ran, boolean miss) {
        if (!("thing " + id).equals(r) || ran != (miss ? 1 : 0)) {
            throw new AssertionError(phase + ": find(" + id + ") returned " + r + " and ran the body " + ran
                    + " times, expected a " + (miss ? "miss" : "hit"));
        }
    }

    /** The source file of a class: nested classes (and lambdas' hosts) folded into their top-level class's file. */
    static String fileOf(String className) {
        int nested = className.indexOf('$');
        String top = (nested < 0 ? className : className.substring(0, nested)).replace('.', '/') + ".java";
        return top.startsWith("dev/recall/") ? top.substring("dev/recall/".length()) : top;
    }

    /** JFR's method filter for every class of the agent's own (not the libraries shaded into it) and the woven one. */
    private static String filter(Path agentJar) throws IOException {
        List<String> classes = new ArrayList<>();
        classes.add(WOVEN);
        try (JarFile jar = new JarFile(agentJar.toFile())) {
            for (JarEntry e : java.util.Collections.list(jar.entries())) {
                String name = e.getName();
                if (name.startsWith("dev/recall/") && !name.startsWith("dev/recall/shaded/") && name.endsWith(".class")
                        && !name.endsWith("package-info.class")) {
                    classes.add(name.substring(0, name.length() - ".class".length()).replace('/', '.'));
                }
            }
        }
        return String.join(";", classes);
    }
}
