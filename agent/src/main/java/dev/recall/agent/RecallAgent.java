package dev.recall.agent;

import dev.recall.agent.log.Log;

import java.io.File;
import java.lang.instrument.Instrumentation;

/**
 * The agent's entry points: {@code premain} for {@code -javaagent}, {@code agentmain} for attaching to a
 * running JVM, {@code main} for the command line. Deliberately tiny: it puts the bridge on the bootstrap
 * path and hands over to {@link Recall}, and whatever goes wrong it never throws into the application.
 */
public final class RecallAgent {

    /** Set once the agent is installed in this JVM, so a second -javaagent or attach does nothing. */
    static final String INSTALLED = "dev.recall.agent.installed";

    private RecallAgent() {
    }

    public static void premain(String args, Instrumentation instrumentation) {
        start(args, instrumentation, true);
    }

    public static void agentmain(String args, Instrumentation instrumentation) {
        start(args, instrumentation, false);
    }

    public static void main(String[] args) {
        dev.recall.agent.cli.Cli.main(args);
    }

    private static void start(String args, Instrumentation instrumentation, boolean atStartup) {
        try {
            synchronized (RecallAgent.class) {
                if (System.getProperty(INSTALLED) != null) {
                    Log.warn("the agent is already installed in this JVM (" + System.getProperty(INSTALLED)
                            + "); ignoring this " + (atStartup ? "-javaagent" : "attach"));
                    return;
                }
                System.setProperty(INSTALLED, atStartup ? "-javaagent" : "attach");
            }
            File jar = new File(RecallAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            BootstrapBridge.inject(instrumentation, jar);
            // Loaded only now, after the bridge is on the bootstrap path: Recall's classes link against it.
            Class.forName("dev.recall.agent.Recall", true, RecallAgent.class.getClassLoader())
                    .getMethod("start", String.class, Instrumentation.class, boolean.class)
                    .invoke(null, args, instrumentation, atStartup);
        } catch (Throwable t) {
            Throwable cause = t instanceof java.lang.reflect.InvocationTargetException ? t.getCause() : t;
            Log.once("start", "the agent could not start; the application runs without caching", cause);
        }
    }
}
