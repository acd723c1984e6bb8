package dev.recall.agent.config;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code ${NAME}} references of the settings that may hold them (a store's address, its secrets, passwords),
 * replaced from the environment. Used by one reading, on one thread.
 */
final class EnvReferences {

    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    /** A variable written the shell's way, without braces: a mistake when it is the whole value. */
    private static final Pattern BARE_ENV = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)");
    private static final String ENV_FORM = "write ${NAME}, the name in letters, digits and '_' (not starting with a "
            + "digit), like ${RECALL_SECRET}";

    private final Scalars in;
    private final Problems problems;
    private final Function<String, String> environment;

    EnvReferences(Scalars in, Function<String, String> environment) {
        this.in = in;
        this.problems = in.problems();
        this.environment = environment;
    }

    /**
     * A scalar with its {@code ${NAME}} references replaced from the environment. Anything that looks like a
     * reference but is not one is an error, not literal text: {@code secret: ${RECALL SECRET}} taken literally
     * would sign every entry with a key anyone can read in the file.
     */
    String resolved(YamlNode node, String what) {
        String text = in.plainScalar(node, what);
        if (text == null) {
            return null;
        }
        Matcher bare = BARE_ENV.matcher(text);
        if (bare.matches()) {
            problems.error(node, "'" + what + ":' is $" + bare.group(1) + ", an environment variable written without braces; "
                    + "write ${" + bare.group(1) + "} to read it (" + ENV_FORM + ")");
            return null;
        }
        Matcher matcher = ENV.matcher(text);
        StringBuilder out = new StringBuilder();
        int from = 0;
        while (true) {
            int open = text.indexOf("${", from);
            if (open < 0) {
                break;
            }
            if (!matcher.find(open) || matcher.start() != open) {
                problems.error(node, "'" + what + ":' has " + badReference(text, open) + ", which is not a reference to an "
                        + "environment variable; " + ENV_FORM + " (the value itself cannot contain '${')");
                return null;
            }
            String value = environment.apply(matcher.group(1));
            if (value == null || value.isEmpty()) {
                problems.error(node, "'" + what + ":' refers to the environment variable " + matcher.group(1)
                        + ", which is not set; set it for the application's process");
                return null;
            }
            out.append(text, from, open).append(value);
            from = matcher.end();
        }
        return out.append(text, from, text.length()).toString();
    }

    /**
     * The reference that failed, quoted only when it is short and made of name-like characters: the text around
     * it may be a password or a secret, which must not reach stderr or the MBean.
     */
    static String badReference(String text, int open) {
        int close = text.indexOf('}', open);
        if (close > 0 && close - open <= 42 && text.substring(open + 2, close).matches("[\\w .\\-]*")) {
            return "'" + text.substring(open, close + 1) + "'";
        }
        return "a '${' at character " + (open + 1) + (close < 0 ? " that is never closed with '}'" : "");
    }
}
