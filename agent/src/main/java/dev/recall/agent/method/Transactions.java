package dev.recall.agent.method;

import dev.recall.agent.log.Log;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.WeakReference;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The transaction managers an application's class loader can see, found through that loader with no
 * compile-time dependency on them: Spring's {@code TransactionSynchronizationManager} and JTA as Narayana
 * exposes it (Quarkus, WildFly). Answers two questions on the calling thread: is it inside a read-write
 * transaction, and can an action be run when that transaction ends.
 *
 * <p>Why: a read inside a read-write transaction must see what the application would see without the agent
 * (its own uncommitted writes, managed entities that dirty checking flushes), so such reads bypass the cache;
 * and an eviction made inside a transaction must also happen after its commit, or a read between the
 * eviction and the commit loads the old row and caches it for a whole TTL.
 *
 * <p>One instance per class loader, made on the first call of a cached method of that loader and shared by
 * every thread; immutable. A loader that sees no transaction manager gets {@link #NONE}, which callers remember,
 * so an application without one pays a field read per call.
 *
 * <p>An instance holds classes of the application (Spring's, Narayana's), so nothing of the agent holds it
 * strongly, or an undeployed application's class loader would never be collected: the one strong reference is
 * from the transaction manager's own class ({@link #HELD}), and the agent keeps weak ones.
 */
final class Transactions {

    /** No transaction manager visible: never in a transaction. */
    static final Transactions NONE = new Transactions(null, null, null, null, null, null, null, null);

    /** JTA's {@code Status}: the states in which a transaction is under way (not none, not over). */
    private static final int STATUS_COMMITTED = 3;
    private static final int STATUS_ROLLEDBACK = 4;
    private static final int STATUS_UNKNOWN = 5;
    private static final int STATUS_NO_TRANSACTION = 6;

    /** Per loader; weak keys and values, so an undeployed application's loader is not kept. Guarded by its own lock. */
    private static final Map<ClassLoader, WeakReference<Transactions>> BY_LOADER = new WeakHashMap<>();
    /** Keeps an instance alive exactly as long as the class it was found through. */
    private static final ClassValue<Transactions[]> HELD = new ClassValue<>() {
        @Override
        protected Transactions[] computeValue(Class<?> type) {
            return new Transactions[1];
        }
    };

    /** Spring: {@code isActualTransactionActive()}, {@code isCurrentTransactionReadOnly()}, both {@code ()boolean}. */
    private final MethodHandle springActive;
    private final MethodHandle springReadOnly;
    private final Class<?> springSynchronization;
    /** Spring: {@code registerSynchronization(TransactionSynchronization)}. */
    private final Method springRegister;
    /** JTA: the transaction manager's {@code getStatus()}, bound to it, {@code ()int}; and {@code getTransaction()}. */
    private final MethodHandle jtaStatus;
    private final JtaRegistration jta;
    /** Spring: {@code getResourceMap()}, {@code ()Map}: what is bound to the thread (an open-in-view EntityManager). */
    private final MethodHandle springResources;
    /** Quarkus ArC: whether a request context is active, around which Hibernate ORM keeps a request-scoped session. */
    private final ArcRequest arc;

    private record ArcRequest(Method container, Method requestContext, Method isActive) {
    }

    private record JtaRegistration(MethodHandle transaction, Method register, Class<?> synchronization) {
    }

    private Transactions(MethodHandle springActive, MethodHandle springReadOnly, Class<?> springSynchronization,
                         Method springRegister, MethodHandle jtaStatus, JtaRegistration jta, MethodHandle springResources,
                         ArcRequest arc) {
        this.springActive = springActive;
        this.springReadOnly = springReadOnly;
        this.springSynchronization = springSynchronization;
        this.springRegister = springRegister;
        this.jtaStatus = jtaStatus;
        this.jta = jta;
        this.springResources = springResources;
        this.arc = arc;
    }

    /** The transaction managers {@code loader} sees, looked up once per loader. */
    static Transactions of(ClassLoader loader) {
        if (loader == null) {
            return NONE;
        }
        synchronized (BY_LOADER) {
            WeakReference<Transactions> known = BY_LOADER.get(loader);
            Transactions t = known == null ? null : known.get();
            if (t == null) {
                t = find(loader);
                BY_LOADER.put(loader, new WeakReference<>(t));
            }
            return t;
        }
    }

    private static Transactions find(ClassLoader loader) {
        MethodHandle active = null;
        MethodHandle readOnly = null;
        Class<?> synchronization = null;
        Method register = null;
        MethodHandle resources = null;
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        Class<?> tsm = load("org.springframework.transaction.support.TransactionSynchronizationManager", loader);
        if (tsm != null) {
            try {
                active = lookup.findStatic(tsm, "isActualTransactionActive", MethodType.methodType(boolean.class));
                readOnly = lookup.findStatic(tsm, "isCurrentTransactionReadOnly", MethodType.methodType(boolean.class));
                synchronization = Class.forName("org.springframework.transaction.support.TransactionSynchronization", false, loader);
                register = tsm.getMethod("registerSynchronization", synchronization);
                resources = lookup.findStatic(tsm, "getResourceMap", MethodType.methodType(Map.class));
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                unusable("Spring's TransactionSynchronizationManager", e);
                active = null;
                readOnly = null;
                synchronization = null;
                register = null;
                resources = null;
            }
        }
        ArcRequest arc = null;
        Class<?> arcType = load("io.quarkus.arc.Arc", loader);
        if (arcType != null) {
            try {
                Method container = arcType.getMethod("container");
                Method requestContext = container.getReturnType().getMethod("requestContext");
                arc = new ArcRequest(container, requestContext, requestContext.getReturnType().getMethod("isActive"));
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                unusable("Quarkus ArC", e);
            }
        }
        MethodHandle status = null;
        JtaRegistration jta = null;
        Class<?> narayana = load("com.arjuna.ats.jta.TransactionManager", loader);
        if (narayana != null) {
            try {
                Object tm = narayana.getMethod("transactionManager").invoke(null);
                Class<?> tmType = Class.forName("jakarta.transaction.TransactionManager", false, loader);
                Class<?> txType = Class.forName("jakarta.transaction.Transaction", false, loader);
                Class<?> syncType = Class.forName("jakarta.transaction.Synchronization", false, loader);
                if (tmType.isInstance(tm)) {
                    status = lookup.findVirtual(tmType, "getStatus", MethodType.methodType(int.class)).bindTo(tm);
                    MethodHandle current = lookup.findVirtual(tmType, "getTransaction", MethodType.methodType(txType)).bindTo(tm);
                    jta = new JtaRegistration(current, txType.getMethod("registerSynchronization", syncType), syncType);
                }
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                unusable("Narayana's JTA transaction manager", e);
                status = null;
                jta = null;
            }
        }
        if (active == null && status == null && arc == null) {
            return NONE;
        }
        Transactions t = new Transactions(active, readOnly, synchronization, register, status, jta, resources, arc);
        HELD.get(active != null ? tsm : status != null ? narayana : arcType)[0] = t;
        return t;
    }

    private static Class<?> load(String name, ClassLoader loader) {
        try {
            return Class.forName(name, true, loader);
        } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
            return null;
        }
    }

    private static void unusable(String what, Throwable e) {
        Log.warnOnce("transactions|" + what, what + " is on the class path but the agent cannot ask it whether a "
                + "transaction is under way (" + e + "); cached reads inside its transactions are answered from the cache");
    }

    /**
     * Whether the calling thread is inside a read-write transaction: Spring's actual transaction that is not
     * read-only, or any JTA transaction under way (JTA has no read-only flag). A failure answers {@code false}.
     */
    boolean readWrite() {
        try {
            if (springActive != null && (boolean) springActive.invokeExact() && !(boolean) springReadOnly.invokeExact()) {
                return true;
            }
            if (jtaStatus != null) {
                int s = (int) jtaStatus.invokeExact();
                return s != STATUS_NO_TRANSACTION && s != STATUS_COMMITTED && s != STATUS_ROLLEDBACK && s != STATUS_UNKNOWN;
            }
        } catch (Throwable t) {
            Log.once("transactions|ask", "asking the application's transaction manager whether a transaction is under way "
                    + "failed; the call is taken as outside one", t);
        }
        return false;
    }

    /**
     * Whether the calling thread has, or would have around a call, a session that can load lazy associations:
     * any transaction under way (read-only ones too), an {@code EntityManager} or Hibernate {@code Session} Spring
     * bound to the thread (open-in-view), or an active Quarkus request context (Hibernate ORM's request-scoped
     * session outside transactions). A failure answers {@code true}: the call then runs the method.
     */
    boolean sessionAround() {
        try {
            if (springActive != null) {
                if ((boolean) springActive.invokeExact()) {
                    return true;
                }
                Map<?, ?> bound = (Map<?, ?>) springResources.invokeExact();
                for (Object held : bound.values()) {
                    String name = held.getClass().getName();
                    if (name.startsWith("org.springframework.orm.") && (name.endsWith("EntityManagerHolder") || name.endsWith("SessionHolder"))) {
                        return true;
                    }
                }
            }
            if (jtaStatus != null && (int) jtaStatus.invokeExact() != STATUS_NO_TRANSACTION) {
                return true;
            }
            if (arc != null) {
                Object container = arc.container().invoke(null);
                return container != null && (Boolean) arc.isActive().invoke(arc.requestContext().invoke(container));
            }
            return false;
        } catch (Throwable t) {
            Log.once("transactions|session", "asking the application's framework whether a session is open around a call "
                    + "failed; results with lazy associations not loaded are not answered from the cache", t);
            return true;
        }
    }

    /**
     * Runs {@code action} when the calling thread's transaction ends, committed or rolled back (after a roll
     * back it does no harm: it only removes entries). Registered with Spring when its synchronization is active,
     * else with the JTA transaction. {@code action} must not throw.
     *
     * @return whether it was registered; {@code false} when no transaction is under way or registering failed
     */
    boolean afterCompletion(Runnable action) {
        try {
            if (springActive != null && (boolean) springActive.invokeExact()) {
                springRegister.invoke(null, proxy(springSynchronization, action, "afterCompletion"));
                return true;
            }
            if (jta != null) {
                Object tx = (Object) jta.transaction().invoke();
                if (tx != null) {
                    jta.register().invoke(tx, proxy(jta.synchronization(), action, "afterCompletion"));
                    return true;
                }
            }
        } catch (Throwable t) {
            Log.once("transactions|register", "registering an eviction for the end of the application's transaction failed; "
                    + "the eviction was made at the method's return only", t);
        }
        return false;
    }

    /**
     * A synchronization of the application's transaction manager, made in its class loader: {@code trigger}
     * runs {@code action}; {@code getOrder} answers last (Spring sorts by it); every other callback does nothing.
     */
    private static Object proxy(Class<?> type, Runnable action, String trigger) {
        InvocationHandler h = (self, m, args) -> {
            String name = m.getName();
            if (name.equals(trigger)) {
                action.run();
                return null;
            }
            return switch (name) {
                case "getOrder" -> Integer.MAX_VALUE;
                case "equals" -> self == args[0];
                case "hashCode" -> System.identityHashCode(self);
                case "toString" -> "recall: evict again when the transaction ends";
                default -> null;
            };
        };
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h);
    }
}
