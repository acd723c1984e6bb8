package dev.recall.agent.instrumentation;

import dev.recall.bridge.Bridge;
import dev.recall.bridge.Call;
import dev.recall.bridge.Site;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Advice inlined into methods that return a value. On a hit the enter advice returns the cached value,
 * which skips the body, and the exit advice makes it the return value; on a miss it leaves a
 * {@link Call} in a local for the exit advice to complete. The hit is asked of {@link Site#lookup}, which
 * is kept tiny so the JIT inlines it; everything else goes through {@link Site#enter}.
 *
 * <p>Only {@code dev.recall.bridge} types may appear here: this code runs inside application classes.
 * There are four enter variants so that methods of one or two parameters need no argument array.
 */
final class ReadAdvice {

    private ReadAdvice() {
    }

    static final class NoArgs {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
        static Object enter(@SiteId int id, @Advice.Local("recallCall") Call call) {
            Site site = Bridge.site(id);
            Object r = site.lookup(null, null, null);
            if (r != null) {
                return r;
            }
            r = site.enter(null, null, null);
            if (r instanceof Call) {
                call = (Call) r;
                return null;
            }
            return r;
        }
    }

    static final class OneArg {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
        static Object enter(@SiteId int id, @Advice.Argument(0) Object arg, @Advice.Local("recallCall") Call call) {
            Site site = Bridge.site(id);
            Object r = site.lookup(arg, null, null);
            if (r != null) {
                return r;
            }
            r = site.enter(arg, null, null);
            if (r instanceof Call) {
                call = (Call) r;
                return null;
            }
            return r;
        }
    }

    static final class TwoArgs {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
        static Object enter(@SiteId int id, @Advice.Argument(0) Object a0, @Advice.Argument(1) Object a1,
                            @Advice.Local("recallCall") Call call) {
            Site site = Bridge.site(id);
            Object r = site.lookup(a0, a1, null);
            if (r != null) {
                return r;
            }
            r = site.enter(a0, a1, null);
            if (r instanceof Call) {
                call = (Call) r;
                return null;
            }
            return r;
        }
    }

    static final class AllArgs {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
        static Object enter(@SiteId int id, @Advice.AllArguments Object[] args, @Advice.Local("recallCall") Call call) {
            Site site = Bridge.site(id);
            Object r = site.lookup(null, null, args);
            if (r != null) {
                return r;
            }
            r = site.enter(null, null, args);
            if (r instanceof Call) {
                call = (Call) r;
                return null;
            }
            return r;
        }
    }

    static final class Exit {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@SiteId int id,
                         @Advice.Enter Object hit,
                         @Advice.Local("recallCall") Call call,
                         @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned,
                         @Advice.Thrown Throwable thrown) {
            if (hit != null) {
                returned = Bridge.unwrap(hit);
            } else if (call != null) {
                Bridge.site(id).exit(call, returned, thrown);
            }
        }
    }
}
