package org.camkit.visual.opencv.internal;

import java.util.ArrayList;
import java.util.List;
import org.camkit.api.RgbImage;
import org.camkit.api.Tile;
import org.camkit.spi.Montage;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

// Lays tiles out in a grid on white: every picture scaled to the tallest one's height (keeping its aspect) and
// centred in an equal cell, its title and caption under it in OpenCV's Hershey font.
@Component(service = Montage.class, property = GridMontage.NAME_PROPERTY + "=" + GridMontage.NAME)
public final class GridMontage implements Montage {
    static final String NAME_PROPERTY = "cam.montage";
    static final String NAME = "grid";
    /** Space around every picture, in pixels. */
    static final int GAP = 6;
    private static final int CAPTION_LINES = 3;
    private static final int[] TITLE = {0, 0, 0};
    private static final int[] CAPTION = {70, 70, 70};

    /** Loads OpenCV if no visualizer has yet. */
    @Activate
    public GridMontage() {
        OpenCvNatives.load();
    }

    @Override
    public RgbImage compose(List<Tile> tiles, int columns) {
        if (tiles.isEmpty()) {
            throw new IllegalArgumentException("a montage needs at least one tile");
        }
        if (columns < 1) {
            throw new IllegalArgumentException("a montage needs at least 1 column, got " + columns);
        }
        Layout layout = Layout.of(tiles, columns);
        try (Canvas canvas = new Canvas(layout.width(), layout.height())) {
            for (int i = 0; i < tiles.size(); i++) {
                Tile tile = tiles.get(i);
                int cellX = (i % layout.columns) * layout.cellWidth;
                int cellY = (i / layout.columns) * layout.cellHeight();
                int width = layout.widths[i];
                canvas.paste(tile.image(), cellX + (layout.cellWidth - width) / 2, cellY + GAP, width,
                        layout.pictureHeight);
                int baseline = cellY + GAP + layout.pictureHeight + GAP + layout.font.ascent();
                List<String> lines = layout.text.get(i);
                for (int k = 0; k < lines.size(); k++) {
                    int x = cellX + (layout.cellWidth - layout.font.width(lines.get(k))) / 2;
                    int y = baseline + k * layout.font.lineHeight();
                    canvas.text(lines.get(k), x, y, layout.font, k == 0 ? TITLE : CAPTION);
                }
            }
            return canvas.toImage();
        }
    }

    /**
     * Where everything goes: cells of {@code cellWidth x (GAP + pictureHeight + band)}, the band holding the
     * title and up to three caption lines (as many lines as the longest tile needs).
     */
    private record Layout(int columns, int rows, int cellWidth, int pictureHeight, int band, int[] widths,
            Lettering font, List<List<String>> text) {

        static Layout of(List<Tile> tiles, int requestedColumns) {
            int columns = Math.min(requestedColumns, tiles.size());
            int rows = (tiles.size() + columns - 1) / columns;
            int pictureHeight = tiles.stream().mapToInt(t -> t.image().height()).max().orElseThrow();
            int[] widths = new int[tiles.size()];
            int widest = 0;
            for (int i = 0; i < widths.length; i++) {
                RgbImage image = tiles.get(i).image();
                widths[i] = Math.max(1, (int) Math.round((double) image.width() * pictureHeight / image.height()));
                widest = Math.max(widest, widths[i]);
            }
            Lettering font = Lettering.forPictureHeight(pictureHeight);
            List<List<String>> text = new ArrayList<>();
            int lines = 1;
            for (Tile tile : tiles) {
                List<String> tileText = new ArrayList<>();
                tileText.add(font.fit(Lettering.printable(tile.title()).replace('\n', ' '), widest));
                if (!tile.caption().isBlank()) {
                    tileText.addAll(font.wrap(tile.caption(), widest, CAPTION_LINES));
                }
                text.add(tileText);
                lines = Math.max(lines, tileText.size());
            }
            int band = GAP + lines * font.lineHeight();
            return new Layout(columns, rows, widest + 2 * GAP, pictureHeight, band, widths, font, text);
        }

        int cellHeight() {
            return GAP + pictureHeight + band;
        }

        int width() {
            return columns * cellWidth;
        }

        int height() {
            return rows * cellHeight();
        }
    }
}
