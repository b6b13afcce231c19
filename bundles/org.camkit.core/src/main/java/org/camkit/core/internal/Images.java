package org.camkit.core.internal;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.camkit.api.CamException;
import org.camkit.api.ImageInput;
import org.camkit.api.RgbImage;
import org.camkit.spi.MapProcessing;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.Tensor;

/**
 * Image decoding (strict: a truncated or corrupt file is an error; a JPEG turned upright by its EXIF orientation),
 * resizing and model preprocessing. Public for tests
 * only; the package is not exported.
 */
public final class Images {

    private Images() {
    }

    /**
     * @param input  an image file, the bytes of one, or pixels
     * @param limits the image file's pixels are checked against them from its header, before it is decoded
     * @return its pixels
     */
    static RgbImage decode(ImageInput input, Limits limits) {
        return decode(input, limits, 0, 0);
    }

    /**
     * @param input  an image file, the bytes of one, or pixels
     * @param limits the image file's pixels are checked against them from its header, before it is decoded
     * @param width  the size the image is resized to next (the model's input), or 0
     * @param height the size the image is resized to next, or 0
     * @return its pixels; a file more than four times that size on both sides is decoded subsampled (every s-th
     *         pixel, s the largest that keeps at least twice that size), so that a large photo costs little
     */
    static RgbImage decode(ImageInput input, Limits limits, int width, int height) {
        if (input instanceof ImageInput.Pixels pixels) {
            return pixels.image();
        }
        String source = input.label();
        Object bytes;
        if (input instanceof ImageInput.Encoded encoded) {
            // in memory: ImageIO's default stream for an InputStream caches it in a temporary file
            bytes = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded.bytes()));
        } else {
            Path path = ((ImageInput.File) input).path();
            if (!Files.isRegularFile(path)) {
                throw new CamException("image '" + path + "' does not exist or is not a file");
            }
            if (!Files.isReadable(path)) {
                throw new CamException("image '" + path + "' is not readable: permission denied (let the user "
                        + "running camkit read it, e.g. chmod a+r)");
            }
            bytes = path.toFile();
        }
        try (ImageInputStream stream = bytes instanceof ImageInputStream in ? in
                : ImageIO.createImageInputStream(bytes)) {
            Iterator<ImageReader> readers = stream == null ? null : ImageIO.getImageReaders(stream);
            if (readers == null || !readers.hasNext()) {
                throw new CamException("image '" + source + "' is in no format camkit reads; it reads "
                        + readableFormats() + " (WebP is not among them: convert the file to PNG)");
            }
            ImageReader reader = readers.next();
            try {
                boolean jpeg = "jpeg".equalsIgnoreCase(reader.getFormatName());
                int orientation = jpeg ? Orientation.of(stream) : 1;
                reader.setInput(stream, true, true);
                limits.checkImage(source, reader.getWidth(0), reader.getHeight(0));
                reader.addIIOReadWarningListener((r, warning) -> {
                    throw new CamException("image '" + source + "' is damaged: " + warning);
                });
                ImageReadParam param = reader.getDefaultReadParam();
                int step = subsampling(reader.getWidth(0), reader.getHeight(0), width, height);
                if (step > 1) {
                    param.setSourceSubsampling(step, step, 0, 0);
                }
                RgbImage image = toRgb(reader.read(0, param));
                return Orientation.upright(image, orientation);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof CamException ce) {
                throw ce;
            }
            throw new CamException("image '" + source + "' cannot be decoded (corrupt or truncated?): " + e.getMessage(), e);
        }
    }

    /**
     * @return the subsampling step for an image of {@code w x h} resized next to {@code width x height}: the largest
     *         that keeps at least twice that size on both sides, 1 (none) below four times
     */
    static int subsampling(int w, int h, int width, int height) {
        if (width <= 0 || height <= 0) {
            return 1;
        }
        return Math.max(1, Math.min(w / width, h / height) / 2);
    }

    /** @return the image formats the JDK's readers decode, e.g. {@code bmp, gif, jpeg, png, tiff, wbmp} */
    static String readableFormats() {
        return Arrays.stream(ImageIO.getReaderFormatNames()).map(f -> f.toLowerCase(Locale.ROOT))
                .map(f -> f.equals("jpg") ? "jpeg" : f).distinct().sorted().collect(Collectors.joining(", "));
    }

    /**
     * @param image a decoded image
     * @return its colours as the common Python decoders give them (OpenCV's {@code imread}, Pillow's
     *         {@code convert("RGB")}): the stored samples, not colour-managed; grey repeated in R, G and B (not
     *         taken for linear light); 16 bits to 8 by the high byte; alpha dropped; CMYK (a JPEG's CMYK or YCCK,
     *         read as ink amounts) as {@code (255 - C)(255 - K) / 255}, rounded
     */
    static RgbImage toRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] rgb = new byte[w * h * 3];
        ColorModel model = image.getColorModel();
        if (model instanceof IndexColorModel || model instanceof DirectColorModel) {
            int[] argb = image.getRGB(0, 0, w, h, null, 0, w); // palette entries or packed samples, exact
            for (int i = 0; i < argb.length; i++) {
                rgb[3 * i] = (byte) (argb[i] >> 16);
                rgb[3 * i + 1] = (byte) (argb[i] >> 8);
                rgb[3 * i + 2] = (byte) argb[i];
            }
            return new RgbImage(w, h, rgb);
        }
        Raster raster = image.getRaster();
        int colours = model.getNumColorComponents();
        int shift = Math.max(0, model.getComponentSize(0) - 8);
        boolean cmyk = model.getColorSpace().getType() == ColorSpace.TYPE_CMYK;
        if (colours != 1 && colours != 3 && !cmyk) {
            throw new CamException("an image with " + colours + " colour components ("
                    + model.getColorSpace().getClass().getSimpleName() + ") is not grey, RGB or CMYK");
        }
        int bands = raster.getNumBands();
        int[] row = new int[w * bands];
        for (int y = 0, o = 0; y < h; y++) {
            raster.getPixels(0, y, w, 1, row);
            for (int x = 0; x < w; x++, o += 3) {
                int p = x * bands;
                if (cmyk) {
                    int white = 255 - (row[p + 3] >> shift);
                    for (int c = 0; c < 3; c++) {
                        rgb[o + c] = (byte) (white - ((row[p + c] >> shift) * white + 127) / 255);
                    }
                } else if (colours == 1) {
                    byte v = (byte) (row[p] >> shift);
                    rgb[o] = v;
                    rgb[o + 1] = v;
                    rgb[o + 2] = v;
                } else {
                    rgb[o] = (byte) (row[p] >> shift);
                    rgb[o + 1] = (byte) (row[p + 1] >> shift);
                    rgb[o + 2] = (byte) (row[p + 2] >> shift);
                }
            }
        }
        return new RgbImage(w, h, rgb);
    }

    /** Bilinear resize (OpenCV INTER_LINEAR convention), rounding to the nearest byte. */
    static RgbImage resize(RgbImage image, int width, int height) {
        if (image.width() == width && image.height() == height) {
            return image;
        }
        byte[] src = image.rgb();
        int pixels = image.width() * image.height();
        byte[] dst = new byte[width * height * 3];
        float[] channel = new float[pixels];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < pixels; i++) {
                channel[i] = src[3 * i + c] & 0xff;
            }
            float[] resized = MapProcessing.resize(channel, image.width(), image.height(), width, height);
            for (int i = 0; i < resized.length; i++) {
                dst[3 * i + c] = (byte) Math.min(255, Math.max(0, Math.round(resized[i])));
            }
        }
        return new RgbImage(width, height, dst);
    }

    /**
     * Model input {@code [N, 3, H, W]}: pixels / 255 in the model's channel order (RGB or BGR), minus mean, over
     * std, per channel (mean and std are listed in that order).
     */
    public static Tensor preprocess(java.util.List<RgbImage> images, ModelDescriptor model) {
        int w = model.inputWidth();
        int h = model.inputHeight();
        int area = w * h;
        float[] mean = model.mean();
        float[] std = model.std();
        boolean bgr = "BGR".equals(model.channelOrder());
        // per channel, the value of each of the 256 bytes (the same arithmetic as per pixel, once)
        float[][] values = new float[3][256];
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                values[bgr ? 2 - c : c][v] = (v / 255f - mean[c]) / std[c];
            }
        }
        float[] data = new float[images.size() * 3 * area];
        for (int n = 0; n < images.size(); n++) {
            RgbImage image = images.get(n);
            int red = (n * 3 + (bgr ? 2 : 0)) * area;
            int green = (n * 3 + 1) * area;
            int blue = (n * 3 + (bgr ? 0 : 2)) * area;
            float[] r = values[0];
            float[] g = values[1];
            float[] b = values[2];
            for (int i = 0, p = 0; i < area; i++, p += 3) {
                data[red + i] = r[image.value(p)];
                data[green + i] = g[image.value(p + 1)];
                data[blue + i] = b[image.value(p + 2)];
            }
        }
        return Tensor.of(data, images.size(), 3, h, w);
    }
}
