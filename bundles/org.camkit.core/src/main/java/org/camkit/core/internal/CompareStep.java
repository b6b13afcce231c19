package org.camkit.core.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.camkit.api.CamException;
import org.camkit.api.Comparison;
import org.camkit.api.ExplainRequest;
import org.camkit.api.Explanation;
import org.camkit.api.ImageExplanation;
import org.camkit.api.RgbImage;
import org.camkit.api.Tile;
import org.camkit.spi.CamMethod;
import org.camkit.spi.Montage;

/**
 * One image explained by several methods, each picture in a grid: a method that fails gets a grey tile with the
 * reason, and the others still run; an unknown model or an undecodable image fails the comparison once, up front.
 */
final class CompareStep {

    private final PluginRegistry<CamMethod> methods;
    private final ExplainStep explain;
    private final RenderStep render;
    private final Supplier<Montage> montage;

    /**
     * @param methods the registered methods
     * @param explain explains the image with one method
     * @param render  renders each method's natural picture
     * @param montage the grid layout service, or null while none is registered
     */
    CompareStep(PluginRegistry<CamMethod> methods, ExplainStep explain, RenderStep render,
            Supplier<Montage> montage) {
        this.methods = methods;
        this.explain = explain;
        this.render = render;
        this.montage = montage;
    }

    /** See {@link org.camkit.api.Explainer#compare}. */
    Comparison compare(ExplainRequest request, List<String> names, int columns) {
        List<String> chosen = names.isEmpty() ? methods.entries().stream().map(PluginRegistry.Entry::name).toList()
                : List.copyOf(names);
        List<PluginRegistry.Entry<CamMethod>> entries = chosen.stream().map(methods::get).toList();
        for (String option : request.options().keySet()) {
            if (entries.stream().noneMatch(e -> e.service().options().containsKey(option))) {
                throw new CamException("no compared method has option '" + option + "'; compared: " + chosen);
            }
        }
        explain.checkModelAndImage(request);
        ExplainRequest one = new ExplainRequest(request.model(), request.images().subList(0, 1), request.method(),
                request.layers(), request.target(), request.options(), request.augSmooth(), request.eigenSmooth(),
                request.progress(), false, request.aggregation());
        List<Comparison.Entry> results = new ArrayList<>();
        List<Tile> tiles = new ArrayList<>();
        RgbImage original = null;
        for (PluginRegistry.Entry<CamMethod> entry : entries) {
            Map<String, String> options = new TreeMap<>(one.options());
            options.keySet().retainAll(entry.service().options().keySet());
            long start = System.nanoTime();
            try {
                Explanation e = explain.explain(new ExplainRequest(one.model(), one.images(), entry.name(),
                        one.layers(), one.target(), options, one.augSmooth(), one.eigenSmooth(), one.progress(),
                        false, one.aggregation()));
                Duration time = Duration.ofNanos(System.nanoTime() - start);
                ImageExplanation image = e.images().get(0);
                if (original == null) {
                    original = image.image();
                    tiles.add(new Tile(original, "original", e.model() + ": " + image.predictedLabel()));
                }
                tiles.add(new Tile(render.render(e, 0, null, Map.of()), entry.name(),
                        image.target() + ", " + time.toMillis() + " ms"));
                results.add(new Comparison.Entry(entry.name(), e, null, time));
            } catch (CamException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                results.add(new Comparison.Entry(entry.name(), null, e.getMessage(),
                        Duration.ofNanos(System.nanoTime() - start)));
            }
        }
        if (original == null) {
            throw new CamException("no method could explain the image: " + results.stream()
                    .map(r -> r.method() + ": " + r.error()).collect(Collectors.joining("; ")));
        }
        for (Comparison.Entry failed : results) {
            if (failed.error() != null) {
                tiles.add(new Tile(blank(original), failed.method(), "n/a: " + shortReason(failed.error())));
            }
        }
        Montage layout = montage.get();
        if (layout == null) {
            throw new CamException("no Montage service is registered to lay out the comparison; install and start "
                    + "the bundle org.camkit.visual.opencv");
        }
        return new Comparison(results, layout.compose(tiles, columns(columns, tiles.size())));
    }

    /** @return the columns asked for, else one row up to 7 tiles and a near-square grid beyond */
    static int columns(int asked, int tiles) {
        return asked > 0 ? asked : (tiles <= 7 ? tiles : (int) Math.ceil(Math.sqrt(tiles)));
    }

    private static RgbImage blank(RgbImage like) {
        byte[] grey = new byte[like.width() * like.height() * 3];
        Arrays.fill(grey, (byte) 0xE0);
        return new RgbImage(like.width(), like.height(), grey);
    }

    /** @return the error up to its first ';', at most 60 characters */
    static String shortReason(String error) {
        int cut = error.indexOf(';');
        String reason = cut > 0 ? error.substring(0, cut) : error;
        return reason.length() > 60 ? reason.substring(0, 57) + "..." : reason;
    }
}
