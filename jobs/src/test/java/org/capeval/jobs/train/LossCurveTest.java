package org.capeval.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class LossCurveTest {

    @Test
    void csvAndSvgHoldEveryPoint() throws Exception {
        LossCurve c = new LossCurve();
        for (int i = 0; i < 50; i++) {
            c.add(new LossCurve.Point(i, i / 10, Math.exp(-i / 5.0), 100));
        }
        String[] lines = c.toCsv().split("\n");
        assertEquals("step,epoch,loss,rows", lines[0]);
        assertEquals(51, lines.length);
        assertEquals("49,4," + Math.exp(-49 / 5.0) + ",100", lines[50]);

        String svg = c.toSvg("loss <&>");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getTagName());
        String pts = doc.getElementsByTagName("polyline").item(0).getAttributes().getNamedItem("points").getNodeValue();
        assertEquals(50, pts.split(" ").length);
        assertTrue(svg.contains("loss &lt;&amp;&gt;"));
    }
}
