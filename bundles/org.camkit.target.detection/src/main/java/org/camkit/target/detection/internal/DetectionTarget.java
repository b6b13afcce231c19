package org.camkit.target.detection.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.camkit.api.CamException;
import org.camkit.api.Detection;
import org.camkit.spi.DetectionLayout;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.TargetRequest;
import org.camkit.spi.TargetResolver;
import org.camkit.spi.TargetScore;
import org.camkit.spi.propertytypes.CamTarget;
import org.osgi.service.component.annotations.Component;

/**
 * {@code detection[:<label>[@x0,y0,x1,y1][:iou]]}: pytorch-grad-cam's {@code FasterRCNNBoxScoreTarget} for
 * detectors ({@code "task": "detection"} in the descriptor). The reference boxes are the given box, or else every
 * detection of the label in the unperturbed image, or with no argument its top detection. For each reference box the
 * prediction of the scored output (its detections: above the score threshold, after suppression; boxes clipped to the
 * image) with the largest IoU counts when that IoU is above the threshold (default 0.5) and its label matches: the score adds IoU + the
 * prediction's score, and the seed their gradients with respect to the output row (the IoU's through the box
 * corners, the score's through objectness and class probability).
 */
@Component
@CamTarget("detection")
public final class DetectionTarget implements TargetResolver {

    /** The valid form of the spec, for error messages. */
    static final String FORM = "detection[:<label or index>[@x0,y0,x1,y1][:iou]]";
    /** The default IoU a prediction needs with a reference box. */
    static final float IOU = 0.5f;

    @Override
    public String description() {
        return FORM + ": a detector's box: IoU + score of the prediction that best overlaps the box (default: each"
                + " detection of the label; no argument: the top detection), as pytorch-grad-cam's "
                + "FasterRCNNBoxScoreTarget";
    }

    @Override
    public TargetScore resolve(TargetRequest request) {
        String argument = request.argument();
        String spec = argument.isEmpty() ? "detection" : "detection:" + argument;
        ModelDescriptor model = request.model();
        DetectionLayout layout = model.detection();
        if (layout == null) {
            throw new CamException("target '" + spec + "': model '" + model.name() + "' is not a detector (its "
                    + "descriptor has no \"task\": \"detection\"); for a classifier use class:<index or label>");
        }
        int[] shape = request.shape();
        int columns = layout.columns(shape, model);
        // the unperturbed image's detections, decoded only when the spec gives no box
        Supplier<List<Detection>> detected = () -> layout.decode(request.reference(), shape, model);
        Reference reference = Reference.parse(argument, spec, model, detected);
        List<float[]> boxes = reference.boxes(detected, spec, model);

        float[] output = request.output();
        int[] predictions = layout.keep(output, shape, model);
        float[] seed = new float[output.length];
        float score = 0;
        int matched = 0;
        for (float[] box : boxes) {
            int best = -1;
            float bestIou = 0;
            for (int row : predictions) {
                float iou = DetectionLayout.iou(box, 0, layout.box(output, row, columns, model), 0);
                if (best < 0 || iou > bestIou) {
                    best = row;
                    bestIou = iou;
                }
            }
            if (best >= 0 && bestIou > reference.iou() && layout.classOf(output, best, columns) == reference.label()) {
                score += bestIou + layout.score(output, best, columns);
                BoxIou.addGradient(box, output, best * columns, seed, model.inputWidth(), model.inputHeight());
                layout.addScoreGradient(output, best, columns, 1, seed);
                matched++;
            }
        }
        String label = model.label(reference.label());
        String what = reference.box() != null ? label + " at " + format(boxes.get(0))
                : boxes.size() + " detection(s) of " + label;
        return new TargetScore("detection " + what + ", " + matched + " matched (IoU > " + reference.iou() + ")",
                reference.label(), score, seed);
    }

    static String format(float[] box) {
        return String.format(Locale.ROOT, "%.1f,%.1f,%.1f,%.1f", box[0], box[1], box[2], box[3]);
    }

    /**
     * What a spec's argument asks for.
     *
     * @param label the class index
     * @param box   the given box (without an argument, the top detection's), or null for every detection of the label
     * @param iou   the IoU a prediction needs
     */
    record Reference(int label, float[] box, float iou) {

        /** Parses {@code [<label>[@x0,y0,x1,y1][:iou]]}; empty means the top detection. */
        static Reference parse(String argument, String spec, ModelDescriptor model,
                Supplier<List<Detection>> detections) {
            if (argument.isBlank()) {
                List<Detection> detected = detections.get();
                if (detected.isEmpty()) {
                    throw new CamException("target '" + spec + "': model '" + model.name() + "' detects nothing in "
                            + "this image (no box scores above " + model.detection().scoreThreshold() + "), so there "
                            + "is no top detection to explain; give a box: " + FORM);
                }
                Detection top = detected.get(0);
                return new Reference(top.classIndex(), new float[] {top.x0(), top.y0(), top.x1(), top.y1()}, IOU);
            }
            String text = argument;
            float iou = IOU;
            int at = text.indexOf('@');
            int colon = text.lastIndexOf(':');
            if (colon > at && !model.labels().contains(text)) {
                iou = iou(text.substring(colon + 1), spec);
                text = text.substring(0, colon);
            }
            float[] box = null;
            if (at >= 0) {
                box = box(text.substring(at + 1), spec, model);
                text = text.substring(0, at);
            }
            return new Reference(label(text, spec, model), box, iou);
        }

        /** @return the reference boxes: the given one, or every detection of the label */
        List<float[]> boxes(Supplier<List<Detection>> detections, String spec, ModelDescriptor model) {
            if (box != null) {
                return List.of(box);
            }
            List<Detection> detected = detections.get();
            List<float[]> out = new ArrayList<>();
            for (Detection d : detected) {
                if (d.classIndex() == label) {
                    out.add(new float[] {d.x0(), d.y0(), d.x1(), d.y1()});
                }
            }
            if (out.isEmpty()) {
                throw new CamException("target '" + spec + "': nothing in this image is detected as '"
                        + model.label(label) + "' (score above " + model.detection().scoreThreshold()
                        + "); detected: " + (detected.isEmpty() ? "nothing"
                                : detected.stream().map(Detection::toString).collect(Collectors.joining("; ")))
                        + "; explain one of those, or give a box: " + FORM);
            }
            return out;
        }

        private static int label(String text, String spec, ModelDescriptor model) {
            String choices = model.labels().isEmpty() ? "class indices 0.." + (model.classes() - 1)
                    : "labels " + model.labels();
            if (text.isBlank()) {
                throw new CamException("target '" + spec + "' needs a label before the box: " + FORM + "; model '"
                        + model.name() + "' has " + choices);
            }
            int index = model.labels().indexOf(text.trim());
            if (index >= 0) {
                return index;
            }
            try {
                index = Integer.parseInt(text.trim());
            } catch (NumberFormatException e) {
                throw new CamException("target '" + spec + "': '" + text + "' is not a label of model '"
                        + model.name() + "'; its " + choices + " (" + FORM + ")", e);
            }
            if (index < 0 || !model.labels().isEmpty() && index >= model.labels().size()) {
                throw new CamException("target '" + spec + "': class index " + index + " is out of range; model '"
                        + model.name() + "' has " + choices);
            }
            return index;
        }

        private static float[] box(String text, String spec, ModelDescriptor model) {
            String[] parts = text.split(",", -1);
            String form = "a box is x0,y0,x1,y1 in the model's input pixels (" + model.inputWidth() + "x"
                    + model.inputHeight() + "), x0 < x1 and y0 < y1";
            if (parts.length != 4) {
                throw new CamException("target '" + spec + "': box '" + text + "' is not four numbers; " + form);
            }
            float[] box = new float[4];
            for (int i = 0; i < 4; i++) {
                try {
                    box[i] = Float.parseFloat(parts[i].trim());
                } catch (NumberFormatException e) {
                    throw new CamException("target '" + spec + "': box '" + text + "': '" + parts[i]
                            + "' is not a number; " + form, e);
                }
                if (!Float.isFinite(box[i])) {
                    throw new CamException("target '" + spec + "': box '" + text + "' has a number that is not "
                            + "finite; " + form);
                }
            }
            if (!(box[0] < box[2]) || !(box[1] < box[3])) {
                throw new CamException("target '" + spec + "': box '" + text + "' is empty or has its corners "
                        + "swapped; " + form);
            }
            if (box[0] < 0 || box[1] < 0 || box[2] > model.inputWidth() || box[3] > model.inputHeight()) {
                throw new CamException("target '" + spec + "': box '" + text + "' lies outside the image (0,0,"
                        + model.inputWidth() + "," + model.inputHeight() + "); " + form);
            }
            return box;
        }

        private static float iou(String text, String spec) {
            float iou;
            try {
                iou = Float.parseFloat(text.trim());
            } catch (NumberFormatException e) {
                throw new CamException("target '" + spec + "': IoU threshold '" + text + "' is not a number; use "
                        + FORM + " with an IoU in [0, 1) (default " + IOU + ")", e);
            }
            if (!(iou >= 0 && iou < 1)) {
                throw new CamException("target '" + spec + "': IoU threshold " + text + " is outside [0, 1); use "
                        + FORM + " (default " + IOU + ")");
            }
            return iou;
        }
    }
}
