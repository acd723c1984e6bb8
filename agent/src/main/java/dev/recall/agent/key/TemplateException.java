package dev.recall.agent.key;

/** A key template that cannot be compiled; the message says what to write instead. */
public final class TemplateException extends Exception {
    TemplateException(String message) {
        super(message);
    }
}
