package dev.recall.agent.cli;

import java.io.File;
import java.nio.file.Paths;

/**
 * {@code java -jar recall-agent.jar attach PID [config=FILE]}, {@code ... stats PID} and {@code ... advise PID}.
 */
public final class Cli {

    private static final String USAGE = String.join("\n",
            "usage: java -jar recall-agent.jar attach PID [config=FILE] [strict=true]",
            "         instrument a running JVM (the agent prints its report on that JVM's stderr)",
            "       java -jar recall-agent.jar stats PID",
            "         print every cached method's figures as a table",
            "       java -jar recall-agent.jar advise PID [--yaml FILE]",
            "         in advise mode (-javaagent:recall-agent.jar=advise=com.acme.**): which methods to cache, with the",
            "         evidence, and a configuration file proposing them (also written to FILE)",
            "To attach at startup instead: java -javaagent:recall-agent.jar[=config=FILE] ...");

    private Cli() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length < 2) {
            System.err.println(USAGE);
            return 2;
        }
        switch (args[0]) {
            case "attach":
                return Attach.run(args[1], options(args), agentJar());
            case "stats":
                return Stats.run(args[1]);
            case "advise":
                return Advise.run(args[1], args.length >= 4 && args[2].equals("--yaml") ? Paths.get(args[3]) : null);
            default:
                System.err.println("unknown command '" + args[0] + "'\n" + USAGE);
                return 2;
        }
    }

    /** The remaining arguments as agent options, with the config path made absolute for the other JVM. */
    private static String options(String[] args) {
        StringBuilder b = new StringBuilder();
        for (int i = 2; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("config=")) {
                a = "config=" + Paths.get(a.substring("config=".length())).toAbsolutePath().normalize();
            }
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(a);
        }
        return b.toString();
    }

    static File agentJar() {
        try {
            return new File(Cli.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            throw new IllegalStateException("cannot locate recall-agent.jar", e);
        }
    }
}
