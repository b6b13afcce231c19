package org.camkit.shell.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.camkit.api.Detection;

/**
 * A detection target without a box, {@code detection:<label>[:iou]}: {@code cam:explain} explains each detected
 * object of that label in turn, one map per object.
 *
 * @param label the label (or class index) as given
 * @param iou   the IoU suffix as given, e.g. {@code :0.7}, or empty
 */
record ObjectTarget(String label, String iou) {

    /** The detection target's name. */
    static final String DETECTION = "detection:";

    /**
     * @param spec a target spec
     * @return the per-object target it names, or empty for any other spec (a box given, no label, another target)
     */
    static Optional<ObjectTarget> parse(String spec) {
        if (!spec.startsWith(DETECTION) || spec.indexOf('@') >= 0 || spec.length() == DETECTION.length()) {
            return Optional.empty();
        }
        String argument = spec.substring(DETECTION.length());
        int colon = argument.indexOf(':');
        return Optional.of(colon < 0 ? new ObjectTarget(argument, "")
                : new ObjectTarget(argument.substring(0, colon), argument.substring(colon)));
    }

    /**
     * @param detections an image's detections
     * @return those of this label (by label or class index), best first
     */
    List<Detection> of(List<Detection> detections) {
        return detections.stream().filter(d -> d.label().equals(label.trim())
                || String.valueOf(d.classIndex()).equals(label.trim())).toList();
    }

    /**
     * @param detection one object
     * @return the target spec of exactly that object
     */
    String spec(Detection detection) {
        return DETECTION + label + "@" + detection.box() + iou;
    }

    /**
     * @param file   an output file for the image
     * @param object the object's number among the image's objects of this label, from 0
     * @return the object's file: {@code name-<label>-<object>.ext}
     */
    Path file(Path file, int object) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String suffix = "-" + label.trim().replaceAll("[^A-Za-z0-9_.]+", "_") + "-" + object;
        return file.resolveSibling(dot > 0 ? name.substring(0, dot) + suffix + name.substring(dot) : name + suffix);
    }
}
