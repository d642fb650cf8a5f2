package org.capeval.jobs.leaderboard;

import java.io.Serializable;

/**
 * One entry of a night: metadata (name, team, date) and where its COCO results file is.
 *
 * @param name    the display name and history key (validated by {@link SubmissionNames}; for a
 *                submission whose metadata cannot be read, the file stem)
 * @param team    free text (HTML-escaped wherever shown)
 * @param date    the submission's own date (YYYY-MM-DD) from its metadata
 * @param source  the metadata file (or results file, when the metadata is missing) as given
 * @param results the COCO results file, null when unknown
 * @param error   why the submission cannot be scored, null when it can (so far)
 */
public final class Submission implements Serializable {
    private static final long serialVersionUID = 1L;
    // a plain class, not a record: Spark ships submissions with Kryo, which cannot build records
    private final String name;
    private final String team;
    private final String date;
    private final String source;
    private final String results;
    private final String error;

    public Submission(String name, String team, String date, String source, String results, String error) {
        this.name = name;
        this.team = team;
        this.date = date;
        this.source = source;
        this.results = results;
        this.error = error;
    }

    public String name() { return name; }

    public String team() { return team; }

    public String date() { return date; }

    public String source() { return source; }

    public String results() { return results; }

    public String error() { return error; }

    public boolean valid() { return error == null; }

    public Submission withError(String why) {
        return new Submission(name, team, date, source, results, why);
    }
}
