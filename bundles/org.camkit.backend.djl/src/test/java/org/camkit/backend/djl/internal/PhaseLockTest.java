package org.camkit.backend.djl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.camkit.api.CamException;
import org.junit.jupiter.api.Test;

class PhaseLockTest {
    private final List<Boolean> flips = new CopyOnWriteArrayList<>();
    private final PhaseLock lock = new PhaseLock(true, flips::add);

    @Test
    void aBackPropagationInsideAForwardRegionTakesItsOwnPhaseAndGivesTheForwardOneBack() {
        String result = lock.run(true, () -> lock.run(false, () -> "inner") + " in forward");

        assertEquals("inner in forward", result);
        assertEquals(List.of(false, true), flips, "off for the back-propagation, on again for the forward region");
        assertEquals(0, lock.running());
    }

    @Test
    void aPassNeverRunsBesideOneOfTheOtherPhase() throws Exception {
        AtomicInteger forwards = new AtomicInteger();
        AtomicInteger backwards = new AtomicInteger();
        AtomicInteger clashes = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> work = new CopyOnWriteArrayList<>();
            for (int t = 0; t < 3; t++) {
                boolean forward = t < 2;
                work.add(threads.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        lock.run(forward, () -> {
                            (forward ? forwards : backwards).incrementAndGet();
                            if ((forward ? backwards : forwards).get() > 0) {
                                clashes.incrementAndGet();
                            }
                            Thread.yield();
                            return (forward ? forwards : backwards).decrementAndGet();
                        });
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        assertEquals(0, clashes.get(), "a forward pass and a back-propagation ran at once");
        assertEquals(0, lock.running());
    }

    @Test
    void anInterruptWhileWaitingForTheOtherPhaseLeavesTheEnclosingPhaseHeldOnceAndTheCountRight()
            throws Exception {
        CountDownLatch forwardRuns = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread blocker = new Thread(() -> lock.run(true, () -> {
            forwardRuns.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        blocker.start();
        assertTrue(forwardRuns.await(10, TimeUnit.SECONDS));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Boolean> interruptKept = new AtomicReference<>();
        CountDownLatch waiting = new CountDownLatch(1);
        Thread nested = new Thread(() -> {
            try {
                lock.run(true, () -> {
                    waiting.countDown();
                    return lock.run(false, () -> "never: the blocker holds the forward phase");
                });
            } catch (RuntimeException e) {
                failure.set(e);
                interruptKept.set(Thread.currentThread().isInterrupted());
            }
        });
        nested.start();
        assertTrue(waiting.await(10, TimeUnit.SECONDS));
        Thread.sleep(200); // the nested back-propagation waits for the blocker's forward pass to end
        nested.interrupt();
        nested.join(10_000);
        release.countDown();
        blocker.join(10_000);

        assertTrue(failure.get() instanceof CamException && failure.get().getMessage().startsWith("cancelled"),
                String.valueOf(failure.get()));
        assertTrue(interruptKept.get(), "the interrupt stays for the caller");
        assertEquals(0, lock.running(), "every phase taken was given back once");
        assertEquals("after", lock.run(false, () -> "after"), "a back-propagation still gets its turn");
        assertEquals(List.of(false), flips);
    }

    @Test
    void aWaiterInterruptedAfterItsPhaseWasGivenTheTurnHandsTheTurnBack() throws Exception {
        // the forward pass ends (the waiting back-propagation gets the turn) as the waiter is interrupted: whichever
        // comes first, a later forward pass must still run
        ExecutorService threads = Executors.newCachedThreadPool();
        try {
            for (int i = 0; i < 50; i++) {
                CountDownLatch forwardRuns = new CountDownLatch(1);
                CountDownLatch release = new CountDownLatch(1);
                AtomicReference<Thread> waiter = new AtomicReference<>();
                Future<?> forward = threads.submit(() -> lock.run(true, () -> {
                    forwardRuns.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    synchronized (lock) { // the waiter wakes needing the lock's monitor: the leave usually wins it
                        waiter.get().interrupt();
                    }
                    return null;
                }));
                assertTrue(forwardRuns.await(10, TimeUnit.SECONDS));
                Thread backward = new Thread(() -> {
                    try {
                        lock.run(false, () -> null);
                    } catch (CamException cancelled) {
                        // interrupted while it waited: the case under test
                    }
                });
                waiter.set(backward);
                backward.start();
                while (backward.getState() != Thread.State.WAITING) {
                    Thread.sleep(1);
                }
                release.countDown();
                forward.get(10, TimeUnit.SECONDS);
                backward.join(10_000);

                assertEquals("later", threads.submit(() -> lock.run(true, () -> "later")).get(10, TimeUnit.SECONDS),
                        "round " + i + ": a forward pass after the interrupted waiter");
                assertEquals(0, lock.running());
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
