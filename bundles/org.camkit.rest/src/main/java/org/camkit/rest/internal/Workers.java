package org.camkit.rest.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.camkit.api.Progress;

/**
 * Runs the API's requests: at most {@code maxConcurrent} at once, {@code queueLength} more waiting (beyond that 429),
 * each cancelled after the timeout (504), on a client's DELETE (409) or when the API stops (503); and keeps each
 * request's state and progress under its id for {@code GET /v1/requests/{id}} for a few minutes after it ends.
 */
final class Workers {
    /** How long a finished request's state stays readable. */
    static final Duration KEPT = Duration.ofMinutes(5);
    /** The most request states kept; the oldest finished ones go first. */
    static final int MAX_KEPT = 1000;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** A request's life, as {@code GET /v1/requests/{id}} shows it. */
    enum State { QUEUED, RUNNING, DONE, FAILED, CANCELLED }

    /** One request's state and progress; the method's progress reports land here. */
    static final class Tracked implements Progress {
        final String id;
        volatile State state = State.QUEUED;
        volatile String task = "";
        volatile int done;
        volatile int total;
        volatile Instant ended;
        volatile boolean cancelledByClient;
        volatile Future<?> future;

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
    }

    private final ThreadPoolExecutor pool;
    private final Duration timeout;
    private final Map<String, Tracked> requests;
    private volatile boolean closed;

    /**
     * @param concurrent requests that run at once
     * @param queue      requests that may wait
     * @param timeout    how long one may run
     * @param requests   the requests' states by id, shared with the workers this one replaces
     */
    Workers(int concurrent, int queue, Duration timeout, Map<String, Tracked> requests) {
        this.requests = requests;
        AtomicInteger count = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(concurrent, concurrent, 0, TimeUnit.SECONDS,
                queue == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queue),
                r -> {
                    Thread t = new Thread(r, "camkit-rest-" + count.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.timeout = timeout;
    }

    /**
     * Runs {@code work} on a worker and waits for it.
     *
     * @param requestId the client's id for the request, or null to make one
     * @param work      the work; it reports progress to its argument
     * @return what the work returned
     * @throws RestException 400 for a malformed id, 409 for an id in use or a cancelled request, 429 when full,
     *                       503 when stopping, 504 after the timeout; a failure of the work itself as it was thrown
     */
    <T> T run(String requestId, Function<Progress, T> work) {
        Tracked tracked = track(requestId);
        FutureTask<T> task = new FutureTask<>(() -> {
            tracked.state = State.RUNNING;
            return work.apply(tracked);
        });
        tracked.future = task;
        try {
            if (closed) {
                throw new RejectedExecutionException("closed");
            }
            pool.execute(task);
        } catch (RejectedExecutionException e) {
            tracked.end(State.FAILED);
            throw closed ? stopping() : new RestException(429, new ApiError("camkit is busy: " + pool
                    .getMaximumPoolSize() + " requests run and " + pool.getQueue().size() + " wait, the most it "
                    + "takes (configuration " + RestConfig.PID + ": maxConcurrent, queueLength); try again shortly",
                    null, List.of()), 1);
        }
        try {
            T result = task.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            tracked.end(State.DONE);
            return result;
        } catch (TimeoutException e) {
            task.cancel(true);
            tracked.end(State.CANCELLED);
            throw new RestException(504, "the request ran longer than the API's limit of " + timeout.toSeconds()
                    + " s and was cancelled; use a cheaper method or fewer images, or raise timeoutSeconds in "
                    + "configuration " + RestConfig.PID, tracked.id, List.of());
        } catch (CancellationException e) {
            tracked.end(State.CANCELLED);
            throw closed ? stopping() : cancelled(tracked);
        } catch (ExecutionException e) {
            tracked.end(State.FAILED);
            if (closed) {
                throw stopping();
            }
            if (tracked.cancelledByClient) {
                throw cancelled(tracked);
            }
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            task.cancel(true);
            tracked.end(State.CANCELLED);
            Thread.currentThread().interrupt();
            throw stopping();
        }
    }

    /** @return the request's state, or null when no such request is known (any more) */
    Tracked get(String id) {
        return requests.get(id);
    }

    /**
     * Cancels a queued or running request: it stops at its next engine pass and its caller is answered 409.
     *
     * @return false when no such request is known
     */
    boolean cancel(String id) {
        Tracked tracked = requests.get(id);
        if (tracked == null) {
            return false;
        }
        tracked.cancelledByClient = true;
        Future<?> future = tracked.future;
        if (future != null) {
            future.cancel(true);
        }
        return true;
    }

    /** Stops taking requests; those waiting and running are cancelled and answered 503. */
    void close() {
        closed = true;
        pool.shutdownNow().forEach(r -> ((Future<?>) r).cancel(false));
    }

    /** Stops taking requests, letting those waiting and running finish (a configuration change). */
    void retire() {
        pool.shutdown();
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

    private static RestException cancelled(Tracked tracked) {
        return new RestException(409, "request '" + tracked.id + "' was cancelled (DELETE /v1/requests/"
                + tracked.id + ")", tracked.id, List.of());
    }
}
