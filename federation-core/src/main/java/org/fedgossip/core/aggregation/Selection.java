package org.fedgossip.core.aggregation;

/** In-place order statistics on small float ranges, for the per-coordinate rules. */
final class Selection {

  private static final int INSERTION_SORT_MAX = 16;

  private Selection() {}

  /**
   * Partially orders {@code a[lo, hi)} so that {@code a[k]} holds the value it would hold if the
   * range were sorted, every value before it is ≤ and every value after it is ≥ (Hoare's
   * quickselect with a median-of-three pivot; insertion sort below 17 values). Values are finite.
   */
  static void select(float[] a, int lo, int hi, int k) {
    int left = lo;
    int right = hi - 1;
    while (right - left >= INSERTION_SORT_MAX) {
      int mid = (left + right) >>> 1;
      if (a[mid] < a[left]) {
        swap(a, left, mid);
      }
      if (a[right] < a[left]) {
        swap(a, left, right);
      }
      if (a[right] < a[mid]) {
        swap(a, mid, right);
      }
      float pivot = a[mid];
      int i = left;
      int j = right;
      while (i <= j) {
        while (a[i] < pivot) {
          i++;
        }
        while (a[j] > pivot) {
          j--;
        }
        if (i <= j) {
          swap(a, i, j);
          i++;
          j--;
        }
      }
      if (k <= j) {
        right = j;
      } else if (k >= i) {
        left = i;
      } else {
        return;
      }
    }
    sort(a, left, right + 1);
  }

  /** Sorts {@code a[lo, hi)} ascending by insertion; for the short ranges of Bulyan's last step. */
  static void sort(float[] a, int lo, int hi) {
    for (int i = lo + 1; i < hi; i++) {
      float x = a[i];
      int j = i - 1;
      while (j >= lo && a[j] > x) {
        a[j + 1] = a[j];
        j--;
      }
      a[j + 1] = x;
    }
  }

  private static void swap(float[] a, int i, int j) {
    float t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
