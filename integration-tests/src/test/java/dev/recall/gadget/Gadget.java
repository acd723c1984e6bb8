package dev.recall.gadget;

/**
 * Stands for a deserialization gadget: a class on the application's class path, outside
 * {@code redis.allowClasses}, whose mere initialization would do harm. A value in Redis that names it must
 * be refused before the class is even loaded: these markers must never be printed.
 */
public class Gadget {

    static {
        System.out.println("GADGET-INITIALIZED");
    }

    private String command = "rm -rf /";

    public Gadget() {
        System.out.println("GADGET-INSTANTIATED " + command);
    }

    @Override
    public String toString() {
        return "Gadget[" + command + "]";
    }
}
