package org.camkit.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives progress of a long explanation (ScoreCAM, AblationCAM, occlusion, aug-smooth). Called from the
 * explaining thread; cancel the explanation by interrupting that thread.
 *
 * @since 0.2
 */
@FunctionalInterface
@ConsumerType
public interface Progress {

    /** Ignores all updates. */
    Progress NONE = (task, done, total) -> { };

    /**
     * @param task  what runs, e.g. {@code scorecam relu4}
     * @param done  units done
     * @param total units in all
     */
    void update(String task, int done, int total);
}
