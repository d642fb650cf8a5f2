package org.capeval.spice.score;

/**
 * Matching counts and F1 of one image in one tuple category. For All, a score with no reference
 * tuple is 0; for the subsets it is NaN (SPICE's {@code allowNan}).
 */
public record TupleScore(int tp, int fp, int fn, double precision, double recall, double f)
    implements java.io.Serializable {

  /**
   * @param matched candidate tuples that match some reference tuple (a reference may be matched by
   *     several candidates, as in SPICE)
   */
  static TupleScore of(int matched, int candidates, int references, boolean nanWithoutReferences) {
    int fp = candidates - matched;
    int fn = references - matched;
    if (references == 0 && nanWithoutReferences) {
      return new TupleScore(matched, fp, fn, Double.NaN, Double.NaN, Double.NaN);
    }
    double p = 0;
    double r = 0;
    double f = 0;
    if (references > 0) {
      r = (double) matched / references;
      if (candidates > 0) {
        p = (double) matched / candidates;
      }
      if (p > 0 && r > 0) {
        f = 2 * p * r / (p + r);
      }
    }
    return new TupleScore(matched, fp, fn, p, r, f);
  }
}
