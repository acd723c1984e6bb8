package dev.recall.it.app;

import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** The agent's MBeans as a test application reads them in its own JVM (the agent registers them there). */
public final class Jmx {

    private Jmx() {
    }

    /** An attribute as text; {@code bean} is {@code agent} or a method of {@code owner} like {@code product(long)}. */
    public static String attribute(Class<?> owner, String bean, String attribute) {
        try {
            ObjectName name = name(owner, bean);
            MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
            if (!mbs.isRegistered(name)) {
                return "<not registered: " + name + ">";
            }
            return String.valueOf(mbs.getAttribute(name, attribute));
        } catch (Exception e) {
            return "<" + e + ">";
        }
    }

    /** The {@code invalidate(String)} operation of a method's MBean, as an operator calls it; its answer. */
    public static String invalidate(Class<?> owner, String bean, String key) throws Exception {
        return String.valueOf(ManagementFactory.getPlatformMBeanServer().invoke(name(owner, bean), "invalidate",
                new Object[] {key}, new String[] {String.class.getName()}));
    }

    private static ObjectName name(Class<?> owner, String bean) throws Exception {
        return bean.equals("agent") ? new ObjectName("dev.recall:type=Agent")
                : new ObjectName("dev.recall:type=CachedMethod,name=" + ObjectName.quote(owner.getName() + "." + bean));
    }
}
