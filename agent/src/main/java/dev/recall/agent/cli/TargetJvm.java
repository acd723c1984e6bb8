package dev.recall.agent.cli;

import com.sun.tools.attach.VirtualMachine;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The MBeans of another JVM, as the {@code stats} and {@code advise} commands read them: attaches to it,
 * starts its local JMX connector (the one JConsole uses) and connects. Each failure is said on stderr, the
 * way a user can act on it.
 */
final class TargetJvm {

    /** What a command does with the connection; its exit status. */
    interface Reading {
        int read(MBeanServerConnection mbs) throws Exception;
    }

    private TargetJvm() {
    }

    /**
     * @param required the MBean that must be there ({@code null} if none); without it, why, on stderr, and 1
     * @return the command's exit status: 1 when the JVM could not be reached or read
     */
    static int read(String pid, ObjectName required, String missing, Reading reading) {
        String url;
        try {
            VirtualMachine vm = VirtualMachine.attach(pid);
            try {
                url = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
        } catch (Exception e) {
            System.err.println("[recall] cannot attach to JVM " + pid + ": " + e.getMessage()
                    + "\n  Is the process a JVM, running as the same user? (jcmd -l lists the JVMs you can attach to)");
            return 1;
        }
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(url))) {
            MBeanServerConnection mbs = connector.getMBeanServerConnection();
            if (required != null && !mbs.isRegistered(required)) {
                System.err.println("[recall] JVM " + pid + " " + missing);
                return 1;
            }
            return reading.read(mbs);
        } catch (Exception e) {
            System.err.println("[recall] reading the MBeans of JVM " + pid + " failed: " + e);
            return 1;
        }
    }
}
