package dev.recall.sample.load;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a {@link LoadSpec} against a service and measures it: a warm-up phase whose requests are sent but
 * not recorded, then the measured phase.
 *
 * <p><b>Open loop</b> (wrk2-style): request {@code i} has the intended send time {@code start + i/rate}. A
 * scheduler thread dispatches each at that time through {@link java.net.http.HttpClient#sendAsync}, up to
 * {@value #MAX_IN_FLIGHT} in flight, and its response time is measured from the intended time, not from
 * when it actually left. A service that stalls for a second therefore shows a second of waiting in every
 * request that should have been sent during the stall, as real users would see, instead of in the one
 * request that happened to be in flight (coordinated omission). If the generator itself falls behind
 * (all slots busy, or a slow machine) it sends the overdue requests as soon as it can, still measured
 * from their intended times, and reports how many left late and the longest lag.
 *
 * <p><b>Closed loop</b>: each of N client threads sends its next request when the previous one completes,
 * measured from the actual send (which is the intended one there).
 *
 * <p>Threads: the run's own state lives in one instance used by the scheduler or client threads and the
 * HTTP client's completion threads. What they share is made safe as follows: a completion is recorded (the
 * throughput counters, {@link AtomicLong}s, and the {@link Statistics}, which also synchronise internally)
 * under the instance's lock, which taking the figures at the end holds too, so the whole run and its
 * {@link Window} parts are one snapshot; {@link Progress} synchronises internally, the in-flight limit is a
 * {@link Semaphore}, {@link Sender} is thread-safe, everything else is final and immutable. The open loop's
 * lateness figures are touched only by the scheduler thread; each closed-loop client has its own
 * {@link RequestPicker}.
 */
public final class LoadGenerator {

    /** Enough for 1 s of stall at 250 req/s; beyond that requests leave late and the report says so. */
    public static final int MAX_IN_FLIGHT = 256;
    /** Dispatching later than this after the intended time counts as "sent late". */
    public static final long LATE_MILLIS = 10;
    /** Room to start the progress timer and threads before the first intended send time. */
    private static final long START_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final LoadSpec spec;
    private final Sender sender;
    private final Progress progress;
    private final long start;
    private final long warmEnd;
    private final long end;
    /** The whole measured phase. */
    private final Part whole;
    /** With a {@link Window}: the measured requests sent outside it and inside it; otherwise {@code null}. */
    private final Window window;
    private final Part outside;
    private final Part inside;
    /**
     * Set when the run's figures are taken: a request that completes later (one still in flight when the wait for
     * stragglers gave up) is counted nowhere, so the whole and its parts are one snapshot. Guarded by {@code this}.
     */
    private boolean ended;

    /**
     * The figures of a run, or of the requests of one side of a {@link Window}: statistics, the requests
     * completed during the stretch (thread-safe), and how late the scheduler sent (its thread only).
     */
    private static final class Part {
        final Statistics statistics;
        final AtomicLong completed = new AtomicLong();
        long sentLate;
        long maxLag;

        Part(LoadSpec spec) {
            this.statistics = new Statistics(Math.max(1, spec.apdexT().toNanos() / 1_000));
        }

        void dispatched(long lag, long lateNanos) {
            maxLag = Math.max(maxLag, lag);
            if (lag > lateNanos) {
                sentLate++;
            }
        }

        LoadResult.Dispatch dispatch(Mode mode) {
            return mode == Mode.OPEN ? new LoadResult.Dispatch(sentLate, maxLag / 1e6) : new LoadResult.Dispatch(0, 0);
        }
    }

    /**
     * A run reported whole and split by a {@link Window}: {@code outside} holds the measured requests sent
     * outside the window, {@code inside} those sent in it (each with its own throughput, over its share of the
     * measured phase).
     */
    public record Split(LoadResult whole, LoadResult outside, LoadResult inside) {
    }

    private LoadGenerator(LoadSpec spec, Progress progress, long start, Window window) {
        this.spec = spec;
        this.sender = new Sender(spec.timeout());
        this.progress = progress;
        this.start = start;
        this.warmEnd = start + spec.warmup().toNanos();
        this.end = warmEnd + spec.duration().toNanos();
        this.whole = new Part(spec);
        this.window = window;
        this.outside = window == null ? null : new Part(spec);
        this.inside = window == null ? null : new Part(spec);
    }

    /**
     * Runs {@code spec} to the end and returns its figures. Blocks for warm-up plus duration (plus the
     * time the last requests take).
     *
     * @param label    names the run in progress lines and results, e.g. "with agent"
     * @param progress where the once-a-second progress line goes, or {@code null} for none
     */
    public static LoadResult run(LoadSpec spec, String label, PrintStream progress) {
        return run(spec, label, progress, MAX_IN_FLIGHT, null).whole();
    }

    /**
     * {@link #run(LoadSpec, String, PrintStream)}, also reporting apart the measured requests sent inside
     * {@code window} (which something else begins while the load runs) and those sent outside it. A window
     * that never begins leaves {@code inside} empty.
     */
    public static Split run(LoadSpec spec, String label, PrintStream progress, Window window) {
        return run(spec, label, progress, MAX_IN_FLIGHT, window);
    }

    /** {@link #run} with another in-flight limit: tests use a small one to make the generator fall behind. */
    static LoadResult run(LoadSpec spec, String label, PrintStream progressOut, int maxInFlight) {
        return run(spec, label, progressOut, maxInFlight, null).whole();
    }

    private static Split run(LoadSpec spec, String label, PrintStream progressOut, int maxInFlight, Window window) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1");
        }
        Instant started = Instant.now();
        long start = System.nanoTime() + START_DELAY_NANOS;
        long warmEnd = start + spec.warmup().toNanos();
        try (Progress progress = new Progress(progressOut, label, start, warmEnd, warmEnd + spec.duration().toNanos())) {
            LoadGenerator run = new LoadGenerator(spec, progress, start, window);
            try {
                if (spec.mode() == Mode.OPEN) {
                    run.openLoop(maxInFlight);
                } else {
                    run.closedLoop();
                }
            } catch (InterruptedException e) {
                // Report what was measured so far; the caller sees the interrupt flag.
                Thread.currentThread().interrupt();
            }
            run.sender.close();
            Split split;
            synchronized (run) {
                run.ended = true;
                LoadResult whole = run.result(run.whole, label, started, run.end - run.warmEnd);
                long in = window == null ? 0 : window.overlap(run.warmEnd, run.end);
                split = window == null ? new Split(whole, null, null)
                        : new Split(whole, run.result(run.outside, label, started, run.end - run.warmEnd - in),
                                run.result(run.inside, label, started, in));
            }
            progress.finish(split.whole());
            return split;
        }
    }

    private LoadResult result(Part part, String label, Instant started, long measuredNanos) {
        return part.statistics.toResult(label, started, spec, measuredNanos / 1e9, part.completed.get(),
                part.dispatch(spec.mode()));
    }

    /** The part of a window a measured request sent at {@code sentNanos} belongs to, or {@code null} without one. */
    private Part side(long sentNanos) {
        return window == null ? null : window.contains(sentNanos) ? inside : outside;
    }

    private void openLoop(int maxInFlight) throws InterruptedException {
        Semaphore slots = new Semaphore(maxInFlight);
        RequestPicker picker = RequestPicker.create(spec);
        double intervalNanos = 1e9 / spec.ratePerSecond();
        long lateNanos = TimeUnit.MILLISECONDS.toNanos(LATE_MILLIS);
        for (long i = 0; ; i++) {
            // Multiplying rather than adding up intervals: no rounding drift over a long run.
            long intended = start + (long) (i * intervalNanos);
            if (intended >= end) {
                break;
            }
            PlannedRequest request = picker.next();
            sleepUntil(intended);
            slots.acquire();
            long lag = System.nanoTime() - intended;
            boolean measured = intended >= warmEnd;
            // Decided now, at or after the intended time: a window that has not begun by now does not hold it.
            Part side = measured ? side(intended) : null;
            if (measured) {
                whole.dispatched(lag, lateNanos);
                if (side != null) {
                    side.dispatched(lag, lateNanos);
                }
            }
            sender.send(request).whenComplete((outcome, failure) -> {
                try {
                    complete(measured, side, intended, outcome);
                } finally {
                    slots.release();
                }
            });
        }
        // Wait for the stragglers: every request has a timeout, so this ends; the margin covers slow callbacks.
        if (!slots.tryAcquire(maxInFlight, spec.timeout().toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
            System.err.println("load: some requests were still in flight when the run ended; they are not counted");
        }
    }

    private void closedLoop() throws InterruptedException {
        RequestPicker base = RequestPicker.create(spec);
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < spec.clients(); c++) {
            RequestPicker picker = base.fork(c);
            Thread t = new Thread(() -> client(picker), "load-client-" + c);
            t.setDaemon(true);
            clients.add(t);
            t.start();
        }
        try {
            for (Thread t : clients) {
                t.join();
            }
        } catch (InterruptedException e) {
            clients.forEach(Thread::interrupt);
            throw e;
        }
    }

    private void client(RequestPicker picker) {
        try {
            sleepUntil(start);
        } catch (InterruptedException e) {
            return;
        }
        while (!Thread.currentThread().isInterrupted()) {
            PlannedRequest request = picker.next();
            long sent = System.nanoTime();
            if (sent >= end) {
                return;
            }
            boolean measured = sent >= warmEnd;
            Part side = measured ? side(sent) : null;
            complete(measured, side, sent, sender.sendAndWait(request));
        }
    }

    /** @param side with a window, the part the request belongs to if it is measured; otherwise {@code null} */
    private void complete(boolean measured, Part side, long sentNanos, Outcome outcome) {
        if (outcome == null) {
            return; // Sender never fails a future, so this is only reached if that promise is broken
        }
        long done = outcome.completedNanos();
        long responseNanos = done - sentNanos;
        progress.record(responseNanos, outcome.isError(), measured);
        synchronized (this) {
            if (ended) {
                return;
            }
            if (done >= warmEnd && done < end) {
                // Throughput: what completed during the measured phase, and with a window, on which side of it.
                whole.completed.incrementAndGet();
                if (window != null) {
                    (window.contains(done) ? inside : outside).completed.incrementAndGet();
                }
            }
            if (measured) {
                whole.statistics.record(outcome, responseNanos);
                if (side != null) {
                    side.statistics.record(outcome, responseNanos);
                }
            }
        }
    }

    private static void sleepUntil(long deadline) throws InterruptedException {
        long remaining;
        while ((remaining = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(remaining);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }
}
