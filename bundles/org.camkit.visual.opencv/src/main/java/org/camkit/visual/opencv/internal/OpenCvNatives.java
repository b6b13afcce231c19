package org.camkit.visual.opencv.internal;

import nu.pattern.OpenCV;
import org.camkit.api.CamException;
import org.opencv.core.Core;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Loads the OpenCV native library once per JVM, when the first visualizer activates.
final class OpenCvNatives {
    private static final Logger LOG = LoggerFactory.getLogger(OpenCvNatives.class);
    private static boolean loaded;

    private OpenCvNatives() {
    }

    static synchronized void load() {
        if (loaded) {
            return;
        }
        try {
            OpenCV.loadLocally();
        } catch (RuntimeException | LinkageError e) {
            String message = "OpenCV " + Core.VERSION + " native library could not be loaded, so the OpenCV"
                    + " visualizers are unavailable: " + e + ". If the org.openpnp.opencv bundle was refreshed or"
                    + " updated, restart the runtime (a native library loads once per JVM)";
            LOG.error(message, e);
            throw new CamException(message, e);
        }
        loaded = true;
        LOG.info("OpenCV {} native library loaded", Core.VERSION);
    }
}
