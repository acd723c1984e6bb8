package dev.recall.agent.log;

import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.MarkerIgnoringBase;
import org.slf4j.helpers.MessageFormatter;

/**
 * SLF4J loggers for the agent's libraries (Jedis, Micrometer; shaded, so the application never sees them)
 * that speak through {@link Log}: warnings and errors once per logger and message pattern (a library that
 * warns per connection attempt must not flood the application's stderr), info and below only with
 * {@code -Drecall.log=debug}. Stateless apart from Log's memory of what it said; shared by all threads.
 */
public final class LibraryLoggers implements ILoggerFactory {

    public static final LibraryLoggers FACTORY = new LibraryLoggers();

    private LibraryLoggers() {
    }

    @Override
    public Logger getLogger(String name) {
        return new Forwarding(name);
    }

    /** Which library spoke: the relocation prefix taken off, e.g. {@code redis.clients.jedis.Connection}. */
    static String library(String loggerName) {
        String shaded = "dev.recall.shaded.";
        return loggerName.startsWith(shaded) ? loggerName.substring(shaded.length()) : loggerName;
    }

    private static final class Forwarding extends MarkerIgnoringBase {

        private static final long serialVersionUID = 1L;

        Forwarding(String name) {
            this.name = library(name);
        }

        private void problem(String pattern, Object... args) {
            FormattingTuple t = MessageFormatter.arrayFormat(pattern, args);
            Log.warnOnce("library|" + name + "|" + pattern,
                    name + ": " + t.getMessage() + (t.getThrowable() == null ? "" : " (" + t.getThrowable() + ")"));
        }

        private void detail(String pattern, Object... args) {
            if (Log.debugEnabled()) {
                FormattingTuple t = MessageFormatter.arrayFormat(pattern, args);
                Log.debug(name + ": " + t.getMessage() + (t.getThrowable() == null ? "" : " (" + t.getThrowable() + ")"));
            }
        }

        @Override public boolean isTraceEnabled() { return false; }
        @Override public void trace(String msg) { }
        @Override public void trace(String format, Object arg) { }
        @Override public void trace(String format, Object a, Object b) { }
        @Override public void trace(String format, Object... args) { }
        @Override public void trace(String msg, Throwable t) { }

        @Override public boolean isDebugEnabled() { return Log.debugEnabled(); }
        @Override public void debug(String msg) { detail(msg); }
        @Override public void debug(String format, Object arg) { detail(format, arg); }
        @Override public void debug(String format, Object a, Object b) { detail(format, a, b); }
        @Override public void debug(String format, Object... args) { detail(format, args); }
        @Override public void debug(String msg, Throwable t) { detail(msg, t); }

        @Override public boolean isInfoEnabled() { return Log.debugEnabled(); }
        @Override public void info(String msg) { detail(msg); }
        @Override public void info(String format, Object arg) { detail(format, arg); }
        @Override public void info(String format, Object a, Object b) { detail(format, a, b); }
        @Override public void info(String format, Object... args) { detail(format, args); }
        @Override public void info(String msg, Throwable t) { detail(msg, t); }

        @Override public boolean isWarnEnabled() { return true; }
        @Override public void warn(String msg) { problem(msg); }
        @Override public void warn(String format, Object arg) { problem(format, arg); }
        @Override public void warn(String format, Object a, Object b) { problem(format, a, b); }
        @Override public void warn(String format, Object... args) { problem(format, args); }
        @Override public void warn(String msg, Throwable t) { problem(msg, t); }

        @Override public boolean isErrorEnabled() { return true; }
        @Override public void error(String msg) { problem(msg); }
        @Override public void error(String format, Object arg) { problem(format, arg); }
        @Override public void error(String format, Object a, Object b) { problem(format, a, b); }
        @Override public void error(String format, Object... args) { problem(format, args); }
        @Override public void error(String msg, Throwable t) { problem(msg, t); }
    }
}
