package org.camkit.backend.djl.internal;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.camkit.api.CamException;

/*
 * Turns between two phases of work that need a global switch in opposite states (OneDnn: forward passes with oneDNN
 * on, back-propagations with it off). Any number of actions of one phase run at once; the switch flips only when no
 * action of the other phase runs, and a phase that others wait for lets them go next. Re-entrant: an action of the
 * other phase inside an action gives the outer phase up meanwhile and takes it back afterwards.
 */
final class PhaseLock {
    private final Consumer<Boolean> flip;
    private final ThreadLocal<Boolean> held = new ThreadLocal<>();
    private final int[] waiting = new int[2];
    private boolean on;
    private int running;
    private Boolean next;

    /**
     * @param on   the switch's state now
     * @param flip sets the switch (true: the "on" phase), called while no action runs
     */
    PhaseLock(boolean on, Consumer<Boolean> flip) {
        this.on = on;
        this.flip = flip;
    }

    /**
     * @param wantOn the phase the action needs
     * @param action the work
     * @return what the action returns
     * @throws CamException "cancelled" if the thread is interrupted while it waits for its phase (an enclosing
     *                      action's phase is held again when this returns or throws)
     */
    <T> T run(boolean wantOn, Supplier<T> action) {
        Boolean outer = held.get();
        if (outer != null && outer == wantOn) {
            return action.get();
        }
        if (outer != null) {
            leave(); // the other phase inside an action: give the outer phase up meanwhile
        }
        try {
            enter(wantOn, true);
        } catch (CamException cancelled) {
            if (outer != null) {
                enter(outer, false); // the enclosing action holds its phase again, as it expects
            }
            throw cancelled;
        }
        held.set(wantOn);
        try {
            return action.get();
        } finally {
            leave();
            held.set(outer);
            if (outer != null) {
                enter(outer, false);
            }
        }
    }

    /** @return how many actions hold a phase now */
    synchronized int running() {
        return running;
    }

    // waits for the phase; uninterruptible waits keep the interrupt for the caller
    private synchronized void enter(boolean wantOn, boolean interruptible) {
        int mine = wantOn ? 1 : 0;
        boolean interrupted = false;
        boolean gaveUp = true;
        waiting[mine]++;
        try {
            while ((running > 0 && on != wantOn) || (next != null && next != wantOn)
                    || (running > 0 && waiting[1 - mine] > 0)) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    if (interruptible) {
                        Thread.currentThread().interrupt();
                        throw new CamException(CamException.Kind.CANCELLED, "cancelled: interrupted while "
                                + "waiting for libtorch's " + (wantOn ? "forward" : "back-propagation") + " turn",
                                null, List.of());
                    }
                    interrupted = true;
                }
            }
            gaveUp = false;
        } finally {
            waiting[mine]--;
            if (gaveUp) { // the turn it was given, if it was the last of its phase to wait, goes back to everyone
                if (waiting[mine] == 0 && next != null && next == wantOn) {
                    next = null;
                }
                notifyAll();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (running == 0 && on != wantOn) {
            flip.accept(wantOn);
            on = wantOn;
        }
        if (next != null && next == wantOn) {
            next = null;
        }
        running++;
    }

    private synchronized void leave() {
        if (--running == 0 && waiting[on ? 0 : 1] > 0) {
            next = !on; // the other phase waited: it goes next
        }
        notifyAll();
    }
}
