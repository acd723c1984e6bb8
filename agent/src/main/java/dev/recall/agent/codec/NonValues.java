package dev.recall.agent.codec;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Proxy;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Spliterator;
import java.util.WeakHashMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;

/**
 * Types whose instances are behaviour, resources or runtime machinery rather than data: caching a copy
 * of a lambda, a thread or a socket is never what a method's caller wants back, so the codec refuses
 * them by name instead of failing on some private field. Stateless.
 */
final class NonValues {

    private static final Map<Class<?>, String> KINDS = new LinkedHashMap<>();

    static {
        KINDS.put(Class.class, "a Class");
        KINDS.put(ClassLoader.class, "a class loader");
        KINDS.put(Thread.class, "a thread");
        KINDS.put(ThreadGroup.class, "a thread group");
        KINDS.put(ThreadLocal.class, "a thread-local");
        KINDS.put(Module.class, "a module");
        KINDS.put(ModuleLayer.class, "a module layer");
        KINDS.put(Process.class, "a process");
        KINDS.put(ProcessHandle.class, "a process handle");
        KINDS.put(Reference.class, "a reference object");
        KINDS.put(AccessibleObject.class, "a reflective object");
        KINDS.put(MethodHandle.class, "a method handle");
        KINDS.put(VarHandle.class, "a var handle");
        KINDS.put(MethodHandles.Lookup.class, "a lookup");
        // Streams, readers, writers, sockets, channels, connections: anything that holds a resource.
        KINDS.put(AutoCloseable.class, "a closeable resource (stream, socket, channel, connection...)");
        KINDS.put(Iterator.class, "an iterator");
        KINDS.put(Spliterator.class, "a spliterator");
        KINDS.put(Executor.class, "an executor");
        KINDS.put(Future.class, "a future");
        KINDS.put(CompletionStage.class, "a completion stage");
        KINDS.put(Lock.class, "a lock");
        KINDS.put(ReadWriteLock.class, "a lock");
        KINDS.put(Condition.class, "a condition");
        // Collections whose meaning the rebuilt copy would lose.
        KINDS.put(PriorityQueue.class, "a priority queue (its comparator's order cannot be rebuilt)");
        KINDS.put(PriorityBlockingQueue.class, "a priority queue (its comparator's order cannot be rebuilt)");
        KINDS.put(IdentityHashMap.class, "an identity map (rebuilt, equal keys would merge)");
        KINDS.put(WeakHashMap.class, "a weak map");
        KINDS.put(BlockingQueue.class, "a blocking queue (a channel between threads)");
    }

    private NonValues() {
    }

    /** Why instances of {@code type} are not cacheable values, or {@code null} if they may be. */
    static String why(Class<?> type) {
        if (type.isHidden()) {
            return "a lambda or other hidden class";
        }
        if (Proxy.isProxyClass(type)) {
            return "a dynamic proxy";
        }
        String name = type.getName();
        if (name.startsWith("org.hibernate.") || name.contains("$HibernateProxy$")) {
            // A session, a query, a transaction: persistent collections and proxies are unwrapped before this.
            return "Hibernate machinery (which holds its session); cache a method whose result holds entities and their "
                    + "loaded collections (such as the service method that calls this one)";
        }
        if (name.contains("$$EnhancerBy") || name.contains("$$SpringCGLIB$$") || name.contains("$ByteBuddy$")
                || name.contains("_$$_jvst")) {
            return "a generated proxy (CGLIB, Byte Buddy, Javassist), whose state is its handler's";
        }
        for (Map.Entry<Class<?>, String> k : KINDS.entrySet()) {
            if (k.getKey().isAssignableFrom(type)) {
                return k.getValue();
            }
        }
        return null;
    }
}
