package org.camkit.shell.internal;

import org.camkit.api.ImageExplanation;

// The position of a map's largest value (the first, in row-major order, if several are equal).
record Peak(int x, int y) {

    static Peak of(ImageExplanation image) {
        int peak = image.peak();
        return new Peak(peak % image.width(), peak / image.width());
    }
}
