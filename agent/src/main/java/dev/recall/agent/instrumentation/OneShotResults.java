package dev.recall.agent.instrumentation;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Return types whose objects must not be handed to a second caller: reactive publishers (each
 * subscription runs the work again, or a hot one is shared), streams and iterators (used once), plain
 * futures (no value to read without blocking). A method returning one is refused at class load. A
 * {@code CompletableFuture} or {@code CompletionStage} is not among them: its value is cached instead.
 */
final class OneShotResults {

    private static final Map<String, String> REFUSED = Map.ofEntries(
            Map.entry("reactor.core.publisher.Mono", "a Reactor Mono"),
            Map.entry("reactor.core.publisher.Flux", "a Reactor Flux"),
            Map.entry("io.reactivex.Single", "an RxJava Single"),
            Map.entry("io.reactivex.Maybe", "an RxJava Maybe"),
            Map.entry("io.reactivex.Observable", "an RxJava Observable"),
            Map.entry("io.reactivex.Flowable", "an RxJava Flowable"),
            Map.entry("io.reactivex.Completable", "an RxJava Completable"),
            Map.entry("io.reactivex.rxjava3.core.Single", "an RxJava Single"),
            Map.entry("io.reactivex.rxjava3.core.Maybe", "an RxJava Maybe"),
            Map.entry("io.reactivex.rxjava3.core.Observable", "an RxJava Observable"),
            Map.entry("io.reactivex.rxjava3.core.Flowable", "an RxJava Flowable"),
            Map.entry("io.reactivex.rxjava3.core.Completable", "an RxJava Completable"),
            Map.entry("io.smallrye.mutiny.Uni", "a Mutiny Uni"),
            Map.entry("io.smallrye.mutiny.Multi", "a Mutiny Multi"),
            Map.entry("kotlinx.coroutines.flow.Flow", "a Kotlin Flow"),
            Map.entry("org.reactivestreams.Publisher", "a Reactive Streams Publisher"),
            Map.entry("java.util.concurrent.Flow$Publisher", "a Flow.Publisher"),
            Map.entry("java.util.concurrent.Future", "a Future"),
            Map.entry("java.util.stream.Stream", "a Stream"),
            Map.entry("java.util.stream.IntStream", "a Stream"),
            Map.entry("java.util.stream.LongStream", "a Stream"),
            Map.entry("java.util.stream.DoubleStream", "a Stream"),
            Map.entry("java.util.Iterator", "an Iterator"));

    private static final Set<String> FUTURES = Set.of(CompletableFuture.class.getName(), CompletionStage.class.getName());

    private OneShotResults() {
    }

    /** Why a result of {@code returnType} cannot be cached, or {@code null} if it can. */
    static String why(String returnType) {
        String what = REFUSED.get(returnType);
        if (what == null) {
            return null;
        }
        return "returns " + what + " (" + returnType + "), which a second caller cannot be given: it is used once, or "
                + "runs its work again for each subscriber. Cache the method that produces its value, or return a "
                + "CompletableFuture, whose value Recall caches";
    }

    /** Whether the method returns a future whose value is cached: the class itself is not loaded to ask, its name is compared. */
    static boolean isFuture(String returnType) {
        return FUTURES.contains(returnType);
    }
}
