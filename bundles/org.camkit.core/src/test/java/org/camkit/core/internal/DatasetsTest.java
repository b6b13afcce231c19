package org.camkit.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.camkit.api.CamException;
import org.camkit.api.Dataset;
import org.camkit.api.GroundTruth;
import org.camkit.api.GroundTruth.Region;
import org.camkit.api.ImageInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {

    @TempDir
    Path dir;

    private Path file(String name) throws IOException {
        Path path = dir.resolve(name);
        Files.createDirectories(path.getParent());
        return Files.write(path, new byte[0]);
    }

    private static List<Path> paths(Dataset dataset) {
        return dataset.images().stream().map(i -> ((ImageInput.File) i).path()).toList();
    }

    private static String refused(List<Path> images, Path annotations, Path masks) {
        return assertThrows(CamException.class, () -> Datasets.read(images, annotations, masks)).getMessage();
    }

    // ---- images

    @Test
    void aFolderGivesItsImageFilesSortedByNameWithoutSubfoldersOrOtherFiles() throws IOException {
        for (String name : List.of("imgs/b.png", "imgs/a.JPG", "imgs/c.tiff", "imgs/d.Bmp", "imgs/notes.txt",
                "imgs/readme.md", "imgs/sub/e.png")) {
            file(name);
        }
        Dataset dataset = Datasets.read(List.of(dir.resolve("imgs")), null, null);
        assertEquals(List.of("a.JPG", "b.png", "c.tiff", "d.Bmp"),
                paths(dataset).stream().map(p -> p.getFileName().toString()).toList());
        assertEquals(List.of(), dataset.truth(), "no ground truth without annotations or masks");
    }

    @Test
    void aListFileNamesImagesRelativeToItsFolderSkippingBlankAndCommentLines() throws IOException {
        Path a = file("imgs/a.png");
        Path b = file("imgs/b.png");
        Path c = file("elsewhere/c.jpg");
        Path list = Files.writeString(Files.createDirectories(dir.resolve("lists")).resolve("set.txt"),
                "# validation set\n\n../imgs/b.png\n   ../imgs/a.png  \n" + c + "\n");
        assertEquals(List.of(b, a, c), paths(Datasets.read(List.of(list), null, null)));
    }

    @Test
    void filesFoldersAndListsKeepTheirOrderAndEachImageOnceWhereItFirstAppears() throws IOException {
        Path a = file("imgs/a.png");
        Path b = file("imgs/b.png");
        Path c = file("imgs/c.png");
        Path list = Files.writeString(dir.resolve("set.txt"), "imgs/a.png\nimgs/./c.png\n");
        assertEquals(List.of(c, a, b), paths(Datasets.read(List.of(c, dir.resolve("imgs"), list, a), null, null)));
    }

    @Test
    void aMissingImageFileOrFolderIsNamed() throws IOException {
        Path missing = dir.resolve("nope.png");
        assertEquals("image file/folder '" + missing + "' does not exist", refused(List.of(missing), null, null));
        Path list = Files.writeString(dir.resolve("set.txt"), "# first\nnope.png\n");
        String message = refused(List.of(list), null, null);
        assertEquals("image file/folder '" + missing + "' (image list '" + list + "', line 2) does not exist",
                message);
    }

    @Test
    void aFolderWithoutImagesIsNamed() throws IOException {
        file("empty/notes.txt");
        String message = refused(List.of(dir.resolve("empty")), null, null);
        assertTrue(message.startsWith("image folder '" + dir.resolve("empty") + "' holds no image files (bmp, gif, "
                + "jpeg, jpg, png, tif, tiff)"), message);
    }

    // ---- COCO

    private static final String IMAGES = """
            "images": [{"id": 1, "file_name": "a.png", "width": 40, "height": 30},
                       {"id": 7, "file_name": "train/b.jpg", "width": 20, "height": 20}],
            "categories": [{"id": 3, "name": "cat"}, {"id": 5, "name": "dog"}]""";

    private Path coco(String json) throws IOException {
        return Files.writeString(dir.resolve("coco.json"), json);
    }

    /** @return COCO annotations of a.png and b.jpg with these annotations */
    private Path annotations(String annotations) throws IOException {
        return coco("{" + IMAGES + ",\n\"annotations\": [" + annotations + "]}");
    }

    private List<Path> images() throws IOException {
        return List.of(file("imgs/a.png"), file("imgs/b.jpg"), file("imgs/c.png"));
    }

    /** @return the message refusing the annotations, after checking it starts with the file's name */
    private String refusedCoco(Path json) throws IOException {
        String message = refused(images(), json, null);
        assertTrue(message.startsWith(json + ": "), message);
        return message.substring(json.toString().length() + 2);
    }

    private static final String BOX = "{\"id\": 1, \"image_id\": 1, \"category_id\": 3, \"bbox\": [1, 2, 10, 8]}";

    @Test
    void cocoAnnotationsBecomeEachImagesRegionsMatchedByFileName() throws IOException {
        Path json = annotations("""
                {"id": 1, "image_id": 1, "category_id": 3, "bbox": [1, 2, 10, 8], "iscrowd": 0},
                {"id": 2, "image_id": 7, "category_id": 5, "bbox": [0, 0, 20, 20],
                 "segmentation": [[0, 0, 20, 0, 10, 20]], "area": 200},
                {"id": 3, "image_id": 1, "category_id": 5, "bbox": [20, 10, 5.5, 6]}""");
        Dataset dataset = Datasets.read(images(), json, null);
        assertEquals(3, dataset.truth().size());
        GroundTruth a = dataset.truth().get(0);
        assertEquals(List.of(40, 30, 2), List.of(a.width(), a.height(), a.regions().size()));
        assertEquals(List.of("cat", 1.0, 2.0, 10.0, 8.0), describe(a.regions().get(0)));
        assertEquals(List.of("dog", 20.0, 10.0, 5.5, 6.0), describe(a.regions().get(1)));
        assertEquals(List.of(), a.regions().get(0).polygons());
        assertNull(a.regions().get(0).mask());
        GroundTruth b = dataset.truth().get(1);
        assertEquals(List.of(20, 20, 1), List.of(b.width(), b.height(), b.regions().size()));
        assertEquals(List.of("dog", 0.0, 0.0, 20.0, 20.0), describe(b.regions().get(0)));
        assertArrayEquals(new double[] {0, 0, 20, 0, 10, 20}, b.regions().get(0).polygons().get(0));
        assertEquals(GroundTruth.NONE, dataset.truth().get(2), "c.png is not in the annotations");
    }

    private static List<Object> describe(Region r) {
        return List.of(r.label(), r.x(), r.y(), r.width(), r.height());
    }

    @Test
    void anImageListedWithoutAnnotationsHasNoRegions() throws IOException {
        Dataset dataset = Datasets.read(images(), annotations(""), null);
        assertEquals(new GroundTruth(40, 30, List.of()), dataset.truth().get(0));
        assertEquals(new GroundTruth(20, 20, List.of()), dataset.truth().get(1));
    }

    @Test
    void textThatIsNotJsonIsRefusedWithItsLineAndColumn() throws IOException {
        String message = refusedCoco(coco("{\"images\": [\n  {\"id\": 1,}\n]}"));
        assertTrue(message.startsWith("not COCO JSON: ") && message.contains("line 2 column"), message);
    }

    @Test
    void aMissingKeyIsNamedByItsJsonPath() throws IOException {
        String message = refusedCoco(coco("""
                {"images": [{"id": 1, "file_name": "a.png", "width": 40, "height": 30},
                            {"id": 2, "width": 20, "height": 20}]}"""));
        assertEquals("images[1].file_name: missing", message);
        assertEquals("images: missing", refusedCoco(coco("{\"annotations\": []}")));
    }

    @Test
    void aBboxThatIsNotFourNumbersIsNamedWithWhatItHolds() throws IOException {
        String message = refusedCoco(annotations(BOX + ", " + BOX + ", {\"image_id\": 1, \"bbox\": \"abc\"}"));
        assertEquals("annotations[2].bbox: must be [x, y, width, height] of numbers, got \"abc\"", message);
        assertEquals("annotations[0].bbox: must be [x, y, width, height] of numbers, got [1,2,10]",
                refusedCoco(annotations("{\"image_id\": 1, \"bbox\": [1, 2, 10]}")));
    }

    @Test
    void aBoxWithoutAreaIsNamed() throws IOException {
        String message = refusedCoco(annotations(BOX + ", {\"image_id\": 1, \"bbox\": [10, 10, 0, 5]}"));
        assertEquals("annotations[1].bbox: width and height must be positive, got [10, 10, 0, 5]", message);
    }

    @Test
    void aBoxOutsideItsImageIsNamedButOneWithinAPixelOfTheEdgeIsRounding() throws IOException {
        String message = refusedCoco(annotations("{\"image_id\": 1, \"bbox\": [30, 20, 12, 5]}"));
        assertTrue(message.startsWith("annotations[0].bbox: box [30, 20, 12, 5] reaches outside the 40x30 image "
                + "'a.png'"), message);
        Dataset dataset = Datasets.read(images(), annotations("{\"image_id\": 1, \"bbox\": [30, 20, 11, 10.5]}"),
                null);
        assertEquals(List.of("", 30.0, 20.0, 11.0, 10.5), describe(dataset.truth().get(0).regions().get(0)),
                "an annotation without a category has the label \"\"");
        assertTrue(refusedCoco(annotations("{\"image_id\": 1, \"bbox\": [-2, 0, 5, 5]}"))
                .startsWith("annotations[0].bbox: box [-2, 0, 5, 5] reaches outside"));
    }

    @Test
    void anAnnotationOfAnUnknownImageOrCategoryIsNamed() throws IOException {
        String unknownImage = "{\"image_id\": 17, \"bbox\": [0, 0, 1, 1]}";
        assertEquals("annotations[3].image_id: no image with id 17",
                refusedCoco(annotations(BOX + ", " + BOX + ", " + BOX + ", " + unknownImage)));
        assertEquals("annotations[1].category_id: no category with id 4",
                refusedCoco(annotations(BOX + ", {\"image_id\": 1, \"category_id\": 4, \"bbox\": [0, 0, 1, 1]}")));
    }

    @Test
    void aPolygonOfFewerThanThreePointsOrAnOddNumberOfCoordinatesIsNamed() throws IOException {
        String two = refusedCoco(annotations(
                "{\"image_id\": 1, \"bbox\": [0, 0, 5, 5], \"segmentation\": [[0, 0, 5, 0, 5, 5], [0, 0, 5, 5]]}"));
        assertEquals("annotations[0].segmentation[1]: has 2 points; a polygon needs at least 3", two);
        String odd = refusedCoco(annotations(
                "{\"image_id\": 1, \"bbox\": [0, 0, 5, 5], \"segmentation\": [[0, 0, 5, 0, 5, 5, 0]]}"));
        assertTrue(odd.startsWith("annotations[0].segmentation[0]: has an odd number of coordinates (7)"), odd);
    }

    @Test
    void anRleSegmentationIsRefusedAskingForPolygons() throws IOException {
        String message = refusedCoco(annotations("{\"image_id\": 7, \"bbox\": [0, 0, 5, 5], \"iscrowd\": 1, "
                + "\"segmentation\": {\"counts\": \"abc\", \"size\": [20, 20]}}"));
        assertTrue(message.startsWith("annotations[0].segmentation: RLE masks ({\"counts\": ...}) are not "
                + "supported; convert them to polygons"), message);
    }

    @Test
    void anAnnotatedImageThatIsNotAmongTheImagesGivenIsNamed() throws IOException {
        Path json = coco("""
                {"images": [{"id": 1, "file_name": "a.png", "width": 40, "height": 30},
                            {"id": 2, "file_name": "val/x.png", "width": 20, "height": 20}]}""");
        String message = refused(images(), json, null);
        assertTrue(message.startsWith(json + ": annotations name image 'val/x.png' (images[1].file_name), which "
                + "is not among the images given (--images)"), message);
    }

    @Test
    void imagesSharingAFileNameAreRefusedWithAnnotationsThatMatchByName() throws IOException {
        Path one = file("x/a.png");
        Path two = file("y/a.png");
        String message = refused(List.of(one, two), annotations(""), null);
        assertTrue(message.startsWith("images '" + one + "' and '" + two + "' have the same file name"), message);
    }

    @Test
    void annotationsAndMasksTogetherAreRefused() throws IOException {
        String message = refused(images(), annotations(""), Files.createDirectories(dir.resolve("masks")));
        assertTrue(message.contains("both as COCO annotations") && message.endsWith("give one of them"), message);
    }

    // ---- masks

    private Path png(String name, BufferedImage image) throws IOException {
        Path path = dir.resolve(name);
        Files.createDirectories(path.getParent());
        assertTrue(ImageIO.write(image, "png", path.toFile()));
        return path;
    }

    @Test
    void aMaskGivesOneUnlabelledRegionOfItsNonzeroPixelsOnAnyChannel() throws IOException {
        BufferedImage grey = new BufferedImage(8, 6, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(2, 1, 0, 255);
        grey.getRaster().setSample(4, 3, 0, 1);
        png("masks/a.png", grey);
        BufferedImage rgba = new BufferedImage(5, 4, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 5; x++) {
                rgba.setRGB(x, y, 0xff000000); // opaque black: alpha is not the object
            }
        }
        rgba.setRGB(3, 2, 0xff000001);
        png("masks/b.png", rgba);
        Dataset dataset = Datasets.read(List.of(file("imgs/a.jpg"), file("imgs/b.png")), null,
                dir.resolve("masks"));
        GroundTruth a = dataset.truth().get(0);
        assertEquals(List.of(8, 6, 1), List.of(a.width(), a.height(), a.regions().size()));
        Region object = a.regions().get(0);
        assertEquals(List.of("", 2.0, 1.0, 3.0, 3.0), describe(object));
        boolean[] expected = new boolean[48];
        expected[1 * 8 + 2] = true;
        expected[3 * 8 + 4] = true;
        assertArrayEquals(expected, object.mask());
        GroundTruth b = dataset.truth().get(1);
        assertEquals(List.of("", 3.0, 2.0, 1.0, 1.0), describe(b.regions().get(0)));
    }

    @Test
    void anImageWithoutItsMaskFileNamesTheExpectedFile() throws IOException {
        Files.createDirectories(dir.resolve("masks"));
        String message = refused(List.of(file("imgs/img_007.jpg")), null, dir.resolve("masks"));
        assertTrue(message.startsWith("no mask for image '" + dir.resolve("imgs/img_007.jpg") + "': expected '"
                + dir.resolve("masks/img_007.png") + "'"), message);
    }

    @Test
    void anAllZeroMaskIsRefusedAsEmpty() throws IOException {
        Path mask = png("masks/a.png", new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY));
        String message = refused(List.of(file("imgs/a.png")), null, dir.resolve("masks"));
        assertTrue(message.startsWith("empty mask " + mask + ": no nonzero pixel"), message);
    }
}
