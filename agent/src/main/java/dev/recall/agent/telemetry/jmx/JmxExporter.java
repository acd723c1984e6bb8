package dev.recall.agent.telemetry.jmx;

import dev.recall.agent.advise.Advisor;
import dev.recall.agent.log.Log;
import dev.recall.agent.method.CachedMethod;
import java.lang.management.ManagementFactory;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Registers the agent's MBeans on the platform MBean server, only once the application has started: the
 * first touch of JMX initializes java.util.logging and the platform server, and an application may want
 * to set those up itself in {@code main}. Names depend only on method signatures, so dashboards keep
 * working across restarts. All methods are called on the agent's background thread, and synchronized.
 */
public final class JmxExporter {

    public static final ObjectName AGENT_NAME = name("dev.recall:type=Agent");
    static final ObjectName ADVISOR_NAME = name("dev.recall:type=Advisor");

    private final AgentStatus status;
    private final AgentBean agent;
    private final Set<ObjectName> registered = new HashSet<>();
    private final Map<CachedMethod, ObjectName> exported = new IdentityHashMap<>();
    private MBeanServer server;
    private Advisor advisor;

    public JmxExporter(AgentStatus status) {
        this.status = status;
        this.agent = new AgentBean(status);
    }

    public AgentBean agentBean() {
        return agent;
    }

    public synchronized void start() {
        if (server != null) {
            return;
        }
        server = ManagementFactory.getPlatformMBeanServer();
        register(AGENT_NAME, agent);
        if (advisor != null) {
            register(ADVISOR_NAME, new AdvisorBean(advisor));
        }
        for (CachedMethod m : status.methods()) {
            register(m);
        }
    }

    /** Advise mode: the Advisor MBean is registered with the others. */
    public synchronized void advisor(Advisor advisor) {
        this.advisor = advisor;
        if (server != null) {
            register(ADVISOR_NAME, new AdvisorBean(advisor));
        }
    }

    /** A method instrumented after {@link #start()}; before it, {@code start} picks it up. */
    public synchronized void methodAdded(CachedMethod method) {
        if (server != null) {
            register(method);
        }
    }

    /**
     * A method released with its class loader: its bean goes, so the MBean server (a GC root) keeps
     * nothing of it; the {@code instance=N} name it had becomes free for a later method.
     */
    public synchronized void methodRemoved(CachedMethod method) {
        ObjectName name = exported.remove(method);
        if (name == null || server == null) {
            return;
        }
        registered.remove(name);
        try {
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
        } catch (Exception e) {
            Log.once("jmx-remove|" + name, "could not unregister the MBean " + name, e);
        }
    }

    private void register(CachedMethod method) {
        // start() and methodAdded() may both see a method registered while start() ran: one bean each. A
        // method released before its turn came gets none.
        if (exported.containsKey(method) || method.released()) {
            return;
        }
        String base = "dev.recall:type=CachedMethod,name=" + ObjectName.quote(method.spec().signature().display());
        ObjectName name = name(base);
        // The same class in a second class loader is a second method with the same signature.
        for (int i = 2; registered.contains(name); i++) {
            name = name(base + ",instance=" + i);
        }
        exported.put(method, name);
        register(name, new CachedMethodBean(method));
    }

    private void register(ObjectName name, Object bean) {
        try {
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(bean, name);
            registered.add(name);
        } catch (Exception e) {
            Log.once("jmx|" + name, "could not register the MBean " + name, e);
        }
    }

    static ObjectName name(String text) {
        try {
            return new ObjectName(text);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
