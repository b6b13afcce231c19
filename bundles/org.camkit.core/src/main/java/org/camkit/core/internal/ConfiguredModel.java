package org.camkit.core.internal;

import java.nio.file.Path;
import java.util.Map;
import org.camkit.api.CamException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model registered by configuration: one instance per factory configuration of PID {@value #PID}, e.g. a file
 * {@code deploy/org.camkit.model-resnet.cfg} that FileInstall hands to Config Admin. Its keys are the descriptor's
 * JSON keys; lists are comma-separated; {@code file} resolves against the {@code .cfg} file's folder. Removing the
 * file removes the model.
 */
@Component(service = ConfiguredModel.class, configurationPid = ConfiguredModel.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class ConfiguredModel {

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
