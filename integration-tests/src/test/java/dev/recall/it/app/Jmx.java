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
            Object v = mbs.getAttribute(name, attribute);
            return v instanceof Object[] array ? java.util.Arrays.toString(array) : String.valueOf(v);
        } catch (Exception e) {
            return "<" + e + ">";
        }
    }

    /** The {@code invalidate(String)} operation of a method's MBean, as an operator calls it; its answer. */
    public static String invalidate(Class<?> owner, String bean, String key) throws Exception {
        return String.valueOf(ManagementFactory.getPlatformMBeanServer().invoke(name(owner, bean), "invalidate",
                new Object[] {key}, new String[] {String.class.getName()}));
    }

    /**
     * Every attribute of every agent MBean ({@code dev.recall:*}) as text, arrays element by element, one per line:
     * what an operator reading JMX sees, for a test that checks no data of a call is among it.
     */
    public static String allAttributes() throws Exception {
        MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        StringBuilder out = new StringBuilder();
        for (ObjectName name : mbs.queryNames(new ObjectName("dev.recall:*"), null)) {
            out.append(name).append('\n');
            for (javax.management.MBeanAttributeInfo a : mbs.getMBeanInfo(name).getAttributes()) {
                Object v;
                try {
                    v = mbs.getAttribute(name, a.getName());
                } catch (Exception e) {
                    v = e.toString();
                }
                out.append(a.getName()).append('=')
                        .append(v instanceof Object[] array ? java.util.Arrays.deepToString(array) : String.valueOf(v)).append('\n');
            }
        }
        return out.toString();
    }

    private static ObjectName name(Class<?> owner, String bean) throws Exception {
        return bean.equals("agent") ? new ObjectName("dev.recall:type=Agent")
                : new ObjectName("dev.recall:type=CachedMethod,name=" + ObjectName.quote(owner.getName() + "." + bean));
    }
}
