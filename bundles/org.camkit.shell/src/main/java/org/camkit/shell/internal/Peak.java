package org.camkit.shell.internal;

// The position of a map's largest value (the first, in row-major order, if several are equal).
record Peak(int x, int y, float value) {

    static Peak of(float[] cam, int width) {
        int best = 0;
        for (int i = 1; i < cam.length; i++) {
            if (cam[i] > cam[best]) {
                best = i;
            }
        }
        return new Peak(best % width, best / width, cam[best]);
    }
}
