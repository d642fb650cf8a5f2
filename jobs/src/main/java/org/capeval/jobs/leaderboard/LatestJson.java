package org.capeval.jobs.leaderboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * {@code latest.json}: the last night's rows (same columns as the history table, in rank order on the
 * primary metric) plus the run's settings; each row also says whether it is {@code tied_with_leader}
 * on the primary metric ({@link Ranking#tiedWithLeader}).
 */
public final class LatestJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private LatestJson() {}

    public static final String TIED = "tied_with_leader";

    public static void write(String night, List<HistoryRow> tonight, Map<String, String> leaders, String rankBy,
                             Map<String, Object> settings, OutputStream out) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("night", night);
        root.put("rank_by", rankBy);
        ObjectNode s = root.putObject("settings");
        settings.forEach((k, v) -> s.set(k, JSON.valueToTree(v)));
        root.putArray("metrics").addAll(JSON.<ArrayNode>valueToTree(HistoryTable.keys(tonight)));
        ObjectNode lead = root.putObject("leaders");
        leaders.forEach(lead::put);
        ArrayNode subs = root.putArray("submissions");
        List<HistoryTable.Column> cols = HistoryTable.columns(tonight);
        for (HistoryRow r : tonight) {
            ObjectNode o = subs.addObject();
            for (HistoryTable.Column c : cols) {
                if (c.name().equals("night")) continue;
                Object v = HistoryTable.value(r, c.name());
                if (v == null) o.putNull(c.name());
                else if (v instanceof Double d && (d.isNaN() || d.isInfinite())) o.putNull(c.name());
                else o.set(c.name(), JSON.valueToTree(v));
            }
            if (r.ok()) o.put(TIED, Ranking.tiedWithLeader(r, rankBy));
        }
        JSON.writeValue(out, root);
    }
}
