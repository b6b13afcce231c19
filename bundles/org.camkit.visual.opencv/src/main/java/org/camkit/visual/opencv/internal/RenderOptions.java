package org.camkit.visual.opencv.internal;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.camkit.api.CamException;
import org.opencv.imgproc.Imgproc;

// Reads and validates the visualizer options: colormap, image-weight and true/false flags.
final class RenderOptions {
    static final String COLORMAP = "colormap";
    static final String IMAGE_WEIGHT = "image-weight";
    static final double DEFAULT_IMAGE_WEIGHT = 0.5;

    private static final Map<String, Integer> COLORMAPS = new TreeMap<>(Map.ofEntries(
            Map.entry("autumn", Imgproc.COLORMAP_AUTUMN),
            Map.entry("bone", Imgproc.COLORMAP_BONE),
            Map.entry("jet", Imgproc.COLORMAP_JET),
            Map.entry("winter", Imgproc.COLORMAP_WINTER),
            Map.entry("rainbow", Imgproc.COLORMAP_RAINBOW),
            Map.entry("ocean", Imgproc.COLORMAP_OCEAN),
            Map.entry("summer", Imgproc.COLORMAP_SUMMER),
            Map.entry("spring", Imgproc.COLORMAP_SPRING),
            Map.entry("cool", Imgproc.COLORMAP_COOL),
            Map.entry("hsv", Imgproc.COLORMAP_HSV),
            Map.entry("pink", Imgproc.COLORMAP_PINK),
            Map.entry("hot", Imgproc.COLORMAP_HOT),
            Map.entry("parula", Imgproc.COLORMAP_PARULA),
            Map.entry("magma", Imgproc.COLORMAP_MAGMA),
            Map.entry("inferno", Imgproc.COLORMAP_INFERNO),
            Map.entry("plasma", Imgproc.COLORMAP_PLASMA),
            Map.entry("viridis", Imgproc.COLORMAP_VIRIDIS),
            Map.entry("cividis", Imgproc.COLORMAP_CIVIDIS),
            Map.entry("twilight", Imgproc.COLORMAP_TWILIGHT),
            Map.entry("twilight_shifted", Imgproc.COLORMAP_TWILIGHT_SHIFTED),
            Map.entry("turbo", Imgproc.COLORMAP_TURBO),
            Map.entry("deepgreen", Imgproc.COLORMAP_DEEPGREEN)));

    private RenderOptions() {
    }

    /** Rejects option names the visualizer does not know, so that a misspelt option is not silently ignored. */
    static void checkKnown(String visualizer, Map<String, String> options, Set<String> known) {
        for (String name : options.keySet()) {
            if (!known.contains(name)) {
                throw new CamException("visualizer '" + visualizer + "' has no option '" + name
                        + "'; its options are: " + String.join(", ", new TreeSet<>(known)));
            }
        }
    }

    /** @return the OpenCV colormap code named by the {@code colormap} option, JET when absent */
    static int colormap(String visualizer, Map<String, String> options) {
        String value = options.get(COLORMAP);
        if (value == null) {
            return Imgproc.COLORMAP_JET;
        }
        Integer code = COLORMAPS.get(value.trim().toLowerCase(Locale.ROOT).replace('-', '_'));
        if (code == null) {
            throw new CamException("visualizer '" + visualizer + "': option 'colormap' is '" + value
                    + "'; use one of: " + String.join(", ", COLORMAPS.keySet()));
        }
        return code;
    }

    /** @return the option {@code name}, {@code true} or {@code false} (any case), {@code fallback} when absent */
    static boolean flag(String visualizer, Map<String, String> options, String name, boolean fallback) {
        String value = options.get(name);
        if (value == null) {
            return fallback;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new CamException("visualizer '" + visualizer + "': option '" + name + "' is '" + value
                    + "'; use true or false (default " + fallback + ")");
        };
    }

    /** @return the {@code image-weight} option, the image's share of the blend in [0, 1], 0.5 when absent */
    static double imageWeight(String visualizer, Map<String, String> options) {
        return imageWeight(visualizer, options, DEFAULT_IMAGE_WEIGHT);
    }

    /** @return the {@code image-weight} option, the image's share of the blend in [0, 1], the default when absent */
    static double imageWeight(String visualizer, Map<String, String> options, double defaultWeight) {
        String value = options.get(IMAGE_WEIGHT);
        if (value == null) {
            return defaultWeight;
        }
        double weight;
        try {
            weight = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            weight = Double.NaN;
        }
        if (!(weight >= 0 && weight <= 1)) {
            throw new CamException("visualizer '" + visualizer + "': option 'image-weight' is '" + value
                    + "'; use a number from 0 to 1 (the image's share of the blend; default "
                    + defaultWeight + ")");
        }
        return weight;
    }
}
