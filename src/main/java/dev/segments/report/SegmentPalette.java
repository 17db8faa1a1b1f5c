package dev.segments.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One colour per segment, fixed for the whole report so a segment looks the same in every chart, card and table.
 * The first ten are Tableau 10 (distinct yet muted); more segments get hues spread by the golden angle.
 */
final class SegmentPalette {
  private static final String[] BASE = {
      "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2",
      "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};

  private final Map<Integer, String> colourById = new LinkedHashMap<>();

  SegmentPalette(List<SegmentInfo> segments) {
    for (int i = 0; i < segments.size(); i++) {
      colourById.put(segments.get(i).id(), colour(i));
    }
  }

  String colourOf(int segmentId) {
    return colourById.get(segmentId);
  }

  private static String colour(int index) {
    if (index < BASE.length) {
      return BASE[index];
    }
    double hue = (index * 137.508) % 360;
    return hslToHex(hue, 0.45, 0.55);
  }

  private static String hslToHex(double hue, double saturation, double lightness) {
    double chroma = (1 - Math.abs(2 * lightness - 1)) * saturation;
    double h = hue / 60;
    double x = chroma * (1 - Math.abs(h % 2 - 1));
    double[] rgb = switch ((int) h) {
      case 0 -> new double[] {chroma, x, 0};
      case 1 -> new double[] {x, chroma, 0};
      case 2 -> new double[] {0, chroma, x};
      case 3 -> new double[] {0, x, chroma};
      case 4 -> new double[] {x, 0, chroma};
      default -> new double[] {chroma, 0, x};
    };
    double m = lightness - chroma / 2;
    return String.format(Locale.ROOT, "#%02x%02x%02x",
        Math.round((rgb[0] + m) * 255), Math.round((rgb[1] + m) * 255), Math.round((rgb[2] + m) * 255));
  }
}
