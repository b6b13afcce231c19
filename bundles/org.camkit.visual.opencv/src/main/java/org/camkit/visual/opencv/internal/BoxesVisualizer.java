package org.camkit.visual.opencv.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.camkit.api.Detection;
import org.camkit.api.RgbImage;
import org.camkit.spi.RenderRequest;
import org.camkit.spi.Visualizer;
import org.camkit.spi.propertytypes.CamVisualizer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

// The overlay with a detector's boxes drawn over it, each captioned "label 0.87" in a tag above it: the explained
// detections thick and white with a dark outline, on top of the others, thin in their class's colour. A result
// without detections is the overlay. Option labels=false leaves the captions out.
@Component(service = Visualizer.class)
@CamVisualizer(BoxesVisualizer.NAME)
public final class BoxesVisualizer implements Visualizer {
    static final String NAME = "boxes";
    static final String LABELS = "labels";
    static final int[] WHITE = {255, 255, 255};
    static final int[] EXPLAINED = WHITE;
    static final int[] DARK = {20, 20, 20};
    /** Tableau's ten categorical colours, one per class index (modulo ten). */
    static final int[][] CLASS_COLOURS = {{31, 119, 180}, {255, 127, 14}, {44, 160, 44}, {214, 39, 40},
        {148, 103, 189}, {140, 86, 75}, {227, 119, 194}, {127, 127, 127}, {188, 189, 34}, {23, 190, 207}};
    private static final Set<String> OPTIONS = Set.of(RenderOptions.COLORMAP, RenderOptions.IMAGE_WEIGHT, LABELS);

    private final ColorMapping colours;

    /** Loads OpenCV if no visualizer has yet. */
    @Activate
    public BoxesVisualizer() {
        OpenCvNatives.load();
        colours = new ColorMapping();
    }

    @Deactivate
    void deactivate() {
        colours.close();
    }

    @Override
    public RgbImage render(RenderRequest request) {
        RenderOptions.checkKnown(NAME, request.options(), OPTIONS);
        boolean captions = RenderOptions.flag(NAME, request.options(), LABELS, true);
        RgbImage image = request.image();
        RgbImage overlay = new RgbImage(image.width(), image.height(),
                OverlayVisualizer.overlay(NAME, request, colours));
        List<Detection> detections = request.result().detections();
        if (detections.isEmpty()) {
            return overlay;
        }
        // worst first, explained last, so the best and the explained are drawn on top
        List<Detection> order = new ArrayList<>(detections);
        Collections.reverse(order);
        order.sort(Comparator.comparing(Detection::explained));
        Lettering font = Lettering.forPictureHeight(image.height());
        int stroke = stroke(image.width(), image.height());
        try (Canvas canvas = new Canvas(image.width(), image.height())) {
            canvas.paste(overlay, 0, 0);
            for (Detection detection : order) {
                draw(canvas, detection, image.width(), image.height(), stroke, captions ? font : null);
            }
            return canvas.toImage();
        }
    }

    /** @return an unexplained box's line width: 1 px up to 447 px pictures, 1 px more per 224 px after that */
    static int stroke(int width, int height) {
        return Math.max(1, Math.min(width, height) / 224);
    }

    /** @return the colour of an unexplained box of class {@code classIndex} */
    static int[] classColour(int classIndex) {
        return CLASS_COLOURS[Math.floorMod(classIndex, CLASS_COLOURS.length)];
    }

    /** Draws the box through the pixels whose centres it contains, clipped to the picture, and its caption. */
    private static void draw(Canvas canvas, Detection d, int width, int height, int stroke, Lettering font) {
        int x0 = (int) Math.ceil(d.x0() - 0.5f);
        int y0 = (int) Math.ceil(d.y0() - 0.5f);
        int x1 = Math.max(x0, (int) Math.floor(d.x1() - 0.5f));
        int y1 = Math.max(y0, (int) Math.floor(d.y1() - 0.5f));
        if (x1 < 0 || y1 < 0 || x0 >= width || y0 >= height) {
            return; // wholly outside the picture
        }
        int left = Math.max(0, x0);
        int top = Math.max(0, y0);
        int right = Math.min(width - 1, x1);
        int bottom = Math.min(height - 1, y1);
        int[] colour = d.explained() ? EXPLAINED : classColour(d.classIndex());
        if (d.explained()) {
            canvas.frame(left, top, right, bottom, DARK, 2 * stroke + 2);
            canvas.frame(left, top, right, bottom, EXPLAINED, 2 * stroke);
        } else {
            canvas.frame(left, top, right, bottom, colour, stroke);
        }
        if (font != null) {
            caption(canvas, d, left, top, width, height, font, colour);
        }
    }

    /**
     * A tag filled with the box's colour, its left end at the box's and its bottom row on the box's top edge; when
     * there is no room above the box, it hangs from the top edge into the box.
     */
    private static void caption(Canvas canvas, Detection d, int left, int top, int width, int height,
            Lettering font, int[] colour) {
        int pad = Math.max(1, font.ascent() / 4);
        String text = font.fit(Lettering.printable(caption(d)), width - 2 * pad);
        int tagWidth = font.width(text) + 2 * pad;
        int tagHeight = font.ascent() + font.descent() + 2 * pad;
        int x = Math.max(0, Math.min(left, width - tagWidth));
        int y = top - tagHeight >= 0 ? top - tagHeight : top;
        y = Math.max(0, Math.min(y, height - tagHeight));
        if (d.explained()) {
            canvas.box(x - 1, y - 1, tagWidth + 2, tagHeight + 2, DARK);
        }
        canvas.box(x, y, tagWidth, tagHeight, colour);
        canvas.text(text, x + pad, y + pad + font.ascent(), font, light(colour) ? DARK : WHITE);
    }

    /** @return the caption "label 0.87": the label and the score with two decimals */
    static String caption(Detection d) {
        return String.format(Locale.ROOT, "%s %.2f", d.label(), d.score());
    }

    /** @return whether dark text reads better than white on {@code rgb} (its Rec. 601 luma above the middle) */
    private static boolean light(int[] rgb) {
        return 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] > 140;
    }
}
