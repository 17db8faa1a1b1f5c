package dev.segments.analysis;

import java.io.Serializable;

/**
 * A segment's centre: the numeric means in the features' original units and the mode of each categorical feature,
 * both in the order of the run's feature lists.
 */
public record Prototype(double[] numericCentre, String[] modes) implements Serializable {
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
