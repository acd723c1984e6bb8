package dev.recall.agent;

import dev.recall.agent.cli.AttachOutcome;
import dev.recall.agent.cli.AttachProtocol;
import dev.recall.agent.cli.Cli;
import dev.recall.agent.log.Log;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;

/**
 * The agent's entry points: {@code premain} for {@code -javaagent}, {@code agentmain} for attaching to a
 * running JVM, {@code main} for the command line. Deliberately tiny: it defines the bridge in the bootstrap class
 * loader ({@link BootstrapBridge}) and hands over to {@link Recall}, and whatever goes wrong it never throws into the
 * application.
 */
public final class RecallAgent {

    /**
     * Set once the agent is installed in this JVM, so a second -javaagent or attach does nothing. An
     * installation whose configuration was refused leaves it unset: a later attach may bring a fixed file.
     */
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
        Cli.main(args);
    }

    private static void start(String args, Instrumentation instrumentation, boolean atStartup) {
        AttachOutcome outcome;
        // Serialised: two attaches at once must not both install, and a replacement must see the one before.
        synchronized (RecallAgent.class) {
            outcome = install(args, instrumentation, atStartup);
        }
        String attachId = AgentArgs.attachId(args);
        if (attachId != null) {
            System.setProperty(AttachProtocol.OUTCOME_PREFIX + attachId, outcome.line());
        }
    }

    /** @return installed or refused, which the attach command prints */
    private static AttachOutcome install(String args, Instrumentation instrumentation, boolean atStartup) {
        String how = atStartup ? "-javaagent" : "attach";
        String installed = System.getProperty(INSTALLED);
        if (installed != null) {
            Log.warn("the agent is already installed in this JVM (" + installed + "); ignoring this " + how
                    + ". Its configuration is fixed until the JVM restarts");
            return AttachOutcome.refused("the agent is already installed in this JVM (" + installed + "); a configuration can"
                    + " only be replaced while the one before was refused. Restart the JVM to change it");
        }
        try {
            File jar = new File(RecallAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!BootstrapBridge.present()) {
                BootstrapBridge.inject(instrumentation, jar);
            }
            // Loaded only now, after the bridge is defined in the boot loader: Recall's classes link against it.
            AttachOutcome outcome = (AttachOutcome) Class.forName("dev.recall.agent.Recall", true, RecallAgent.class.getClassLoader())
                    .getMethod("start", String.class, Instrumentation.class, boolean.class)
                    .invoke(null, args, instrumentation, atStartup);
            if (outcome.installed()) {
                System.setProperty(INSTALLED, how);
            }
            return outcome;
        } catch (Throwable t) {
            Throwable cause = t instanceof InvocationTargetException ? t.getCause() : t;
            Log.once("start", "the agent could not start; the application runs without caching", cause);
            // A fault of the agent, not of the file: another attempt could only install half of it twice.
            System.setProperty(INSTALLED, how + ", failed");
            return AttachOutcome.refused("the agent could not start (" + cause + "); the application runs without caching."
                    + " Its standard error has the details");
        }
    }
}
