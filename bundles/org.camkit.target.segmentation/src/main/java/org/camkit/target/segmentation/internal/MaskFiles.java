package org.camkit.target.segmentation.internal;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.camkit.api.CamException;

/**
 * Reads mask images and caches them by path and modification time, since a request resolves its target once per
 * image and again for every perturbed pass. A pixel is in the mask when any of its colour channels (gray, or red,
 * green, blue; alpha is ignored) is above 127 on a 0..255 scale; 16-bit and palette images are read the same way.
 */
final class MaskFiles {

    private static final int CAPACITY = 16;

    private record Entry(FileTime modified, Mask mask) {
    }

    private final Map<Path, Entry> cache = Collections.synchronizedMap(
            new LinkedHashMap<>(CAPACITY, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<Path, Entry> eldest) {
                    return size() > CAPACITY;
                }
            });

    /**
     * @param file an absolute, normalised path
     * @param spec the target spec, for error messages
     * @return the decoded mask
     */
    Mask read(Path file, String spec) {
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new CamException("target '" + spec + "': cannot read mask file '" + file + "' (relative paths "
                    + "resolve against the working directory " + Path.of("").toAbsolutePath() + "); use "
                    + SegmentationTarget.FORM, e);
        }
        Entry cached = cache.get(file);
        if (cached != null && cached.modified().equals(modified)) {
            return cached.mask();
        }
        Mask mask = decode(file, spec);
        cache.put(file, new Entry(modified, mask));
        return mask;
    }

    private static Mask decode(Path file, String spec) {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new CamException("target '" + spec + "': cannot decode mask file '" + file + "'; give a PNG: "
                    + SegmentationTarget.FORM, e);
        }
        if (image == null) {
            throw new CamException("target '" + spec + "': mask file '" + file + "' is not an image ImageIO can "
                    + "read; give a PNG: " + SegmentationTarget.FORM);
        }
        int width = image.getWidth();
        int height = image.getHeight();
        Raster raster = image.getRaster();
        ColorModel colours = image.getColorModel();
        boolean[] pixels = new boolean[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                pixels[y * width + x] = colours instanceof IndexColorModel palette
                        ? bright(palette, raster.getSample(x, y, 0))
                        : bright(colours, raster, x, y);
            }
        }
        return new Mask(width, height, pixels);
    }

    private static boolean bright(IndexColorModel palette, int index) {
        return palette.getRed(index) > 127 || palette.getGreen(index) > 127 || palette.getBlue(index) > 127;
    }

    /** Raw samples, not getRGB: gray images would otherwise go through a gamma conversion and move the threshold. */
    private static boolean bright(ColorModel colours, Raster raster, int x, int y) {
        for (int band = 0; band < colours.getNumColorComponents(); band++) {
            long max = (1L << colours.getComponentSize(band)) - 1;
            if (raster.getSample(x, y, band) * 255L > 127L * max) {
                return true;
            }
        }
        return false;
    }
}
