package org.camkit.method.perturbation.internal;

import org.camkit.spi.Tensor;

/**
 * Bilinear upsampling of one channel as torch's CPU kernel does it, index arithmetic in float, in one of torch's two
 * conventions: aligned corners ({@code UpsamplingBilinear2d}, pytorch-grad-cam's ScoreCAM), where the corner pixels
 * of source and destination coincide, {@code src = dst * (in - 1) / (out - 1)}; or half-pixel centres
 * ({@code F.interpolate(mode="bilinear", align_corners=False)}, torch-cam's ScoreCAM),
 * {@code src = max(0, (dst + 0.5) * in / out - 0.5)}. The latter is OpenCV's convention when enlarging, as
 * {@link org.camkit.spi.MapProcessing#resize}, which, however, works on a whole map array rather than a channel of a
 * tensor.
 */
final class BilinearUpsampler {

    private final int srcW;
    private final int dstW;
    private final int dstH;
    private final int[] y0;
    private final int[] yStep;
    private final float[] fy;
    private final int[] x0;
    private final int[] xStep;
    private final float[] fx;

    /** @return an upsampler with aligned corners, as torch's {@code UpsamplingBilinear2d} */
    static BilinearUpsampler alignedCorners(int srcH, int srcW, int dstH, int dstW) {
        return new BilinearUpsampler(srcH, srcW, dstH, dstW, true);
    }

    /** @return an upsampler with half-pixel centres, as torch's {@code interpolate(align_corners=False)} */
    static BilinearUpsampler halfPixel(int srcH, int srcW, int dstH, int dstW) {
        return new BilinearUpsampler(srcH, srcW, dstH, dstW, false);
    }

    private BilinearUpsampler(int srcH, int srcW, int dstH, int dstW, boolean alignCorners) {
        this.srcW = srcW;
        this.dstW = dstW;
        this.dstH = dstH;
        y0 = new int[dstH];
        yStep = new int[dstH];
        fy = new float[dstH];
        axis(srcH, dstH, alignCorners, y0, yStep, fy);
        x0 = new int[dstW];
        xStep = new int[dstW];
        fx = new float[dstW];
        axis(srcW, dstW, alignCorners, x0, xStep, fx);
    }

    private static void axis(int in, int out, boolean alignCorners, int[] lo, int[] step, float[] frac) {
        float scale = alignCorners ? (out > 1 ? (float) (in - 1) / (out - 1) : 0f) : (float) in / out;
        for (int d = 0; d < out; d++) {
            float real = alignCorners ? scale * d : Math.max(scale * (d + 0.5f) - 0.5f, 0f);
            int i = (int) real;
            lo[d] = i;
            step[d] = i < in - 1 ? 1 : 0;
            frac[d] = Math.min(Math.max(real - i, 0f), 1f);
        }
    }

    /**
     * @param src    source values
     * @param offset where the {@code srcH * srcW} map starts in {@code src}
     * @param dst    receives {@code dstH * dstW} values
     */
    void upsample(Tensor src, int offset, float[] dst) {
        for (int y = 0; y < dstH; y++) {
            int r0 = offset + y0[y] * srcW;
            int r1 = r0 + yStep[y] * srcW;
            float wy1 = fy[y];
            float wy0 = 1f - wy1;
            for (int x = 0; x < dstW; x++) {
                int c0 = x0[x];
                int c1 = c0 + xStep[x];
                float wx1 = fx[x];
                float wx0 = 1f - wx1;
                dst[y * dstW + x] = wy0 * (wx0 * src.get(r0 + c0) + wx1 * src.get(r0 + c1))
                        + wy1 * (wx0 * src.get(r1 + c0) + wx1 * src.get(r1 + c1));
            }
        }
    }
}
