package dev.recall.it.app.footprint;

import dev.recall.it.app.Counter;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * A redeploy loop: {@code args[0]} times, a fresh class loader defines a class with two cached methods,
 * each called twice, and is dropped. Prints how many bodies ran, the heap used after GC at the end and,
 * with the agent, how many CachedMethod MBeans and instrumented methods are left once the agent's
 * background thread has had time to release the methods of the collected loaders.
 */
public class LoaderLoopApp {

    public static void main(String[] args) throws Exception {
        int loaders = Integer.parseInt(args[0]);
        String name = "dev.recall.it.app.footprint.loop.Redeployed";
        byte[] bytes = Template.bytes(LoaderLoopApp.class, name);
        long bodies = 0;
        int wrong = 0;
        for (int i = 0; i < loaders; i++) {
            Class<?> type = new Template.Loader(LoaderLoopApp.class.getClassLoader()).define(name, bytes);
            Method n = type.getMethod("name", int.class);
            Method square = type.getMethod("square", long.class);
            for (int call = 0; call < 2; call++) {
                wrong += ("name-" + i).equals(n.invoke(null, i)) ? 0 : 1;
                wrong += ((long) i * i) == (long) square.invoke(null, (long) i) ? 0 : 1;
            }
            bodies += type.getField("calls").getInt(null);
        }
        Counter.print("bodies", bodies);
        Counter.print("wrong", wrong);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName agent = new ObjectName("dev.recall:type=Agent");
        // The agent releases on its background thread, once a second after the GC queued the loaders; on a
        // busy machine that thread may be late, so wait for it (up to 30 s) rather than a fixed pause.
        long deadline = System.nanoTime() + 30_000_000_000L;
        int instrumented;
        do {
            HeapAfterGc.usedBytes();
            Thread.sleep(500);
            instrumented = server.isRegistered(agent) ? ((String[]) server.getAttribute(agent, "InstrumentedMethods")).length : -1;
        } while (instrumented >= 100 && System.nanoTime() < deadline);
        Counter.print("heap.used.mb", HeapAfterGc.usedMb());
        Counter.print("beans", server.queryNames(new ObjectName("dev.recall:type=CachedMethod,*"), null).size());
        Counter.print("instrumented", instrumented);
    }
}
