package org.camkit.visual.opencv.internal;

import java.util.ArrayList;
import java.util.List;
import org.opencv.imgproc.Imgproc;

// Hershey-simplex text at one size, measured for OpenCV putText: word wrap and truncation with "...".
final class Lettering {
    static final int FONT = Imgproc.FONT_HERSHEY_SIMPLEX;
    static final int THICKNESS = 1;
    private static final String ELLIPSIS = "...";

    private final double scale;
    private final int ascent;
    private final int descent;

    Lettering(double scale) {
        this.scale = scale;
        int[] baseline = new int[1];
        ascent = (int) Imgproc.getTextSize("Ag", FONT, scale, THICKNESS, baseline).height;
        descent = baseline[0];
    }

    /** A size that stays readable from 112 to 224 px: 0.35 at 112 px, growing to 0.6 at 224 px and above. */
    static Lettering forPictureHeight(int height) {
        return new Lettering(Math.max(0.35, Math.min(0.6, 0.35 + (height - 112) / 448.0)));
    }

    double scale() {
        return scale;
    }

    /** @return pixels from the top of a line to its baseline */
    int ascent() {
        return ascent;
    }

    /** @return pixels from the baseline to the bottom of the lowest descender */
    int descent() {
        return descent;
    }

    /** @return the height of one line, with spacing */
    int lineHeight() {
        return ascent + descent + Math.max(2, ascent / 3);
    }

    int width(String text) {
        return text.isEmpty() ? 0 : (int) Imgproc.getTextSize(text, FONT, scale, THICKNESS, new int[1]).width;
    }

    /**
     * Breaks {@code text} at spaces into lines no wider than {@code maxWidth}; explicit newlines are kept. When
     * more than {@code maxLines} would be needed, the last line ends with "...".
     */
    List<String> wrap(String text, int maxWidth, int maxLines) {
        List<String> lines = new ArrayList<>();
        for (String paragraph : printable(text).split("\n")) {
            StringBuilder line = new StringBuilder();
            for (String word : paragraph.trim().split(" +")) {
                String candidate = line.isEmpty() ? word : line + " " + word;
                if (line.isEmpty() || width(candidate) <= maxWidth) {
                    line.setLength(0);
                    line.append(candidate);
                } else {
                    lines.add(line.toString());
                    line.setLength(0);
                    line.append(word);
                }
            }
            lines.add(line.toString());
        }
        boolean cut = lines.size() > maxLines;
        List<String> kept = new ArrayList<>(lines.subList(0, Math.min(maxLines, lines.size())));
        for (int i = 0; i < kept.size(); i++) {
            boolean last = i == kept.size() - 1;
            kept.set(i, fit(kept.get(i) + (cut && last ? ELLIPSIS : ""), maxWidth));
        }
        return kept;
    }

    /** @return {@code text}, shortened to end with "..." if it is wider than {@code maxWidth} */
    String fit(String text, int maxWidth) {
        if (width(text) <= maxWidth) {
            return text;
        }
        for (int end = text.length() - 1; end > 0; end--) {
            String shorter = text.substring(0, end).stripTrailing() + ELLIPSIS;
            if (width(shorter) <= maxWidth) {
                return shorter;
            }
        }
        return ELLIPSIS;
    }

    /** Hershey fonts draw ASCII only: other characters become '?', tabs become spaces. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c == '\n' ? '\n' : c == '\t' ? ' ' : c >= 32 && c < 127 ? c : '?');
        }
        return out.toString();
    }
}
