package dev.recall.agent.instrumentation;

import dev.recall.bridge.Bridge;
import dev.recall.bridge.Call;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Advice inlined into write and evict methods: the body always runs; the site learns its arguments
 * before and its outcome after. Only {@code dev.recall.bridge} types may appear here.
 */
final class WriteAdvice {

    private WriteAdvice() {
    }

    static final class OneArg {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@SiteId int id, @Advice.Argument(0) Object arg) {
            return Bridge.site(id).enter(arg, null, null);
        }
    }

    static final class TwoArgs {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@SiteId int id, @Advice.Argument(0) Object a0, @Advice.Argument(1) Object a1) {
            return Bridge.site(id).enter(a0, a1, null);
        }
    }

    static final class AllArgs {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@SiteId int id, @Advice.AllArguments Object[] args) {
            return Bridge.site(id).enter(null, null, args);
        }
    }

    static final class Exit {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@SiteId int id,
                         @Advice.Enter Object call,
                         @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object returned,
                         @Advice.Thrown Throwable thrown) {
            if (call instanceof Call) {
                Bridge.site(id).exit((Call) call, returned, thrown);
            }
        }
    }
}
