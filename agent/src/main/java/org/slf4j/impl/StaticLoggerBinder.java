package org.slf4j.impl;

import dev.recall.agent.log.LibraryLoggers;
import org.slf4j.ILoggerFactory;
import org.slf4j.spi.LoggerFactoryBinder;

/**
 * The SLF4J 1.7 binding of the agent's own (shaded, relocated) copy of SLF4J, through which Jedis and
 * Micrometer log: their warnings become {@code [recall]} lines, never the application's logging. A no-op
 * binding is not enough: Micrometer takes it as "no SLF4J" and falls back to java.util.logging, which is
 * the application's (Spring Boot routes it into its own log).
 */
public final class StaticLoggerBinder implements LoggerFactoryBinder {

    /** Read by SLF4J's version check. */
    public static String REQUESTED_API_VERSION = "1.6.99";

    private static final StaticLoggerBinder SINGLETON = new StaticLoggerBinder();

    private StaticLoggerBinder() {
    }

    public static StaticLoggerBinder getSingleton() {
        return SINGLETON;
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return LibraryLoggers.FACTORY;
    }

    @Override
    public String getLoggerFactoryClassStr() {
        return LibraryLoggers.class.getName();
    }
}
