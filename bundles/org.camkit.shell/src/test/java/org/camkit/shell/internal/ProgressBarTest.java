package org.camkit.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private static final long MS = 1_000_000L;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private long now;
    private final ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8),
            () -> now);

    @Test
    void lineShowsTaskBarCountsElapsedAndEstimatedTimeLeft() {
        // 12 of 32 fill 7.5 of 20 cells (7 drawn); 3.1 s for 12 units leaves 20 * 3.1 / 12 = 5.17 s
        assertEquals("scorecam relu4 [#######.............] 12/32, 3.1 s elapsed, ~5.2 s left",
                ProgressBar.line("scorecam relu4", 12, 32, 3_100 * MS));
    }

    @Test
    void noEstimateBeforeTheFirstUnitNorAfterTheLast() {
        assertEquals("ablationcam layer4 [....................] 0/8, 0.0 s elapsed",
                ProgressBar.line("ablationcam layer4", 0, 8, 0));
        assertEquals("ablationcam layer4 [####################] 8/8, 2.5 s elapsed",
                ProgressBar.line("ablationcam layer4", 8, 8, 2_500 * MS));
    }

    @Test
    void redrawsInPlaceAtMostEveryHundredMilliseconds() {
        for (int t : new int[] {0, 50, 99, 100, 150, 199}) {
            now = t * MS;
            bar.update("scorecam relu4", t / 10 + 1, 100);
        }

        String out = text();
        assertEquals(2, out.chars().filter(c -> c == '\r').count(), out);
        assertTrue(out.contains("1/100") && out.contains("11/100") && !out.contains("6/100"), out);
        assertTrue(!out.contains("\n"), "the line stays open while the task runs: " + out);
    }

    @Test
    void outsideATerminalWholeLinesAreWrittenWithoutCarriageReturns() {
        ProgressBar lines = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), () -> now, false);
        for (int done = 1; done <= 32; done++) {
            now = done * 500 * MS; // one unit every 0.5 s: a line at the start, every 5 s and at the end
            lines.update("scorecam relu4", done, 32);
        }
        lines.close();
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.indexOf('\r') < 0, text);
        List<String> written = text.lines().toList();
        assertEquals(5, written.size(), text);
        assertTrue(written.get(0).startsWith("scorecam relu4 [") && written.get(0).contains("] 1/32"), text);
        assertTrue(written.get(4).contains("] 32/32"), text);
    }

    @Test
    void anUpdateWithNothingToCountDrawsNothing() {
        bar.update("dff layer4", 1, 0);
        bar.update("dff layer4", 0, -1);
        bar.close();
        assertEquals("", bytes.toString(StandardCharsets.UTF_8), "never 1/0");
    }

    @Test
    void completionIsAlwaysDrawnAndEndsTheLine() {
        bar.update("scorecam relu4", 1, 2);
        now = 10 * MS;
        bar.update("scorecam relu4", 2, 2);
        bar.update("scorecam relu4", 2, 2);

        String out = text();
        assertTrue(out.matches("(?s).*\\r\\S.* 2/2, 0\\.0 s elapsed *\n"), out);
        assertEquals(2, out.chars().filter(c -> c == '\r').count(), "a repeated completion draws nothing: " + out);
    }

    @Test
    void aNewTaskEndsThePreviousLineAndRestartsTheClock() {
        bar.update("scorecam layer3", 1, 4);
        now = 3_000 * MS;
        bar.update("scorecam layer4", 1, 4);

        String out = text();
        assertTrue(out.contains("1/4, 0.0 s elapsed, ~0.0 s left\n\rscorecam layer4"), out);
        assertTrue(out.endsWith("scorecam layer4 [#####...............] 1/4, 0.0 s elapsed, ~0.0 s left"),
                out);
    }

    @Test
    void aShorterRedrawIsPaddedToCoverTheLongerLineBeforeIt() {
        bar.update("t", 1, 10);
        String first = ProgressBar.line("t", 1, 10, 0);
        now = 500 * MS;
        bar.update("t", 10, 10);
        String last = ProgressBar.line("t", 10, 10, 500 * MS);

        assertTrue(last.length() < first.length());
        assertTrue(text().endsWith("\r" + last + " ".repeat(first.length() - last.length()) + "\n"), text());
    }

    @Test
    void closeEndsAnOpenLineAndDoesNothingOtherwise() {
        bar.close();
        assertEquals("", text());

        bar.update("t", 1, 3);
        bar.close();
        bar.close();

        assertTrue(text().endsWith("left\n"), text());
        assertEquals(1, text().chars().filter(c -> c == '\n').count());
    }

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
