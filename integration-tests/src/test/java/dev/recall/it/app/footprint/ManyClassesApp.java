package dev.recall.it.app.footprint;

import dev.recall.it.app.Counter;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * An application of {@code args[0]} generated classes of ten small methods each, every one matched by a
 * rule of the {@code **#*(..)} kind, and each method called twice with the same argument (or only those of
 * some classes, {@code -Dfootprint.calledEvery}). Prints how many
 * bodies ran (one per cached method, two per uncached one), the results' check, the heap used after a GC
 * and, with the agent, how many CachedMethod MBeans appeared.
 */
public class ManyClassesApp {

    public static void main(String[] args) throws Exception {
        int classes = Integer.parseInt(args[0]);
        // -Dfootprint.calledEvery=N: only the methods of every N-th class are called (0: none, the classes are
        // only loaded, as most classes a broad rule matches are); 1 by default, every method.
        int calledEvery = Integer.getInteger("footprint.calledEvery", 1);
        String template = "dev.recall.it.app.footprint.gen.T0000";
        byte[] bytes = Template.bytes(ManyClassesApp.class, template);
        Template.Loader loader = new Template.Loader(ManyClassesApp.class.getClassLoader());
        long began = System.nanoTime();
        long bodies = 0;
        int wrong = 0;
        for (int c = 0; c < classes; c++) {
            String name = String.format("dev.recall.it.app.footprint.gen.T%04d", c + 1);
            Class<?> type = loader.define(name, Template.renamed(bytes, "T0000", name.substring(name.length() - 5)));
            if (calledEvery == 0 || c % calledEvery != 0) {
                bodies += type.getField("calls").getInt(null);
                continue;
            }
            for (int m = 0; m < 10; m++) {
                Method method = type.getMethod("m" + m, int.class);
                for (int call = 0; call < 2; call++) {
                    Object expected = m == 9 ? "v" + c : (Object) (c + m);
                    if (!expected.equals(method.invoke(null, c))) {
                        wrong++;
                    }
                }
            }
            bodies += type.getField("calls").getInt(null);
        }
        Counter.print("calls.millis", (System.nanoTime() - began) / 1_000_000);
        Counter.print("bodies", bodies);
        Counter.print("wrong", wrong);
        if (args.length > 1) {
            // Wait until the agent's background thread has made every bean: they are part of the footprint.
            int expected = Integer.parseInt(args[1]);
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName pattern = new ObjectName("dev.recall:type=CachedMethod,*");
            long deadline = System.nanoTime() + 30_000_000_000L;
            Set<ObjectName> names = server.queryNames(pattern, null);
            ObjectName agentBean = new ObjectName("dev.recall:type=Agent");
            while ((names.size() < expected || !server.isRegistered(agentBean)) && System.nanoTime() < deadline) {
                Thread.sleep(200);
                names = server.queryNames(pattern, null);
            }
            Counter.print("beans", names.size());
        }
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName agent = new ObjectName("dev.recall:type=Agent");
        if (server.isRegistered(agent)) {
            Counter.print("instrumented", ((String[]) server.getAttribute(agent, "InstrumentedMethods")).length);
        }
        long used = HeapAfterGc.usedBytes();
        Counter.print("heap.used.bytes", used);
        Counter.print("heap.used.mb", Math.round(used / 1e5) / 10.0);
        // -Dfootprint.holdMillis=N: the application stays alive N ms more, for `jmap -histo:live PID`
        // (docs/performance.md); its classes with it.
        long hold = Long.getLong("footprint.holdMillis", 0);
        if (hold > 0) {
            System.out.println("holding pid " + ProcessHandle.current().pid() + " for " + hold + " ms");
            Thread.sleep(hold);
        }
        // The classes must be alive while the heap is measured, or it measures nothing.
        Counter.print("loader.kept", loader.getClass().getSimpleName());
    }
}
