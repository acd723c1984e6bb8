package dev.recall.it.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The stdin protocol of the test applications that a test drives step by step: prints {@code ready}, then
 * answers each command line with one line {@code done COMMAND | name=value ...}, an exception from the
 * command as {@code error=...} (never swallowed), until {@code exit} (answered {@code bye}).
 */
public final class LineProtocol {

    /** One command: {@code cmd} is the line split at spaces; what it reports goes to {@code out}. */
    public interface Command {
        void run(String[] cmd, StringBuilder out) throws Exception;
    }

    private LineProtocol() {
    }

    public static void serve(Command command) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.out.println("ready");
        String line;
        while ((line = in.readLine()) != null) {
            line = line.trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] cmd = line.split(" ");
            if (cmd[0].equals("exit")) {
                System.out.println("bye");
                return;
            }
            StringBuilder out = new StringBuilder("done ").append(line).append(" |");
            try {
                command.run(cmd, out);
            } catch (Throwable t) {
                out.append(" error=").append(t.toString().replace('\n', ' '));
            }
            System.out.println(out);
        }
    }
}
