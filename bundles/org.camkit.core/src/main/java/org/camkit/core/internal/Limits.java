package org.camkit.core.internal;

import java.util.Locale;
import java.util.function.Function;
import org.camkit.api.CamException;
import org.camkit.spi.ModelDescriptor;

/**
 * The sizes camkit refuses before the step they would make expensive, each set by a framework (or system) property:
 * a model's input (each side, and pixels per image: the engine's memory grows with them) and an image file's pixels
 * as its header states them, before it is decoded (a decompression bomb decodes a small file into gigabytes), and the
 * images of one engine pass a method asks for (a perturbation method's batch).
 *
 * @param modelSide   the largest model input width or height
 * @param modelPixels the largest model input width × height
 * @param imagePixels the largest image file width × height
 * @param batchPixels the most input pixels (images × width × height) one pass of a method may hold (one image
 *                    always may)
 */
record Limits(int modelSide, long modelPixels, long imagePixels, long batchPixels) {

    static final String MODEL_SIDE = "camkit.limits.modelSide";
    static final String MODEL_PIXELS = "camkit.limits.modelPixels";
    static final String IMAGE_PIXELS = "camkit.limits.imagePixels";
    static final String BATCH_PIXELS = "camkit.limits.batchPixels";

    /**
     * 4096 per side, 2048 × 2048 pixels per model input, 100 megapixels per image file, 64 images of 224 × 224 per
     * method pass.
     */
    static final Limits DEFAULTS = new Limits(4096, 2048L * 2048, 100_000_000L, 64L * 224 * 224);

    /**
     * @param property reads a framework property, null when unset
     * @return the limits the properties set, the defaults for those unset
     * @throws CamException naming a property that is not a positive integer
     */
    static Limits from(Function<String, String> property) {
        return new Limits(Math.toIntExact(read(property, MODEL_SIDE, DEFAULTS.modelSide())),
                read(property, MODEL_PIXELS, DEFAULTS.modelPixels()), read(property, IMAGE_PIXELS,
                        DEFAULTS.imagePixels()), read(property, BATCH_PIXELS, DEFAULTS.batchPixels()));
    }

    private static long read(Function<String, String> property, String name, long fallback) {
        String value = property.apply(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value.trim().replace("_", ""));
            if (parsed > 0 && (!name.equals(MODEL_SIDE) || parsed <= Integer.MAX_VALUE)) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new CamException("framework property " + name + " is '" + value + "'; give a positive whole number "
                + "(default " + fallback + ")");
    }

    /** @throws CamException if the model's input is larger than the limits, naming the limit and its property */
    void checkModel(ModelDescriptor model) {
        int w = model.inputWidth();
        int h = model.inputHeight();
        if (w > modelSide || h > modelSide) {
            throw new CamException("model '" + model.name() + "' takes " + w + "x" + h + " images, wider or taller "
                    + "than camkit's limit of " + modelSide + " pixels; lower inputWidth/inputHeight in its "
                    + "descriptor, or raise the limit with -D" + MODEL_SIDE + "=<pixels> if the machine has the memory");
        }
        long pixels = (long) w * h;
        if (pixels > modelPixels) {
            throw new CamException("model '" + model.name() + "' takes " + w + "x" + h + " images = "
                    + megapixels(pixels) + ", more than camkit's limit of " + megapixels(modelPixels)
                    + " per image; lower inputWidth/inputHeight in its descriptor, or raise the limit with -D"
                    + MODEL_PIXELS + "=<pixels> if the machine has the memory");
        }
    }

    /**
     * @param source the image, for the message
     * @param width  its width as its header states it
     * @param height its height as its header states it
     * @throws CamException if it has more pixels than the limit, before anything is decoded
     */
    void checkImage(String source, long width, long height) {
        long pixels = width * height;
        if (width <= 0 || height <= 0 || pixels / width != height || pixels > imagePixels) {
            throw new CamException("image '" + source + "' is " + width + "x" + height + " = " + megapixels(pixels)
                    + ", more than camkit's limit of " + megapixels(imagePixels) + " per image file; it is not "
                    + "decoded (scale it down first, or raise the limit with -D" + IMAGE_PIXELS + "=<pixels>)");
        }
    }

    /**
     * @param model  the model
     * @param images the images of one pass a method asks for
     * @throws CamException if they hold more input pixels than the limit, before the pass runs
     */
    void checkBatch(ModelDescriptor model, int images) {
        long each = (long) model.inputWidth() * model.inputHeight();
        if (images > 1 && images * each > batchPixels) { // one image per pass is always allowed
            throw new CamException("a pass of " + images + " images of " + model.inputWidth() + "x"
                    + model.inputHeight() + " is more than camkit's limit of " + megapixels(batchPixels)
                    + " per pass allows (" + maxBatch(model) + " images of model '" + model.name()
                    + "'); lower the method's batch-size option, or raise the limit with -D" + BATCH_PIXELS
                    + "=<pixels> if the machine has the memory");
        }
    }

    /**
     * @param model the model
     * @return the most images of that model one pass may hold, at least 1
     */
    int maxBatch(ModelDescriptor model) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE,
                batchPixels / ((long) model.inputWidth() * model.inputHeight())));
    }

    private static String megapixels(long pixels) {
        return String.format(Locale.ROOT, "%.1f megapixels", pixels / 1e6);
    }
}
