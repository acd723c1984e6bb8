package dev.recall.agent.instrumentation;

import dev.recall.agent.Log;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * The Byte Buddy transformer, built on a thread of its own while the application starts: building it
 * loads about a thousand classes, a few hundred milliseconds that need not hold up {@code main}. Only a
 * class that actually needs weaving waits for it, and most applications load their first such class
 * well after the build is done. The build thread loads only the agent's own classes, never one that
 * would come back here, so nothing can wait on itself. Shared by class-loading threads; the future is
 * the only state.
 */
final class DeferredTransformer implements ClassFileTransformer {

    private final FutureTask<ClassFileTransformer> built;

    DeferredTransformer(Supplier<ClassFileTransformer> build) {
        this.built = new FutureTask<>(build::get);
        Thread t = new Thread(built, "recall-init");
        t.setDaemon(true);
        t.start();
    }

    private ClassFileTransformer transformer() {
        try {
            return built.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            Log.once("init", "the agent could not prepare its bytecode weaver; nothing is cached", e.getCause());
            return null;
        }
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
                            byte[] bytes) throws IllegalClassFormatException {
        ClassFileTransformer t = transformer();
        return t == null ? null : t.transform(module, loader, name, redefined, domain, bytes);
    }

    @Override
    public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes)
            throws IllegalClassFormatException {
        ClassFileTransformer t = transformer();
        return t == null ? null : t.transform(loader, name, redefined, domain, bytes);
    }
}
