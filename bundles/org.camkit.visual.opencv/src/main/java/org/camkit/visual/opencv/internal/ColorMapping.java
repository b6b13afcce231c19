package org.camkit.visual.opencv.internal;

import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.camkit.api.CamException;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;

// Colour-maps [0, 1] maps with OpenCV's applyColorMap, reusing a small pool of native Mats across calls and threads.
final class ColorMapping implements AutoCloseable {
    private static final int MAX_IDLE = Math.max(2, Runtime.getRuntime().availableProcessors());

    private final Deque<Workspace> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    /**
     * Like {@code cv2.cvtColor(cv2.applyColorMap(np.uint8(255 * cam), colormap), cv2.COLOR_BGR2RGB)}.
     *
     * @return {@code width * height * 3} RGB bytes
     */
    byte[] rgb(float[] cam, int width, int height, int colormap) {
        byte[] gray = new byte[cam.length];
        for (int i = 0; i < cam.length; i++) {
            gray[i] = (byte) toUint8(cam[i]);
        }
        byte[] bgr = new byte[cam.length * 3];
        Workspace workspace = borrow();
        try {
            workspace.gray.create(height, width, CvType.CV_8UC1);
            workspace.gray.put(0, 0, gray);
            Imgproc.applyColorMap(workspace.gray, workspace.colour, colormap);
            workspace.colour.get(0, 0, bgr);
        } finally {
            giveBack(workspace);
        }
        for (int i = 0; i < bgr.length; i += 3) {
            byte blue = bgr[i];
            bgr[i] = bgr[i + 2];
            bgr[i + 2] = blue;
        }
        return bgr;
    }

    /** {@code np.uint8(255 * m)} for m in [0, 1]: truncates; values outside (and NaN) are clamped. */
    static int toUint8(float m) {
        float v = 255f * m;
        if (!(v > 0f)) {
            return 0;
        }
        return v >= 255f ? 255 : (int) v;
    }

    @Override
    public void close() {
        closed = true;
        drain();
    }

    private Workspace borrow() {
        if (closed) {
            throw new CamException("this OpenCV visualizer was deactivated (its bundle stopped or restarted);"
                    + " look the visualizer service up again");
        }
        Workspace workspace = idle.poll();
        return workspace != null ? workspace : new Workspace(new Mat(), new Mat());
    }

    private void giveBack(Workspace workspace) {
        if (closed || idle.size() >= MAX_IDLE) {
            workspace.release();
            return;
        }
        idle.push(workspace);
        if (closed) {
            drain();
        }
    }

    private void drain() {
        for (Workspace w = idle.poll(); w != null; w = idle.poll()) {
            w.release();
        }
    }

    // The native buffers of one colour-mapping call; Mat.create keeps them while the size stays the same.
    private record Workspace(Mat gray, Mat colour) {
        void release() {
            gray.release();
            colour.release();
        }
    }
}
