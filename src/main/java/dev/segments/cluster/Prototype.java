package dev.segments.cluster;

/**
 * One prototype in the features' original units: the numeric centre and the mode of each categorical feature, in
 * the order of the model's (or the run's) feature lists. A fitted model's are {@link KPrototypesModel#prototypes()};
 * a segment's profile and a previous run's profile table give the same shape, so runs can be compared.
 */
public record Prototype(double[] numericCentre, String[] modes) implements java.io.Serializable {
  public Prototype {
    numericCentre = numericCentre.clone();
    modes = modes.clone();
  }

  @Override
  public double[] numericCentre() {
    return numericCentre.clone();
  }

  @Override
  public String[] modes() {
    return modes.clone();
  }
}
