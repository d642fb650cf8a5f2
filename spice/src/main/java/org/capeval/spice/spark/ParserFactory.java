package org.capeval.spice.spark;

import java.io.Serializable;
import org.capeval.spice.parse.CaptionParser;
import org.capeval.spice.parse.CoreNlpParser;

/** How an executor gets its parser; the default is the per-JVM CoreNLP instance. */
@FunctionalInterface
public interface ParserFactory extends Serializable {
  CaptionParser parser();

  /** Identifies the parser's output in the tuple cache. */
  default String version() {
    return CoreNlpParser.VERSION;
  }

  static ParserFactory coreNlp() {
    return CoreNlpParser::shared;
  }
}
