package org.capeval.spice.parse;

import java.util.List;

/** Turns one (PTB-tokenized) caption into SPICE tuples: [object], [object, attr], [subj, rel, obj]. */
@FunctionalInterface
public interface CaptionParser {
  List<List<String>> tuples(String caption);
}
