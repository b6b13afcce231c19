package org.camkit.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.camkit.api.CamException;
import org.junit.jupiter.api.Test;

class ModelGuardTest {

    @Test
    void closeWaitsForARunningPassThenRefusesLaterOnesAndReleasesOnce() throws Exception {
        ModelGuard guard = new ModelGuard("m");
        CountDownLatch inPass = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicBoolean releasedDuringPass = new AtomicBoolean();
        AtomicBoolean passRunning = new AtomicBoolean();
        Thread pass = new Thread(() -> guard.call(() -> {
            passRunning.set(true);
            inPass.countDown();
            try {
                finish.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            passRunning.set(false);
            return null;
        }));
        pass.start();
        assertTrue(inPass.await(10, TimeUnit.SECONDS));
        AtomicInteger releases = new AtomicInteger();
        Thread closer = new Thread(() -> guard.close(() -> {
            releasedDuringPass.set(passRunning.get());
            releases.incrementAndGet();
        }));
        closer.start();
        Thread.sleep(100);
        assertEquals(0, releases.get(), "released while a pass ran");
        finish.countDown();
        closer.join(10_000);
        pass.join(10_000);
        assertEquals(1, releases.get());
        assertFalse(releasedDuringPass.get());
        guard.close(releases::incrementAndGet);
        assertEquals(1, releases.get(), "released twice");
        CamException e = assertThrows(CamException.class, () -> guard.call(() -> 1));
        assertTrue(e.getMessage().contains("'m' is closed"), e.getMessage());
    }
}
