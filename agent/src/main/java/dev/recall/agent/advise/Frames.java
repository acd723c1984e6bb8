package dev.recall.agent.advise;

/**
 * The observed calls a thread is inside of, innermost on top, as far as they are followed: an analysed call
 * and every observed call nested in one. What lets a call know its observed caller, so that an outer method's
 * time can be told apart into its callees' ({@link Evidence#children}) and a result can be checked when its
 * caller is done with it.
 *
 * <p>One per thread, confined to it. Empty whenever the thread is outside every followed call, so it holds
 * nothing of the application between calls.
 */
final class Frames {

    private static final ThreadLocal<Frames> CURRENT = ThreadLocal.withInitial(Frames::new);

    private ObservedCall top;

    static Frames current() {
        return CURRENT.get();
    }

    /** Whether the thread is inside a followed call, so that a nested call is followed too. */
    boolean following() {
        return top != null;
    }

    ObservedCall top() {
        return top;
    }

    void push(ObservedCall call) {
        call.pushed(top);
        top = call;
    }

    /**
     * Takes {@code call} off the top. Calls end in the reverse order they began, so it is the top; were it not
     * (a call whose end was never reported), the frames above it go with it rather than stay for ever.
     */
    void pop(ObservedCall call) {
        for (ObservedCall c = top; c != null; c = c.parent) {
            if (c == call) {
                top = call.parent;
                return;
            }
        }
    }
}
