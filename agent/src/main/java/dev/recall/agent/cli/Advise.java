package dev.recall.agent.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * {@code advise PID [--yaml FILE]}: reads the Advisor MBean of a JVM running in advise mode and prints its
 * report, then the proposed configuration file (also written to FILE when asked).
 */
final class Advise {

    private Advise() {
    }

    static int run(String pid, Path yamlFile) {
        ObjectName advisor;
        try {
            advisor = new ObjectName("dev.recall:type=Advisor");
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
        return TargetJvm.read(pid, advisor, "is not in advise mode (no dev.recall:type=Advisor MBean): start it with "
                + "-javaagent:recall-agent.jar=advise=com.acme.** (or advise: in its configuration file), let it run under "
                + "its usual load, then ask again; the MBeans appear 5 seconds after start", mbs -> {
                    String report = (String) mbs.getAttribute(advisor, "Report");
                    String yaml = (String) mbs.getAttribute(advisor, "ProposedConfig");
                    System.out.println(report);
                    System.out.println("--- proposed configuration" + (yamlFile == null ? "" : " (also in " + yamlFile + ")")
                            + " ---");
                    System.out.print(yaml);
                    if (yamlFile != null) {
                        try {
                            Files.writeString(yamlFile, yaml);
                        } catch (IOException e) {
                            System.err.println("[recall] could not write " + yamlFile + ": " + e);
                            return 1;
                        }
                    }
                    return 0;
                });
    }
}
