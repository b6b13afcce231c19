package org.camkit.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.camkit.api.CamException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkersTest {
    private final ExecutorService clients = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        clients.shutdownNow();
    }

    @Test
    void beyondTheSlotsAndTheQueueARequestIsAnswered429WithRetryAfter() throws Exception {
        Workers workers = new Workers(1, 1, Duration.ofMinutes(1), new ConcurrentHashMap<>());
        Future<String> running = clients.submit(() -> workers.run("a", p -> block()));
        awaitState(workers, "a", Workers.State.RUNNING);
        Future<String> queued = clients.submit(() -> workers.run("b", p -> "b done"));
        awaitState(workers, "b", Workers.State.QUEUED);
        waitUntil(() -> workers.taken() == 2);

        RestException busy = assertThrows(RestException.class, () -> workers.run("c", p -> "c done"));
        assertEquals(429, busy.status());
        assertEquals(1, busy.retryAfterSeconds());

        release.countDown();
        assertEquals("released", running.get(10, TimeUnit.SECONDS));
        assertEquals("b done", queued.get(10, TimeUnit.SECONDS));
        assertEquals(Workers.State.DONE, workers.get("b").state);
    }

    @Test
    void aRequestRightAfterAnotherEndedIsTakenEvenWithoutAQueue() {
        Workers workers = new Workers(1, 0, Duration.ofMinutes(1), new ConcurrentHashMap<>());
        for (int i = 0; i < 500; i++) {
            int n = i;
            assertEquals(Integer.valueOf(n), workers.<Integer>run(null, p -> n), "request " + i);
        }
    }

    @Test
    void aWaitingRequestCancelledBeforeItRanFreesItsPlace() throws Exception {
        Workers workers = new Workers(1, 1, Duration.ofMinutes(1), new ConcurrentHashMap<>());
        clients.submit(() -> workers.run("running", p -> block()));
        awaitState(workers, "running", Workers.State.RUNNING);
        Future<String> waiting = clients.submit(() -> workers.run("waiting", p -> "ran"));
        awaitState(workers, "waiting", Workers.State.QUEUED);
        waitUntil(() -> workers.taken() == 2);
        assertEquals(429, assertThrows(RestException.class, () -> workers.run("third", p -> "x")).status());

        assertTrue(workers.cancel("waiting"));
        Exception e = assertThrows(Exception.class, () -> waiting.get(10, TimeUnit.SECONDS));
        assertEquals(409, ((RestException) e.getCause()).status());
        Future<String> next = clients.submit(() -> workers.run("next", p -> "next ran"));
        awaitState(workers, "next", Workers.State.QUEUED);
        release.countDown();
        assertEquals("next ran", next.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aRequestOverTheTimeoutIsCancelledAndAnswered504() {
        Workers workers = new Workers(1, 0, Duration.ofMillis(200), new ConcurrentHashMap<>());
        RestException e = assertThrows(RestException.class, () -> workers.run("slow", p -> block()));
        assertEquals(504, e.status());
        assertEquals(Workers.State.CANCELLED, workers.get("slow").state);
    }

    @Test
    void aClientsDeleteCancelsItsRequestWhichIsAnswered409() throws Exception {
        Workers workers = new Workers(1, 0, Duration.ofMinutes(1), new ConcurrentHashMap<>());
        Future<String> running = clients.submit(() -> workers.run("x", p -> {
            p.update("scorecam relu4", 3, 64);
            return block();
        }));
        awaitState(workers, "x", Workers.State.RUNNING);
        waitUntil(() -> workers.get("x").done == 3);
        assertEquals("scorecam relu4", workers.get("x").task);
        assertEquals(64, workers.get("x").total);

        assertTrue(workers.cancel("x"));
        Exception e = assertThrows(Exception.class, () -> running.get(10, TimeUnit.SECONDS));
        RestException cause = (RestException) e.getCause();
        assertEquals(409, cause.status());
        assertTrue(cause.getMessage().contains("was cancelled"), cause.getMessage());
    }

    @Test
    void stoppingAnswersTheRunningAndTheWaiting503() throws Exception {
        Workers workers = new Workers(1, 1, Duration.ofMinutes(1), new ConcurrentHashMap<>());
        Future<String> running = clients.submit(() -> workers.run("r", p -> block()));
        awaitState(workers, "r", Workers.State.RUNNING);
        Future<String> waiting = clients.submit(() -> workers.run("w", p -> "never"));
        awaitState(workers, "w", Workers.State.QUEUED);
        waitUntil(() -> workers.taken() == 2);

        workers.close();
        for (Future<String> f : java.util.List.of(running, waiting)) {
            Exception e = assertThrows(Exception.class, () -> f.get(10, TimeUnit.SECONDS));
            assertEquals(503, ((RestException) e.getCause()).status());
        }
        assertEquals(503, assertThrows(RestException.class, () -> workers.run("late", p -> "x")).status());
    }

    @Test
    void aFailureOfTheWorkReachesTheCallerAsItWasThrown() {
        Workers workers = new Workers(1, 0, Duration.ofMinutes(1), new ConcurrentHashMap<>());
        CamException e = assertThrows(CamException.class, () -> workers.run(null, p -> {
            throw new CamException("unknown method 'x'");
        }));
        assertEquals("unknown method 'x'", e.getMessage());
    }

    @Test
    void anIdStillRunningCannotBeReusedAndAMalformedOneIsRefused() throws Exception {
        Workers workers = new Workers(2, 0, Duration.ofMinutes(1), new ConcurrentHashMap<>());
        clients.submit(() -> workers.run("same", p -> block()));
        awaitState(workers, "same", Workers.State.RUNNING);
        assertEquals(409, assertThrows(RestException.class, () -> workers.run("same", p -> "x")).status());
        assertEquals(400, assertThrows(RestException.class, () -> workers.run("../etc", p -> "x")).status());
        assertEquals("once", workers.run("done-once", p -> "once"));
        assertEquals("twice", workers.run("done-once", p -> "twice"), "a finished request's id may be reused");
    }

    /** Blocks until released; an interrupt ends it as camkit's probe does, with a CamException. */
    private String block() {
        try {
            release.await();
            return "released";
        } catch (InterruptedException e) {
            throw new CamException(CamException.Kind.CANCELLED, "cancelled: interrupted", null, List.of());
        }
    }

    private static void awaitState(Workers workers, String id, Workers.State state) throws InterruptedException {
        waitUntil(() -> workers.get(id) != null && workers.get(id).state == state);
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting");
            }
            Thread.sleep(5);
        }
    }
}
