package org.capeval.spice.score;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.capeval.spice.graph.Concept;

/** The tuple subsets SPICE 1.0 reports with {@code -subset}, plus All. */
public enum TupleCategory {
  ALL("All", t -> true),
  OBJECT("Object", t -> t.size() == 1),
  ATTRIBUTE("Attribute", t -> t.size() == 2),
  RELATION("Relation", t -> t.size() == 3),
  CARDINALITY("Cardinality", t -> t.size() == 2 && Words.NUMBERS.contains(t.get(1).toString())),
  COLOR("Color", t -> t.size() == 2 && Words.COLORS.contains(t.get(1).toString())),
  SIZE("Size", t -> t.size() == 2 && Words.SIZES.contains(t.get(1).toString()));

  private final String label;
  private final Predicate<List<Concept>> filter;

  TupleCategory(String label, Predicate<List<Concept>> filter) {
    this.label = label;
    this.filter = filter;
  }

  /** The name SPICE's JSON output uses ("All", "Object", ...). */
  public String label() {
    return label;
  }

  /** Whether a tuple belongs here; merged concepts ("two/2") match no word list, as in SPICE. */
  public boolean contains(List<Concept> tuple) {
    return filter.test(tuple);
  }

  /** SPICE's word lists for the Cardinality, Color and Size subsets. */
  static final class Words {
    static final Set<String> NUMBERS =
        Set.of("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten");
    static final Set<String> COLORS = Set.of("black", "brown", "blue", "red", "yellow", "pink", "gray",
        "grey", "green", "dark", "light", "white", "cream", "orange", "purple", "maroon", "beige", "violet");
    static final Set<String> SIZES = Set.of("baby", "illimitable", "scrawny", "beefy", "immeasurable",
        "short", "big", "immense", "sizable", "bony", "infinitesimal", "skeletal", "boundless", "lanky",
        "skimpy", "brawny", "large", "skinny", "broad", "lean", "slender", "bulky", "life-size", "slim",
        "chunky", "limitless", "small", "colossal", "little", "squat", "compact", "mammoth", "stocky",
        "corpulent", "massive", "stout", "cosmic", "meager", "strapping", "cubby", "measly", "sturdy",
        "curvy", "microscopic", "tall", "elfin", "mini", "teensy", "emaciated", "miniature", "teeny",
        "endless", "minuscule", "teeny-tiny", "enormous", "minute", "teeny-weeny", "epic", "narrow",
        "thick", "expansive", "obese", "thickset", "extensive", "outsized", "thin", "fat", "oversize",
        "tiny", "fleshy", "overweight", "titanic", "full-size", "paltry", "towering", "gargantuan",
        "petite", "trifling", "gaunt", "pint-size", "trim", "giant", "plump", "tubby", "gigantic",
        "pocket-size", "undersized", "grand", "portly", "underweight", "great", "pudgy", "unlimited",
        "heavy", "puny", "vast", "hefty", "rotund", "wee", "huge", "scanty", "whopping", "hulking",
        "scraggy", "wide");

    private Words() {}
  }
}
