package io.custops.evaluation.attribution;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Multi-touch attribution of conversions to the touches (channels or campaigns) on the customers' paths: the rule-based
 * first-touch, last-touch, linear, time-decay and 40/20/40 position-based models, and the data-driven removal effect
 * of a first-order Markov chain. One pass over the paths; memory grows with the distinct keys and distinct key
 * sequences, not with the number of paths.
 * <p>
 * A conversion whose path has no recorded touch is "direct": it counts in {@link Result#paths()} and
 * {@link Result#convertingPaths()} but there is nothing to credit, so it is left out of the totals the credits sum to.
 */
public final class AttributionModels {
    /** Position-based shares of the first and of the last touch (the middle touches split the remaining 20%). */
    private static final double FIRST_AND_LAST_SHARE = 0.4;

    private AttributionModels() {
    }

    /** One marketing touch on the way to a (possible) conversion; key = what credit is given to (a channel or a campaign id). */
    public record Touch(String key, Instant at) {
        public Touch {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(at, "at");
        }
    }

    /** A customer's ordered touches; converted paths end in a conversion at convertedAt worth value; others end without one (needed by Markov). */
    public record Path(List<Touch> touches, boolean converted, Instant convertedAt, double value) {
        public Path {
            touches = touches == null ? List.of() : List.copyOf(touches);
        }
    }

    public enum Model {
        FIRST_TOUCH, LAST_TOUCH, LINEAR, TIME_DECAY, POSITION_BASED, MARKOV
    }

    /** Credit given to one key: fractional conversions and value. */
    public record Credit(String key, double conversions, double value) {
    }

    /** One distinct key sequence with how many paths followed it, how many converted, and their value (to explain results). */
    public record PathCount(List<String> keys, long paths, long conversions, double value) {
        public PathCount {
            keys = List.copyOf(keys);
        }
    }

    /**
     * The credits of one model, sorted by conversions descending then key (keys that got no share are left out);
     * {@code paths}/{@code convertingPaths} count every path, {@code totalConversions}/{@code totalValue} only the
     * converted paths with at least one touch, which is what the credits sum to. {@code topPaths} are the most
     * followed key sequences (by paths descending, then keys joined with " > "), at most topN.
     */
    public record Result(Model model, List<Credit> credits, long paths, long convertingPaths, double totalConversions, double totalValue,
            List<PathCount> topPaths) {
        public Result {
            credits = List.copyOf(credits);
            topPaths = List.copyOf(topPaths);
        }
    }

    /**
     * Attributes the conversions of {@code paths} with {@code model}. {@code halfLife} is needed (and must be positive)
     * for {@link Model#TIME_DECAY} only; {@code topN} bounds {@link Result#topPaths()}. A null or empty list gives an
     * empty result.
     */
    public static Result attribute(Model model, List<Path> paths, Duration halfLife, int topN) {
        Objects.requireNonNull(model, "model");
        if (topN < 0) {
            throw new IllegalArgumentException("topN must not be negative: " + topN);
        }
        double halfLifeSeconds = model == Model.TIME_DECAY ? positiveSeconds(halfLife) : 0;
        Map<String, double[]> credit = new HashMap<>(); // key -> {conversions, value}
        Map<List<String>, Sequence> sequences = new HashMap<>();
        MarkovChain chain = model == Model.MARKOV ? new MarkovChain() : null;
        long pathCount = 0;
        long convertingPaths = 0;
        long creditedConversions = 0;
        double creditedValue = 0;
        for (Path path : paths == null ? List.<Path>of() : paths) {
            List<Touch> touches = chronological(path.touches());
            List<String> keys = touches.stream().map(Touch::key).toList();
            pathCount++;
            if (path.converted()) {
                convertingPaths++;
            }
            sequences.computeIfAbsent(keys, Sequence::new).add(path);
            if (touches.isEmpty()) {
                continue; // a direct conversion (or an empty path): nothing recorded to credit
            }
            if (chain != null) {
                chain.add(keys, path.converted());
            }
            if (path.converted()) {
                creditedConversions++;
                creditedValue += path.value();
                if (chain == null) {
                    distribute(model, touches, path, halfLifeSeconds, credit);
                }
            }
        }
        List<Credit> credits = chain != null ? chain.credits(creditedConversions, creditedValue)
                : credit.entrySet().stream().map(e -> new Credit(e.getKey(), e.getValue()[0], e.getValue()[1])).toList();
        List<PathCount> topPaths = sequences.values().stream()
                .sorted(Comparator.comparingLong((Sequence s) -> s.paths).reversed().thenComparing(s -> s.joined))
                .limit(topN)
                .map(s -> new PathCount(s.keys, s.paths, s.conversions, s.value))
                .toList();
        return new Result(model, sorted(credits), pathCount, convertingPaths, creditedConversions, creditedValue, topPaths);
    }

    /** Spreads one conversion (1 and its value) over the touches of a converted path, by a rule-based model. */
    private static void distribute(Model model, List<Touch> touches, Path path, double halfLifeSeconds, Map<String, double[]> credit) {
        int n = touches.size();
        double value = path.value();
        switch (model) {
            case FIRST_TOUCH -> give(credit, touches.get(0).key(), 1, value);
            case LAST_TOUCH -> give(credit, touches.get(n - 1).key(), 1, value);
            case LINEAR -> touches.forEach(t -> give(credit, t.key(), 1.0 / n, value));
            case POSITION_BASED -> {
                if (n <= 2) { // 100%, or 50/50: no middle to hand the 20% to
                    touches.forEach(t -> give(credit, t.key(), 1.0 / n, value));
                } else {
                    give(credit, touches.get(0).key(), FIRST_AND_LAST_SHARE, value);
                    give(credit, touches.get(n - 1).key(), FIRST_AND_LAST_SHARE, value);
                    double middle = (1 - 2 * FIRST_AND_LAST_SHARE) / (n - 2);
                    touches.subList(1, n - 1).forEach(t -> give(credit, t.key(), middle, value));
                }
            }
            case TIME_DECAY -> {
                // weight 2^(-age/halfLife), age = convertedAt - at. A touch after the conversion (clock skew) counts as at
                // the conversion, not as worth more than one. Ages are taken from the newest touch, which scales every
                // weight by the same factor (normalisation cancels it) but keeps the largest weight 1, so very old paths
                // cannot underflow to 0/0.
                Instant conversion = path.convertedAt() != null ? path.convertedAt() : touches.get(n - 1).at();
                Instant newest = min(touches.get(n - 1).at(), conversion);
                double[] weights = new double[n];
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    double age = seconds(Duration.between(min(touches.get(i).at(), conversion), newest));
                    weights[i] = Math.pow(2, -age / halfLifeSeconds);
                    sum += weights[i];
                }
                for (int i = 0; i < n; i++) {
                    give(credit, touches.get(i).key(), weights[i] / sum, value);
                }
            }
            case MARKOV -> throw new IllegalStateException("Markov credits come from the chain, not per path");
        }
    }

    private static void give(Map<String, double[]> credit, String key, double share, double value) {
        double[] c = credit.computeIfAbsent(key, k -> new double[2]);
        c[0] += share;
        c[1] += share * value;
    }

    private static List<Credit> sorted(List<Credit> credits) {
        return credits.stream()
                .filter(c -> c.conversions() > 0)
                .sorted(Comparator.comparingDouble(Credit::conversions).reversed().thenComparing(Credit::key))
                .toList();
    }

    /** The touches in order of time; most paths come ordered, so only the others are copied (List.sort is stable for ties). */
    private static List<Touch> chronological(List<Touch> touches) {
        for (int i = 1; i < touches.size(); i++) {
            if (touches.get(i).at().isBefore(touches.get(i - 1).at())) {
                List<Touch> copy = new ArrayList<>(touches);
                copy.sort(Comparator.comparing(Touch::at));
                return copy;
            }
        }
        return touches;
    }

    private static double positiveSeconds(Duration halfLife) {
        if (halfLife == null || halfLife.isNegative() || halfLife.isZero()) {
            throw new IllegalArgumentException("time decay needs a positive half-life, got " + halfLife);
        }
        return seconds(halfLife);
    }

    private static double seconds(Duration d) {
        return d.getSeconds() + d.getNano() / 1e9;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** The paths, conversions and value of one distinct key sequence. */
    private static final class Sequence {
        final List<String> keys;
        final String joined;
        long paths;
        long conversions;
        double value;

        Sequence(List<String> keys) {
            this.keys = keys;
            this.joined = String.join(" > ", keys);
        }

        void add(Path path) {
            paths++;
            if (path.converted()) {
                conversions++;
                value += path.value();
            }
        }
    }

    /**
     * First-order Markov chain over START, the keys, CONVERSION and NULL, counted from the paths with touches. Paths
     * without touches are left out: they would only add START → CONVERSION/NULL, which scales every key's removal
     * effect by the same factor and so leaves the credit shares unchanged.
     */
    private static final class MarkovChain {
        private static final int START = 0; // the keys are states 1..n
        private static final int CONVERSION = -1;
        private static final int NULL = -2;

        private final Map<String, Integer> states = new HashMap<>();
        private final List<String> keys = new ArrayList<>(); // keys.get(s - 1) is the key of state s
        private final Map<Long, long[]> transitions = new HashMap<>(); // (from << 32 | to) -> count

        void add(List<String> path, boolean converted) {
            int from = START;
            for (String key : path) {
                int to = states.computeIfAbsent(key, k -> {
                    keys.add(k);
                    return keys.size();
                });
                // Consecutive repeats of a key collapse into one state (standard practice, e.g. ChannelAttribution).
                // In a first-order chain a self-loop only delays the next step, so absorption is the same either way.
                if (to != from) {
                    count(from, to);
                    from = to;
                }
            }
            count(from, converted ? CONVERSION : NULL);
        }

        private void count(int from, int to) {
            transitions.computeIfAbsent((long) from << 32 | (to & 0xFFFFFFFFL), k -> new long[1])[0]++;
        }

        /**
         * Removal effects, solved exactly on the absorbing chain. With Q the transitions among the transient states
         * (START and the keys), N = (I − Q)⁻¹ is the expected number of visits, x = N·r the probability of converting
         * from each state (r = one-step probability into CONVERSION) and P(conv) = x[START]. Removing key k sends every
         * transition into k to NULL, so exactly the conversions that pass through k are lost: P(conv without k) =
         * P(conv) − P(reach k)·x[k], where P(reach k from START) = N[START][k] / N[k][k]. One inversion thus gives every
         * removal effect (instead of one linear solve per key).
         */
        List<Credit> credits(long conversions, double value) {
            int m = keys.size() + 1;
            long[] outgoing = new long[m];
            transitions.forEach((edge, count) -> outgoing[(int) (edge >>> 32)] += count[0]);
            double[][] iMinusQ = new double[m][m];
            double[] toConversion = new double[m];
            for (int i = 0; i < m; i++) {
                iMinusQ[i][i] = 1;
            }
            transitions.forEach((edge, count) -> {
                int from = (int) (edge >>> 32);
                int to = (int) (long) edge;
                double p = (double) count[0] / outgoing[from];
                if (to >= 0) {
                    iMinusQ[from][to] -= p;
                } else if (to == CONVERSION) {
                    toConversion[from] += p;
                }
            });
            double[][] visits = invert(iMinusQ);
            double[] x = new double[m];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    x[i] += visits[i][j] * toConversion[j];
                }
            }
            double pConversion = x[START];
            if (!(pConversion > 0)) {
                return List.of();
            }
            double[] removalEffect = new double[m];
            double sum = 0;
            for (int k = 1; k < m; k++) {
                double reach = visits[START][k] / visits[k][k];
                double withoutK = pConversion - reach * x[k];
                removalEffect[k] = Math.max(0, 1 - withoutK / pConversion); // rounding must not make it negative
                sum += removalEffect[k];
            }
            if (!(sum > 0)) {
                return List.of();
            }
            List<Credit> credits = new ArrayList<>();
            for (int k = 1; k < m; k++) {
                double share = removalEffect[k] / sum;
                credits.add(new Credit(keys.get(k - 1), share * conversions, share * value));
            }
            return credits;
        }

        /**
         * Gauss–Jordan inversion with partial pivoting. I − Q of an absorbing chain is invertible: every state seen
         * lies on a path that was absorbed.
         */
        private static double[][] invert(double[][] a) {
            int m = a.length;
            double[][] inv = new double[m][m];
            for (int i = 0; i < m; i++) {
                inv[i][i] = 1;
            }
            for (int col = 0; col < m; col++) {
                int pivot = col;
                for (int r = col + 1; r < m; r++) {
                    if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                        pivot = r;
                    }
                }
                if (Math.abs(a[pivot][col]) < 1e-12) {
                    throw new IllegalStateException("singular transition system; the chain is not absorbing");
                }
                swap(a, col, pivot);
                swap(inv, col, pivot);
                double scale = a[col][col];
                for (int j = 0; j < m; j++) {
                    a[col][j] /= scale;
                    inv[col][j] /= scale;
                }
                for (int r = 0; r < m; r++) {
                    double f = a[r][col];
                    if (r != col && f != 0) {
                        for (int j = 0; j < m; j++) {
                            a[r][j] -= f * a[col][j];
                            inv[r][j] -= f * inv[col][j];
                        }
                    }
                }
            }
            return inv;
        }

        private static void swap(double[][] a, int i, int j) {
            double[] t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
