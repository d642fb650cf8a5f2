package org.capeval.spice.spark;

import java.io.Serializable;
import org.capeval.spice.score.SpiceImageScore;
import org.capeval.spice.score.TupleCategory;
import org.capeval.spice.score.TupleScore;

/**
 * One image's SPICE as Spark ships it: arrays indexed by {@link TupleCategory#ordinal()} (a plain
 * class of arrays, because the jobs' Kryo serializer cannot rebuild records or immutable lists).
 */
public final class ImageSpice implements Serializable {
  private static final long serialVersionUID = 1L;

  public String imageId;
  public int[] tp;
  public int[] fp;
  public int[] fn;
  public double[] precision;
  public double[] recall;
  public double[] f;

  static ImageSpice of(String imageId, SpiceImageScore s) {
    int n = TupleCategory.values().length;
    ImageSpice r = new ImageSpice();
    r.imageId = imageId;
    r.tp = new int[n];
    r.fp = new int[n];
    r.fn = new int[n];
    r.precision = new double[n];
    r.recall = new double[n];
    r.f = new double[n];
    for (TupleCategory c : TupleCategory.values()) {
      TupleScore t = s.get(c);
      int i = c.ordinal();
      r.tp[i] = t.tp();
      r.fp[i] = t.fp();
      r.fn[i] = t.fn();
      r.precision[i] = t.precision();
      r.recall[i] = t.recall();
      r.f[i] = t.f();
    }
    return r;
  }

  /** The image's SPICE value (All F1). */
  public double spice() {
    return f[TupleCategory.ALL.ordinal()];
  }

  /** Back to the library's form, e.g. to compare with a local run. */
  public SpiceImageScore toScore() {
    java.util.Map<TupleCategory, TupleScore> m = new java.util.EnumMap<>(TupleCategory.class);
    for (TupleCategory c : TupleCategory.values()) {
      int i = c.ordinal();
      m.put(c, new TupleScore(tp[i], fp[i], fn[i], precision[i], recall[i], f[i]));
    }
    return new SpiceImageScore(m);
  }
}
