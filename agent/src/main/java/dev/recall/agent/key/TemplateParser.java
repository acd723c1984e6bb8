package dev.recall.agent.key;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits {@code "sku:{sku}:{currency}"} into literal text and placeholders. {@code {{} and {@code }}}
 * stand for literal braces.
 */
final class TemplateParser {

    /** A piece of a template: literal text, or a placeholder (root name or index, then property steps). */
    record Part(String literal, String root, List<String> path) {
        boolean isLiteral() {
            return literal != null;
        }
    }

    private TemplateParser() {
    }

    static List<Part> parse(String template) throws TemplateException {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '{') {
                literal.append('{');
                i += 2;
            } else if (c == '}' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
                literal.append('}');
                i += 2;
            } else if (c == '{') {
                int close = template.indexOf('}', i);
                if (close < 0) {
                    throw new TemplateException("key template '" + template + "' has a '{' at position " + i
                            + " that is never closed; write placeholders like {0}, {id} or {order.customer.id}, and {{ for a literal brace");
                }
                String body = template.substring(i + 1, close).trim();
                if (body.isEmpty() || !body.matches("[\\w$]+(\\.[\\w$]+)*")) {
                    throw new TemplateException("key template '" + template + "' has a placeholder '{" + body
                            + "}' that is not an argument; write {0} for the first argument, {id} for the parameter named id, "
                            + "or a property path like {order.customer.id}");
                }
                if (literal.length() > 0) {
                    parts.add(new Part(literal.toString(), null, null));
                    literal.setLength(0);
                }
                String[] steps = body.split("\\.");
                parts.add(new Part(null, steps[0], List.of(steps).subList(1, steps.length)));
                i = close + 1;
            } else if (c == '}') {
                throw new TemplateException("key template '" + template + "' has a '}' at position " + i
                        + " with no '{' before it; write }} for a literal brace");
            } else {
                literal.append(c);
                i++;
            }
        }
        if (literal.length() > 0) {
            parts.add(new Part(literal.toString(), null, null));
        }
        return parts;
    }
}
