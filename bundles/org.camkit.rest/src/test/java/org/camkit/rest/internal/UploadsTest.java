package org.camkit.rest.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.camkit.api.ImageInput;
import org.camkit.testkit.PngBomb;
import org.junit.jupiter.api.Test;

class UploadsTest {

    @Test
    void aBodyOverTheLimitIsRefusedFromItsContentLengthBeforeItIsRead() {
        InputStream neverRead = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("the body was read");
            }
        };
        RestException e = assertThrows(RestException.class, () -> Uploads.read(neverRead, 1001, 1000));
        assertEquals(413, e.status());
        assertTrue(e.getMessage().contains("maxUploadBytes"), e.getMessage());
    }

    @Test
    void aBodyWithoutContentLengthIsReadNoFurtherThanTheLimit() {
        RestException e = assertThrows(RestException.class,
                () -> Uploads.read(new ByteArrayInputStream(new byte[1001]), -1, 1000));
        assertEquals(413, e.status());
        assertEquals(1000, Uploads.read(new ByteArrayInputStream(new byte[1000]), -1, 1000).length);
    }

    @Test
    void jsonInstancesAreBase64Bytes() {
        byte[] png = png(4, 3);
        String body = "{\"instances\": [{\"b64\": \"" + Base64.getEncoder().encodeToString(png) + "\"}], "
                + "\"parameters\": {\"method\": \"gradcam\"}}";
        Uploads.Upload upload = Uploads.json(body.getBytes(StandardCharsets.UTF_8));
        assertEquals(1, upload.images().size());
        assertArrayEquals(png, upload.images().get(0));
        assertEquals("{\"method\":\"gradcam\"}", upload.parameters().toString());
    }

    @Test
    void anInstanceThatIsNotBase64BytesIsRefusedNamingIt() {
        RestException path = assertThrows(RestException.class, () -> Uploads.json(
                "{\"instances\": [{\"path\": \"/etc/passwd\"}]}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("instances[0]", path.body().culprit());
        assertTrue(path.getMessage().contains("no file paths"), path.getMessage());
        RestException notBase64 = assertThrows(RestException.class, () -> Uploads.json(
                "{\"instances\": [{\"b64\": \"%%%\"}]}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(400, notBase64.status());
        assertEquals(400, assertThrows(RestException.class,
                () -> Uploads.json("{}".getBytes(StandardCharsets.UTF_8))).status());
    }

    @Test
    void parametersAreAnObjectAndNullMeansNone() {
        String instances = "{\"instances\": [{\"b64\": \"" + Base64.getEncoder().encodeToString(png(1, 1)) + "\"}]";
        assertEquals(0, Uploads.json((instances + ", \"parameters\": null}").getBytes(StandardCharsets.UTF_8))
                .parameters().size());
        RestException list = assertThrows(RestException.class, () -> Uploads.json((instances
                + ", \"parameters\": [\"gradcam\"]}").getBytes(StandardCharsets.UTF_8)));
        assertEquals(400, list.status());
        assertEquals("parameters", list.body().culprit());
    }

    @Test
    void multipartPartsAreTheImagesAndTheParameters() {
        byte[] a = png(2, 2);
        byte[] b = png(3, 1);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        part(body, "image", "a.png", a);
        part(body, "parameters", null, "{\"method\":\"eigencam\"}".getBytes(StandardCharsets.UTF_8));
        part(body, "image", "b.png", b);
        body.writeBytes("--XyZ--\r\n".getBytes(StandardCharsets.ISO_8859_1));

        Uploads.Upload upload = Uploads.multipart(body.toByteArray(), "multipart/form-data; boundary=XyZ");
        assertEquals(2, upload.images().size());
        assertArrayEquals(a, upload.images().get(0));
        assertArrayEquals(b, upload.images().get(1));
        assertEquals("{\"method\":\"eigencam\"}", upload.parameters().toString());
    }

    @Test
    void aMultipartParametersPartFollowsTheRulesOfAJsonBody() {
        for (String none : List.of("null", " ")) {
            assertEquals(0, multipartWithParameters(none).parameters().size(), "'" + none + "' means none");
        }
        for (String bad : List.of("[1]", "{")) {
            RestException e = assertThrows(RestException.class, () -> multipartWithParameters(bad));
            assertEquals(400, e.status(), bad);
            assertEquals("parameters", e.body().culprit(), bad);
        }
    }

    private static Uploads.Upload multipartWithParameters(String parameters) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        part(body, "image", "a.png", png(1, 1));
        part(body, "parameters", null, parameters.getBytes(StandardCharsets.UTF_8));
        body.writeBytes("--XyZ--\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return Uploads.multipart(body.toByteArray(), "multipart/form-data; boundary=XyZ");
    }

    @Test
    void aHugeImageIsRefusedFromItsHeaderBeforeDecoding() {
        // a PNG header claiming 30000 x 30000 pixels, with no pixel data at all
        byte[] bomb = PngBomb.header(30000, 30000, 8, 2);

        RestException e = assertThrows(RestException.class,
                () -> Uploads.images(List.of(png(2, 2), bomb), 16, 40_000_000L));
        assertEquals(413, e.status());
        assertEquals("instances[1]", e.body().culprit());
        assertTrue(e.getMessage().startsWith("instances[1] is 30000x30000 pixels"), e.getMessage());
    }

    @Test
    void imagesWithinTheLimitsBecomeNamedInputs() {
        List<ImageInput> inputs = Uploads.images(List.of(png(2, 2), png(3, 3)), 2, 9);
        assertEquals(List.of("instances[0]", "instances[1]"), inputs.stream().map(ImageInput::label).toList());
        assertEquals(400, assertThrows(RestException.class,
                () -> Uploads.images(List.of(png(2, 2), png(2, 2), png(2, 2)), 2, 100)).status());
    }

    private static void part(ByteArrayOutputStream body, String name, String file, byte[] content) {
        String headers = "--XyZ\r\nContent-Disposition: form-data; name=\"" + name + "\""
                + (file == null ? "" : "; filename=\"" + file + "\"\r\nContent-Type: image/png") + "\r\n\r\n";
        body.writeBytes(headers.getBytes(StandardCharsets.ISO_8859_1));
        body.writeBytes(content);
        body.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    private static byte[] png(int w, int h) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB), "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
