package org.camkit.core.internal;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.camkit.api.CamException;
import org.camkit.api.Dataset;
import org.camkit.api.GroundTruth;
import org.camkit.api.GroundTruth.Region;
import org.camkit.api.ImageInput;

/**
 * Reads evaluation datasets: image files, folders and lists, with ground truth from COCO JSON ({@link CocoFile}) or
 * mask PNGs.
 */
final class Datasets {

    /** The extensions (lower case) of the files a folder's listing takes as images. */
    static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif", "tif", "tiff");

    private Datasets() {
    }

    /**
     * @param images      image files, folders (their image files, sorted by name) and list files ({@code .txt}, a path
     *                    per line relative to the list); duplicates are kept once, where they first appear
     * @param annotations a COCO JSON file, or null
     * @param masks       a folder of mask PNGs named as the images, or null
     * @return the images and, with annotations or masks, their ground truth
     * @throws CamException naming the missing or malformed file (and, in JSON, the path to the bad value)
     */
    static Dataset read(List<Path> images, Path annotations, Path masks) {
        return read(images, annotations, masks, Limits.DEFAULTS);
    }

    /** As {@link #read(List, Path, Path)}, with the mask files' pixels checked against {@code limits}. */
    static Dataset read(List<Path> images, Path annotations, Path masks, Limits limits) {
        if (annotations != null && masks != null) {
            throw new CamException("ground truth is given both as COCO annotations (" + annotations
                    + ") and as masks (" + masks + "); give one of them");
        }
        List<Path> files = images(images);
        List<GroundTruth> truth = annotations != null ? new CocoFile(annotations).truth(files)
                : masks != null ? masks(masks, files, limits) : List.of();
        return new Dataset(files.stream().map(ImageInput::of).toList(), truth);
    }

    /** @return the image files the paths name, in order, each once */
    static List<Path> images(List<Path> paths) {
        Map<Path, Path> found = new LinkedHashMap<>();
        for (Path path : paths) {
            if (Files.isRegularFile(path) && extension(path).equals("txt")) {
                List<String> lines;
                try {
                    lines = Files.readAllLines(path);
                } catch (IOException e) {
                    throw new CamException("image list '" + path + "' is not readable text: " + e.getMessage(), e);
                }
                Path folder = path.getParent();
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i).strip();
                    if (line.isEmpty() || line.startsWith("#")) {
                        continue;
                    }
                    String where = " (image list '" + path + "', line " + (i + 1) + ")";
                    try {
                        add((folder == null ? Path.of(line) : folder.resolve(line)).normalize(), where, found);
                    } catch (InvalidPathException e) {
                        throw new CamException("'" + line + "'" + where + " is not a path: " + e.getReason(), e);
                    }
                }
            } else {
                add(path, "", found);
            }
        }
        if (found.isEmpty()) {
            throw new CamException("no images given; name image files, folders of images or image lists (.txt)");
        }
        return List.copyOf(found.values());
    }

    private static void add(Path path, String where, Map<Path, Path> found) {
        if (!Files.exists(path)) {
            throw new CamException("image file/folder '" + path + "'" + where + " does not exist");
        }
        if (!Files.isDirectory(path)) {
            found.putIfAbsent(path.toAbsolutePath().normalize(), path);
            return;
        }
        List<Path> inside;
        try (Stream<Path> listing = Files.list(path)) {
            inside = listing.filter(p -> IMAGE_EXTENSIONS.contains(extension(p)) && Files.isRegularFile(p))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new CamException("image folder '" + path + "'" + where + " cannot be listed: " + e.getMessage(), e);
        }
        if (inside.isEmpty()) {
            throw new CamException("image folder '" + path + "'" + where + " holds no image files ("
                    + IMAGE_EXTENSIONS.stream().sorted().collect(Collectors.joining(", "))
                    + "); its subfolders are not searched");
        }
        inside.forEach(p -> found.putIfAbsent(p.toAbsolutePath().normalize(), p));
    }

    private static String extension(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** @return per image the mask {@code <folder>/<image's base name>.png}: its nonzero pixels as one region */
    private static List<GroundTruth> masks(Path folder, List<Path> images, Limits limits) {
        if (!Files.isDirectory(folder)) {
            throw new CamException("mask folder '" + folder + "' does not exist or is not a folder");
        }
        List<GroundTruth> truth = new ArrayList<>();
        for (Path image : images) {
            Path mask = folder.resolve(Descriptors.baseName(image) + ".png");
            if (!Files.isRegularFile(mask)) {
                throw new CamException("no mask for image '" + image + "': expected '" + mask
                        + "' (a PNG with the image's base name, nonzero where the object is)");
            }
            truth.add(mask(mask, limits));
        }
        return truth;
    }

    /** @return the mask's nonzero pixels (any colour channel; the raw samples, a palette image's indices) */
    static GroundTruth mask(Path file, Limits limits) {
        BufferedImage image = readRaw(file, limits);
        Raster raster = image.getRaster();
        int w = image.getWidth();
        int h = image.getHeight();
        int bands = raster.getNumBands();
        int colours = image.getColorModel() instanceof IndexColorModel ? 1
                : image.getColorModel().getNumColorComponents(); // alpha, the last band, is not the object
        boolean[] pixels = new boolean[w * h];
        int left = w;
        int top = h;
        int right = -1;
        int bottom = -1;
        int[] row = new int[w * bands];
        for (int y = 0; y < h; y++) {
            raster.getPixels(0, y, w, 1, row);
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < colours; c++) {
                    if (row[x * bands + c] != 0) {
                        pixels[y * w + x] = true;
                        left = Math.min(left, x);
                        right = Math.max(right, x);
                        top = Math.min(top, y);
                        bottom = y;
                        break;
                    }
                }
            }
        }
        if (right < 0) {
            throw new CamException("empty mask " + file + ": no nonzero pixel; mark the object nonzero");
        }
        return new GroundTruth(w, h, List.of(new Region("", left, top, right - left + 1, bottom - top + 1,
                List.of(), pixels)));
    }

    /** @return the file's image as stored (no colour conversion), refusing a damaged file or one over the limits */
    private static BufferedImage readRaw(Path file, Limits limits) {
        try (ImageInputStream stream = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = stream == null ? null : ImageIO.getImageReaders(stream);
            if (readers == null || !readers.hasNext()) {
                throw new CamException("mask '" + file + "' is not an image camkit reads; give a PNG");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(stream, true, true);
                limits.checkImage(file.toString(), reader.getWidth(0), reader.getHeight(0));
                reader.addIIOReadWarningListener((source, warning) -> {
                    throw new CamException("mask '" + file + "' is damaged: " + warning);
                });
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof CamException ce) {
                throw ce;
            }
            throw new CamException("mask '" + file + "' cannot be decoded (corrupt or truncated?): " + e.getMessage(),
                    e);
        }
    }
}
