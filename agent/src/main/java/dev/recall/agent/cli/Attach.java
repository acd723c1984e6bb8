package dev.recall.agent.cli;

import com.sun.tools.attach.VirtualMachine;
import java.io.File;

/** Loads the agent into a running JVM through the JDK's attach API. */
final class Attach {

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
        try {
            vm.loadAgent(agentJar.getAbsolutePath(), options.isEmpty() ? null : options);
            System.out.println("[recall] agent loaded into JVM " + pid + "; its report is on that JVM's standard error");
            return 0;
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
