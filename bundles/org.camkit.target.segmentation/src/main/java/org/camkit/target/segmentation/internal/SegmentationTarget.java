package org.camkit.target.segmentation.internal;

import java.nio.file.Path;
import java.util.Arrays;
import org.camkit.api.CamException;
import org.camkit.spi.ModelDescriptor;
import org.camkit.spi.TargetRequest;
import org.camkit.spi.TargetResolver;
import org.camkit.spi.TargetScore;
import org.camkit.spi.propertytypes.CamTarget;
import org.osgi.service.component.annotations.Component;

/**
 * {@code segmentation:<index or label>[:<mask.png>]}: like pytorch-grad-cam's {@code SemanticSegmentationTarget},
 * the sum of one class's scores over the pixels of a mask, for outputs {@code [K, H, W]}; the seed is the mask in
 * that class's channel and zero elsewhere. The mask is a PNG of {@code W x H} pixels (a relative path resolves
 * against the working directory; a pixel counts when any colour channel is above 127, alpha ignored), or, without
 * a file, the pixels the unperturbed image predicts as that class (argmax over K of the reference output), so
 * perturbed passes are scored on the same pixels.
 */
@Component
@CamTarget("segmentation")
public final class SegmentationTarget implements TargetResolver {

    /** The valid form of the spec, for error messages. */
    static final String FORM = "segmentation:<index or label>[:<mask.png>]";

    private final MaskFiles masks = new MaskFiles();

    @Override
    public TargetScore resolve(TargetRequest request) {
        String argument = request.argument();
        String spec = argument.isEmpty() ? "segmentation" : "segmentation:" + argument;
        ModelDescriptor model = request.model();
        int[] shape = request.shape();
        if (shape.length != 3) {
            throw new CamException("target '" + spec + "': segmentation needs [K, H, W] outputs (one score map per "
                    + "class); model '" + model.name() + "' gives " + Arrays.toString(shape)
                    + (shape.length == 1 ? "; for a classifier use class:<index or label>" : ""));
        }
        int classes = shape[0];
        int height = shape[1];
        int width = shape[2];
        int colon = model.labels().contains(argument) ? -1 : argument.indexOf(':');
        int category = category(colon < 0 ? argument : argument.substring(0, colon), spec, model, classes);
        String description = describe(category, model);
        Mask mask;
        if (colon < 0) {
            mask = Mask.predicted(request.reference(), classes, height, width, category);
            if (mask.count() == 0) {
                throw new CamException("target '" + spec + "': no pixel of model '" + model.name()
                        + "' is predicted as " + describe(category, model) + ", so its map would be empty; give a"
                        + " mask of the region to explain: " + FORM);
            }
            description += ", predicted mask of " + mask.count() + " pixels";
        } else {
            String file = argument.substring(colon + 1);
            if (file.isBlank()) {
                throw new CamException("target '" + spec + "' has an empty mask path; use " + FORM);
            }
            mask = masks.read(Path.of(file).toAbsolutePath().normalize(), spec);
            if (mask.width() != width || mask.height() != height) {
                throw new CamException("target '" + spec + "': mask '" + file + "' is " + mask.width() + "x"
                        + mask.height() + " pixels but model '" + model.name() + "' outputs " + width + "x" + height
                        + " maps (width x height); give a mask of " + width + "x" + height + " pixels");
            }
            description += ", mask " + file + " of " + mask.count() + " pixels";
        }
        return score(request.output(), category, mask, description);
    }

    private static TargetScore score(float[] output, int category, Mask mask, String description) {
        int area = mask.width() * mask.height();
        int offset = category * area;
        float[] seed = new float[output.length];
        double sum = 0;
        for (int p = 0; p < area; p++) {
            if (mask.contains(p)) {
                sum += output[offset + p];
                seed[offset + p] = 1;
            }
        }
        return new TargetScore(description, category, (float) sum, seed);
    }

    private static int category(String text, String spec, ModelDescriptor model, int classes) {
        String range = "; model '" + model.name() + "' has " + classes + " classes (0.." + (classes - 1) + ")"
                + (model.labels().isEmpty() ? "" : ", labels " + model.labels());
        if (text.isBlank()) {
            throw new CamException("target 'segmentation' needs a class: " + FORM + " (got '" + spec + "')" + range);
        }
        int index = model.labels().indexOf(text);
        if (index >= 0) {
            return index;
        }
        try {
            index = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new CamException("target '" + spec + "': '" + text + "' is neither a class index nor a label of "
                    + "model '" + model.name() + "'; use " + FORM + range, e);
        }
        if (index < 0 || index >= classes) {
            throw new CamException("target '" + spec + "': class index " + index + " is out of range; use " + FORM
                    + range);
        }
        return index;
    }

    private static String describe(int index, ModelDescriptor model) {
        String label = model.label(index);
        return "class " + index + (label.equals(String.valueOf(index)) ? "" : " (" + label + ")");
    }
}
