package org.camkit.core.internal;

import java.nio.file.Path;
import java.util.Map;
import org.camkit.api.CamException;
import org.camkit.spi.DetectionLayout;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model registered by configuration: one instance per factory configuration of PID {@value #PID}, e.g. a file
 * {@code deploy/org.camkit.model-resnet.cfg} that FileInstall hands to Config Admin. Its keys are the descriptor's
 * JSON keys; lists are comma-separated; {@code file} resolves against the {@code .cfg} file's folder. Removing the
 * file removes the model. {@link Config} describes the keys to Config Admin consoles (OSGi Metatype).
 */
@Component(service = ConfiguredModel.class, configurationPid = ConfiguredModel.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ConfiguredModel.Config.class, factory = true)
public final class ConfiguredModel {

    /**
     * The keys of a model configuration, for Metatype (bnd writes {@code OSGI-INF/metatype/}): the descriptor's JSON
     * keys, lists as comma-separated text, as {@link Descriptors#fromConfig} reads them (the constructor takes the
     * map, so that a bad value is reported rather than converted away). Other keys become descriptor properties.
     */
    @ObjectClassDefinition(id = PID, name = "camkit model", description = "A model registered by configuration: "
            + "its descriptor's keys. One configuration per model.")
    @interface Config {
        @AttributeDefinition(description = "The name requests use (default: the .cfg file's name after "
                + "'org.camkit.model-').", required = false)
        String name();

        @AttributeDefinition(description = "The backend that loads the model, e.g. pytorch or tensorflow (see "
                + "cam:backends).")
        String backend();

        @AttributeDefinition(description = "The model file; relative to the .cfg file's folder.")
        String file();

        @AttributeDefinition(description = "How the backend builds the model, e.g. camkit-democnn, torchscript, "
                + "savedmodel.", required = false)
        String architecture();

        @AttributeDefinition(description = "Input width in pixels.", min = "1")
        int inputWidth();

        @AttributeDefinition(description = "Input height in pixels.", min = "1")
        int inputHeight();

        @AttributeDefinition(description = "Per channel mean subtracted from pixels scaled to [0, 1], "
                + "comma-separated, e.g. 0.485,0.456,0.406.")
        String mean();

        @AttributeDefinition(description = "Per channel standard deviation the pixels are divided by, "
                + "comma-separated, e.g. 0.229,0.224,0.225.")
        String std();

        @AttributeDefinition(description = "Class labels in output order, comma-separated.", required = false)
        String labels();

        @AttributeDefinition(description = "The layer a CAM targets when a request names none (see cam:layers).",
                required = false)
        String defaultLayer();

        @AttributeDefinition(description = "The order of the input channels the model expects.", required = false,
                options = {@Option(label = "RGB", value = "RGB"), @Option(label = "BGR", value = "BGR")})
        String channelOrder() default "RGB";

        @AttributeDefinition(description = "For vision transformers: prefix,height,width of the token grid, "
                + "e.g. 1,14,14.", required = false)
        String tokens();

        @AttributeDefinition(description = "What the model does; only detection changes how the output is read.",
                required = false, options = {@Option(label = "classification", value = "classification"),
                        @Option(label = "segmentation", value = "segmentation"),
                        @Option(label = "detection", value = "detection")})
        String task();

        @AttributeDefinition(description = "For detectors: how the output holds the boxes.", required = false,
                options = {@Option(label = "x0,y0,x1,y1,objectness,class probabilities",
                        value = DetectionLayout.OBJECTNESS_CLASSES),
                        @Option(label = "x0,y0,x1,y1,score,class index", value = DetectionLayout.SCORE_LABEL)})
        String detection_layout();

        @AttributeDefinition(description = "For detectors: the lowest score a detection needs, in [0, 1] "
                + "(default " + DetectionLayout.SCORE_THRESHOLD + ").",
                required = false, min = "0", max = "1")
        float detection_scoreThreshold();

        @AttributeDefinition(description = "For detectors: the IoU above which non-maximum suppression drops the "
                + "weaker box, in [0, 1] (default " + DetectionLayout.NMS_IOU + ").", required = false, min = "0",
                max = "1")
        float detection_nmsIou();
    }

    /** The factory PID of model registrations. */
    public static final String PID = "org.camkit.model";
    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredModel.class);

    private final ModelCatalog.Registered model;
    private final ModelCatalog.Broken broken;

    /**
     * A configuration that is invalid does not fail the component: it is logged in one line and kept, so that a
     * request for the model says why it is missing.
     *
     * @param properties the configuration
     */
    @Activate
    public ConfiguredModel(Map<String, Object> properties) {
        Path source = Descriptors.configFile(properties);
        ModelCatalog.Registered valid = null;
        ModelCatalog.Broken invalid = null;
        try {
            valid = new ModelCatalog.Registered(source,
                    Descriptors.fromConfig(properties, source.toAbsolutePath().getParent()), System.nanoTime());
        } catch (CamException e) {
            LOG.error("{}; the model is not registered until the file is fixed", e.getMessage());
            invalid = new ModelCatalog.Broken(name(properties, source), source, e);
        }
        this.model = valid;
        this.broken = invalid;
    }

    /** @return the registered model, or null if the configuration is invalid */
    ModelCatalog.Registered model() {
        return model;
    }

    /** @return why the configuration registers no model, or null if it is valid */
    ModelCatalog.Broken broken() {
        return broken;
    }

    /** @return the model name the configuration gives, else its file's name without the PID prefix */
    private static String name(Map<String, Object> properties, Path source) {
        Object name = properties.get("name");
        if (name != null && !name.toString().isBlank()) {
            return name.toString().trim();
        }
        String file = Descriptors.baseName(source);
        return file.startsWith(PID + "-") ? file.substring(PID.length() + 1) : file;
    }
}
