package dev.recall.it.app;

import dev.recall.Cached;
import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Runs whatever the agent made of its configuration file: prints how long the JVM took to reach main (the
 * agent's premain, file reading included, runs before it), whether a cached method was cached, and with
 * {@code -Dapp.agentErrors=true} the Agent MBean's {@code ConfigErrors} once it is registered.
 */
public class ConfigGuardApp {

    @Cached
    public String lookup(String key) {
        Counter.ran("lookup");
        return key;
    }

    public static void main(String[] args) throws InterruptedException {
        Counter.print("main.uptimeMillis", ManagementFactory.getRuntimeMXBean().getUptime());
        ConfigGuardApp app = new ConfigGuardApp();
        app.lookup("k");
        app.lookup("k");
        Counter.printCounts();
        if (Boolean.getBoolean("app.agentErrors")) {
            Counter.print("agent.configErrors", agentConfigErrors());
        }
    }

    /** The Agent MBean's ConfigErrors, one per line joined by " || ", waiting up to 10 s for the bean. */
    private static String agentConfigErrors() throws InterruptedException {
        MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        for (int i = 0; i < 100; i++) {
            try {
                ObjectName agent = new ObjectName("dev.recall:type=Agent");
                if (mbs.isRegistered(agent)) {
                    return String.join(" || ", (String[]) mbs.getAttribute(agent, "ConfigErrors"));
                }
            } catch (JMException e) {
                return "<" + e + ">";
            }
            Thread.sleep(100);
        }
        return "<not registered>";
    }
}
