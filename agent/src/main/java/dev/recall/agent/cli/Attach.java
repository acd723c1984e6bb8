package dev.recall.agent.cli;

import com.sun.tools.attach.VirtualMachine;
import java.io.File;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loads the agent into a running JVM through the JDK's attach API, and says what the target made of it:
 * the agent leaves its answer in a system property of the target, read back over the same connection.
 */
final class Attach {

    /** The target refused the configuration (or the agent was there already): EX_CONFIG, as strict mode. */
    static final int REFUSED = 78;

    private Attach() {
    }

    static int run(String pid, String options, File agentJar) {
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(pid);
        } catch (Exception e) {
            System.err.println("[recall] cannot attach to JVM " + pid + ": " + e.getMessage()
                    + "\n  Is the process a JVM, running as the same user, started without -XX:+DisableAttachMechanism?"
                    + " (jcmd -l lists the JVMs you can attach to)");
            return 1;
        }
        String id = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
        String withId = (options.isEmpty() ? "" : options + ",") + AttachProtocol.OPTION + "=" + id;
        try {
            vm.loadAgent(agentJar.getAbsolutePath(), withId);
            String outcome = vm.getSystemProperties().getProperty(AttachProtocol.OUTCOME_PREFIX + id);
            if (outcome == null) {
                // An agent of another version, which leaves no answer: loaded, but nothing more is known.
                System.out.println("[recall] agent loaded into JVM " + pid + "; its report is on that JVM's standard error");
                return 0;
            }
            AttachOutcome answer = AttachOutcome.parse(outcome);
            if (answer.installed()) {
                System.out.println("[recall] agent loaded into JVM " + pid + ": " + answer.text()
                        + "; its report is on that JVM's standard error");
                return 0;
            }
            System.err.println("[recall] JVM " + pid + " " + outcome);
            return REFUSED;
        } catch (Exception e) {
            System.err.println("[recall] the agent could not be loaded into JVM " + pid + ": " + e);
            return 1;
        } finally {
            try {
                vm.detach();
            } catch (Exception ignored) {
                // the agent is loaded or not; detaching cannot change that
            }
        }
    }
}
