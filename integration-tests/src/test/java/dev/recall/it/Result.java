package dev.recall.it;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** What an application JVM printed, with its {@code name=value} stdout lines as a map. */
public record Result(String command, int exitCode, List<String> stdout, List<String> stderr) {

    public Map<String, String> values() {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : stdout) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).matches("[\\w.\\-]+")) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return values;
    }

    /** The value printed as {@code name=value}; fails, showing everything printed, if there is none. */
    public String value(String name) {
        String v = values().get(name);
        if (v == null) {
            throw new AssertionError("the application printed no '" + name + "='\n" + this);
        }
        return v;
    }

    public int intValue(String name) {
        return Integer.parseInt(value(name));
    }

    public String stderrText() {
        return String.join("\n", stderr);
    }

    public List<String> stderrMatching(String fragment) {
        return stderr.stream().filter(l -> l.contains(fragment)).collect(Collectors.toList());
    }

    /** Fails unless the JVM exited normally, showing everything it printed. */
    public Result assertSucceeded() {
        if (exitCode != 0) {
            throw new AssertionError("exit code " + exitCode + "\n" + this);
        }
        return this;
    }

    @Override
    public String toString() {
        return "command: " + command + "\nexit code: " + exitCode + "\nstdout:\n" + String.join("\n", stdout)
                + "\nstderr:\n" + String.join("\n", stderr);
    }
}
