package dev.recall.agent;

import dev.recall.agent.cli.AttachProtocol;
import dev.recall.agent.log.Log;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's options: {@code -javaagent:recall-agent.jar=config=/path/recall.yml,strict=true}, else
 * {@code -Drecall.config} / {@code -Drecall.strict}, else the {@code RECALL_CONFIG} environment variable.
 * {@code advise=com.acme.**,com.other.**} names the classes the advisor observes: the options are separated by
 * commas too, so each part without {@code =} that follows {@code advise=} is one more pattern.
 *
 * @param config the configuration file, or {@code null}
 * @param advise the advise patterns of the option, as written (checked where the file's are)
 */
record AgentArgs(Path config, boolean strict, List<String> advise) {

    /** The {@code attachId=} option, or {@code null}: the key under which this attach's outcome is left. */
    static String attachId(String args) {
        if (args == null) {
            return null;
        }
        for (String part : args.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).trim().equals(AttachProtocol.OPTION)) {
                String id = part.substring(eq + 1).trim();
                return AttachProtocol.validId(id) ? id : null;
            }
        }
        return null;
    }

    static AgentArgs parse(String args) {
        String config = null;
        Boolean strict = null;
        List<String> advise = new ArrayList<>();
        if (args != null) {
            boolean inAdvise = false;
            for (String part : args.split(",")) {
                int eq = part.indexOf('=');
                String k = eq < 0 ? part.trim() : part.substring(0, eq).trim();
                String v = eq < 0 ? "" : part.substring(eq + 1).trim();
                if (eq < 0 && inAdvise && !k.isEmpty()) {
                    advise.add(k);
                    continue;
                }
                inAdvise = k.equals("advise");
                if (inAdvise) {
                    if (!v.isEmpty()) {
                        advise.add(v);
                    }
                } else if (k.equals("config")) {
                    config = v;
                } else if (k.equals("strict")) {
                    strict = v.isEmpty() || Boolean.parseBoolean(v);
                } else if (k.equals(AttachProtocol.OPTION)) {
                    // the attach command's own option, see attachId
                } else if (!k.isEmpty()) {
                    Log.warn("unknown agent option '" + k + "' ignored; the options are config=FILE, strict=true and "
                            + "advise=PATTERN[,PATTERN]");
                }
            }
        }
        if (config == null) {
            config = System.getProperty("recall.config");
        }
        if (config == null) {
            config = System.getenv("RECALL_CONFIG");
        }
        if (strict == null) {
            strict = Boolean.getBoolean("recall.strict");
        }
        return new AgentArgs(config == null || config.isBlank() ? null : Paths.get(config), strict, List.copyOf(advise));
    }
}
