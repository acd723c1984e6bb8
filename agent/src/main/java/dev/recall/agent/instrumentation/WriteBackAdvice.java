package dev.recall.agent.instrumentation;

import dev.recall.bridge.Bridge;
import dev.recall.bridge.Call;
import net.bytebuddy.asm.Advice;

/**
 * Advice inlined into {@code WRITE_BACK} methods. When the site accepts the write, the body is skipped
 * (the method is void, so there is no return value to supply); the agent's writer runs it later through
 * an ordinary call, which this same advice then lets through. When the site cannot accept it (its queue
 * is full), the body runs now and the exit reports the outcome, as for write-through.
 *
 * <p>Unlike the read advice this captures the instance and every argument: the write has to be replayed
 * later, and writes are not the hot path. Only {@code dev.recall.bridge} types may appear here.
 */
final class WriteBackAdvice {

    private WriteBackAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    static Object enter(@SiteId int id, @Advice.Origin Class<?> type, @Advice.This(optional = true) Object self,
                        @Advice.AllArguments Object[] args, @Advice.Local("recallCall") Call call) {
        Object r = Bridge.site(id).defer(type, self, args);
        if (r instanceof Call) {
            call = (Call) r;
            return null;
        }
        return r;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@SiteId int id, @Advice.Local("recallCall") Call call, @Advice.Thrown Throwable thrown) {
        if (call != null) {
            Bridge.site(id).exit(call, null, thrown);
        }
    }
}
