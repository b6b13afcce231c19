package org.camkit.demo.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SummaryPictureTest {

    private static final StoryTally.Figures FIGURES = new StoryTally.Figures(100, 0.5, 1, 0, 0.93, 0.05, 0.02, 0.7,
            0.1);

    @ParameterizedTest
    @ValueSource(strings = {"pytorch", "tensorflow", "tensorflow-keras-export-of-the-residual-network-v2"})
    void noTextOverlapsAnotherTextOrAPictureOrLeavesThePicture(String backend) {
        SummaryPicture.Layout layout = layout(backend);

        List<SummaryPicture.Text> texts = layout.texts();
        Rectangle2D picture = new Rectangle(0, 0, layout.width(), layout.height());
        for (int i = 0; i < texts.size(); i++) {
            Rectangle2D box = texts.get(i).bounds();
            assertTrue(picture.contains(box), "'" + texts.get(i).text() + "' " + box + " leaves the picture");
            for (Rectangle cell : layout.cells()) {
                assertFalse(box.intersects(cell), "'" + texts.get(i).text() + "' runs into the picture at " + cell);
            }
            for (int j = i + 1; j < texts.size(); j++) {
                assertFalse(box.intersects(texts.get(j).bounds()),
                        "'" + texts.get(i).text() + "' and '" + texts.get(j).text() + "' overlap");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pytorch", "tensorflow"})
    void theDemoModelNamesAreShownInFull(String backend) {
        List<String> shown = layout(backend).texts().stream().map(SummaryPicture.Text::text).toList();

        assertTrue(shown.contains(DemoRun.modelName(backend, true)), shown.toString());
        assertTrue(shown.contains(DemoRun.modelName(backend, false)), shown.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tensorflow", "tensorflow-keras-export-of-the-residual-network-v2"})
    void theDrawnPictureHasTheLayoutsSize(String backend) {
        SummaryPicture.Layout layout = layout(backend);

        BufferedImage drawn = SummaryPicture.draw(examples(), result(backend, true), result(backend, false), 100);

        assertEquals(layout.width(), drawn.getWidth());
        assertEquals(layout.height(), drawn.getHeight());
    }

    private static SummaryPicture.Layout layout(String backend) {
        return SummaryPicture.layout(examples(), result(backend, true), result(backend, false), 100);
    }

    private static DemoRun.ModelResult result(String backend, boolean biased) {
        return new DemoRun.ModelResult(biased, DemoRun.modelName(backend, biased), FIGURES, biased, Path.of("."));
    }

    /** Two held-out scenes; the biased model says charmander to both, so one prediction is wrong. */
    private static List<SummaryPicture.Example> examples() {
        List<SummaryPicture.Example> examples = new ArrayList<>();
        for (Scene scene : Recipe.HELD_OUT.scenes(2, 5, new SceneGenerator(64))) {
            BufferedImage picture = Images.toBuffered(scene.image());
            examples.add(new SummaryPicture.Example(scene, picture, "charmander", picture,
                    SceneGenerator.LABELS.get(scene.label())));
        }
        return examples;
    }
}
