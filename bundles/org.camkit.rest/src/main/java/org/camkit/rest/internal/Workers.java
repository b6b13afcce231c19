package org.camkit.rest.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.camkit.api.Progress;

/**
 * Runs the API's requests on the threads that received them (no hand-off to another thread: on a busy machine each
 * costs a wake-up): at most {@code maxConcurrent} at once and {@code queueLength} more waiting in arrival order
 * (beyond that 429); a request is interrupted after the timeout (504), on its client's DELETE (409) or when the API
 * stops (503) — camkit stops at its next engine pass — and its thread's interrupt is cleared before the thread goes
 * back to the HTTP server. Keeps each request's state and progress under its id for {@code GET /v1/requests/{id}}
 * for a few minutes after it ends.
 */
final class Workers {
    /** How long a finished request's state stays readable. */
    static final Duration KEPT = Duration.ofMinutes(5);
    /** The most request states kept; the oldest finished ones go first. */
    static final int MAX_KEPT = 1000;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** A request's life, as {@code GET /v1/requests/{id}} shows it. */
    enum State { QUEUED, RUNNING, DONE, FAILED, CANCELLED }

    /** Why a request was stopped. */
    enum Stop { TIMEOUT, CLIENT, STOPPING }

    /** One request's state and progress; the method's progress reports land here. */
    static final class Tracked implements Progress {
        final String id;
        volatile State state = State.QUEUED;
        volatile String task = "";
        volatile int done;
        volatile int total;
        volatile Instant ended;
        private Thread thread; // guarded by this: the thread that runs the request, while it does
        private Stop stop; // guarded by this

        Tracked(String id) {
            this.id = id;
        }

        @Override
        public void update(String task, int done, int total) {
            this.task = task;
            this.done = done;
            this.total = total;
        }

        void end(State how) {
            state = how;
            ended = Instant.now();
        }

        /**
         * Interrupts the request's thread, if it runs the request, or has it interrupt itself when it comes to run it;
         * the first reason counts.
         */
        synchronized void stop(Stop why) {
            stop = stop == null ? why : stop;
            if (thread != null) {
                thread.interrupt();
            }
        }

        /** In the request's thread, before it waits or runs: a stop that came earlier interrupts it now. */
        private synchronized void attach() {
            thread = Thread.currentThread();
            if (stop != null) {
                thread.interrupt();
            }
        }

        /** In the request's thread: no more interrupts for it, and the one it may have is cleared. */
        private synchronized Stop detach() {
            thread = null;
            Thread.interrupted();
            return stop;
        }
    }

    private final Semaphore admitted; // a request holds one from when it is taken until it ends: running + waiting
    private final Semaphore running; // fair: those waiting run in arrival order
    private final int capacity;
    private final int concurrent;
    private final Duration timeout;
    private final ScheduledThreadPoolExecutor timer;
    private final Map<String, Tracked> requests;
    private final Set<Tracked> active = ConcurrentHashMap.newKeySet();
    private volatile boolean closed; // takes no more requests
    private volatile boolean stopped; // and cancels those it took

    /**
     * @param concurrent requests that run at once
     * @param queue      requests that may wait
     * @param timeout    how long one may take, waiting included
     * @param requests   the requests' states by id, shared with the workers this one replaces
     */
    Workers(int concurrent, int queue, Duration timeout, Map<String, Tracked> requests) {
        this.concurrent = concurrent;
        this.capacity = concurrent + queue;
        this.admitted = new Semaphore(capacity);
        this.running = new Semaphore(concurrent, true);
        this.timeout = timeout;
        this.requests = requests;
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "camkit-rest-timeout");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    /**
     * Runs {@code work} in this thread once a slot is free.
     *
     * @param requestId the client's id for the request, or null to make one
     * @param work      the work; it reports progress to its argument, which also holds the request's id
     * @return what the work returned
     * @throws RestException 400 for a malformed id, 409 for an id in use or a cancelled request, 429 when full,
     *                       503 when stopping, 504 after the timeout; a failure of the work itself as it was thrown
     */
    <T> T run(String requestId, Function<Tracked, T> work) {
        Tracked tracked = track(requestId);
        if (closed) {
            tracked.end(State.FAILED);
            throw stopping();
        }
        if (!admitted.tryAcquire()) {
            tracked.end(State.FAILED);
            throw new RestException(429, new ApiError("camkit is busy: " + concurrent + " requests run and "
                    + (capacity - concurrent) + " wait, the most it takes (configuration " + RestConfig.PID
                    + ": maxConcurrent, queueLength); try again shortly", null, List.of()), 1);
        }
        active.add(tracked);
        tracked.attach();
        boolean slot = false;
        ScheduledFuture<?> deadline = null;
        try {
            if (stopped) { // close() came after the first look, before it could see this request
                throw stopping();
            }
            deadline = timer.schedule(() -> tracked.stop(Stop.TIMEOUT), timeout.toMillis(), TimeUnit.MILLISECONDS);
            running.acquire();
            slot = true;
            if (Thread.interrupted()) { // stopped as its turn came: it does not start
                throw new InterruptedException();
            }
            tracked.state = State.RUNNING;
            T result = work.apply(tracked);
            tracked.end(State.DONE);
            return result;
        } catch (InterruptedException | RuntimeException e) {
            Stop why = tracked.detach();
            if (why == null && e instanceof RuntimeException r && !(e instanceof RejectedExecutionException)) {
                tracked.end(State.FAILED);
                throw r;
            }
            tracked.end(why == null ? State.FAILED : State.CANCELLED);
            throw switch (why == null ? Stop.STOPPING : why) {
                case TIMEOUT -> new RestException(504, "the request took longer than the API's limit of "
                        + timeout.toSeconds() + " s and was cancelled; use a cheaper method or fewer images, or "
                        + "raise timeoutSeconds in configuration " + RestConfig.PID, tracked.id, List.of());
                case CLIENT -> new RestException(409, "request '" + tracked.id + "' was cancelled (DELETE "
                        + "/v1/requests/" + tracked.id + ")", tracked.id, List.of());
                case STOPPING -> stopping();
            };
        } finally {
            tracked.detach();
            if (deadline != null) {
                deadline.cancel(false);
            }
            if (slot) {
                running.release();
            }
            admitted.release();
            active.remove(tracked);
        }
    }

    /** @return how many requests hold a place now, running or waiting */
    int taken() {
        return capacity - admitted.availablePermits();
    }

    /** @return the request's state, or null when no such request is known (any more) */
    Tracked get(String id) {
        return requests.get(id);
    }

    /**
     * Cancels a waiting or running request: it stops at its next engine pass and its caller is answered 409.
     *
     * @return false when no such request is known
     */
    boolean cancel(String id) {
        Tracked tracked = requests.get(id);
        if (tracked == null) {
            return false;
        }
        tracked.stop(Stop.CLIENT);
        return true;
    }

    /** Stops taking requests; those waiting and running are cancelled and answered 503. */
    void close() {
        closed = true;
        stopped = true;
        // the waiting first, so that none of them takes the slot a stopped running request gives back
        active.stream().filter(t -> t.state == State.QUEUED).forEach(t -> t.stop(Stop.STOPPING));
        active.forEach(t -> t.stop(Stop.STOPPING));
        timer.shutdownNow();
    }

    /** Stops taking requests, letting those waiting and running finish (a configuration change). */
    void retire() {
        closed = true;
        timer.shutdown(); // the timeouts of the requests still running keep their turn
    }

    private Tracked track(String requestId) {
        String id = requestId == null || requestId.isEmpty() ? UUID.randomUUID().toString() : requestId;
        if (!ID.matcher(id).matches()) {
            throw new RestException(400, "requestId '" + id + "' is malformed; use 1 to 64 letters, digits, '_' "
                    + "or '-'", id, List.of());
        }
        forgetOld();
        Tracked tracked = new Tracked(id);
        Tracked before = requests.putIfAbsent(id, tracked);
        if (before != null) {
            if (before.ended == null || !requests.replace(id, before, tracked)) {
                throw new RestException(409, "requestId '" + id + "' is in use by a request still running; use "
                        + "another id", id, List.of());
            }
        }
        return tracked;
    }

    private void forgetOld() {
        Instant horizon = Instant.now().minus(KEPT);
        requests.values().removeIf(t -> t.ended != null && t.ended.isBefore(horizon));
        if (requests.size() >= MAX_KEPT) {
            requests.values().stream().filter(t -> t.ended != null).sorted(Comparator.comparing(t -> t.ended))
                    .limit(requests.size() - MAX_KEPT + 1L).toList().forEach(t -> requests.remove(t.id, t));
        }
    }

    private static RestException stopping() {
        return new RestException(503, new ApiError("camkit's API is stopping (or being reconfigured); try again "
                + "shortly", null, List.of()), 5);
    }
}
