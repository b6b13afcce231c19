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
    private static final String FILEINSTALL_FILE = "felix.fileinstall.filename";

    private final ModelCatalog.Registered model;

    /** @param properties the configuration */
    @Activate
    public ConfiguredModel(Map<String, Object> properties) {
        Path source = source(properties);
        try {
            this.model = new ModelCatalog.Registered(source,
                    Descriptors.fromConfig(properties, source.toAbsolutePath().getParent()),
                    System.nanoTime());
        } catch (CamException e) {
            LOG.error("model configuration {} is invalid: {}", source, e.getMessage());
            throw e;
        }
    }

    /** @return the registered model */
    ModelCatalog.Registered model() {
        return model;
    }

    /** @return the {@code .cfg} file the configuration came from, or a name built from its PID */
    private static Path source(Map<String, Object> properties) {
        Object file = properties.get(FILEINSTALL_FILE);
        if (file != null) {
            String text = file.toString();
            return Path.of(text.startsWith("file:") ? java.net.URI.create(text).getPath() : text);
        }
        return Path.of(String.valueOf(properties.getOrDefault("service.pid", PID)) + ".cfg");
    }
}
