package org.capeval.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** IndexPermutation and EpochOrder: batches are a partition-independent function of (data, seed, epoch). */
class BatchOrderTest {

    @Test
    void permutationIsABijection() {
        for (long n : new long[] {1, 2, 3, 5, 16, 17, 1000, 4097}) {
            IndexPermutation p = new IndexPermutation(n, 7, 3);
            BitSet seen = new BitSet();
            for (long i = 0; i < n; i++) {
                long j = p.apply(i);
                assertTrue(j >= 0 && j < n);
                assertFalse(seen.get((int) j), "position " + j + " hit twice for n=" + n);
                seen.set((int) j);
            }
        }
    }

    @Test
    void permutationDependsOnSeedAndEpochOnly() {
        IndexPermutation a = new IndexPermutation(1000, 1, 0);
        IndexPermutation b = new IndexPermutation(1000, 1, 1);
        IndexPermutation c = new IndexPermutation(1000, 1, 0);
        int same = 0, moved = 0;
        for (int i = 0; i < 1000; i++) {
            assertEquals(a.apply(i), c.apply(i));
            same += a.apply(i) == b.apply(i) ? 1 : 0;
            moved += a.apply(i) != i ? 1 : 0;
        }
        assertTrue(same < 20, "epochs 0 and 1 should order rows differently, " + same + " agree");
        assertTrue(moved > 980, "a shuffle should move nearly every row, moved " + moved);
    }

    @Test
    void batchesCoverEveryRowOnceWhateverThePartitioning() {
        int n = 103;
        long batch = 10;
        RowBlock all = block(0, n);
        List<RowBlock> parts = List.of(block(0, 40), block(40, 41), block(81, 22), block(103, 0));
        assertEquals(11, EpochOrder.stepsPerEpoch(n, batch));
        for (int epoch = 0; epoch < 3; epoch++) {
            EpochOrder whole = EpochOrder.of(all, n, batch, 5, epoch);
            BitSet seen = new BitSet();
            for (long s = 0; s < EpochOrder.stepsPerEpoch(n, batch); s++) {
                TreeSet<Long> fromWhole = rows(whole, s);
                TreeSet<Long> fromParts = new TreeSet<>();
                for (RowBlock b : parts) {
                    fromParts.addAll(rows(EpochOrder.of(b, n, batch, 5, epoch), s));
                }
                assertEquals(fromWhole, fromParts, "epoch " + epoch + " batch " + s);
                assertEquals(s < 10 ? 10 : 3, fromWhole.size());
                for (long r : fromWhole) {
                    assertFalse(seen.get((int) r));
                    seen.set((int) r);
                }
            }
            assertEquals(n, seen.cardinality());
        }
    }

    @Test
    void fullBatchIsEveryRowInOneStep() {
        RowBlock b = block(0, 9);
        assertEquals(1, EpochOrder.stepsPerEpoch(9, 0));
        assertEquals(1, EpochOrder.stepsPerEpoch(9, 50));
        EpochOrder o = EpochOrder.of(b, 9, 0, 1, 4);
        assertEquals(0, o.from(0));
        assertEquals(9, o.to(0));
    }

    static RowBlock block(long first, int n) {
        long[] idx = new long[n];
        for (int i = 0; i < n; i++) {
            idx[i] = first + i;
        }
        return new RowBlock(1, idx, new double[n], new double[n]);
    }

    private static TreeSet<Long> rows(EpochOrder o, long step) {
        TreeSet<Long> out = new TreeSet<>();
        List<Integer> rows = new ArrayList<>();
        for (int i = o.from(step); i < o.to(step); i++) {
            rows.add(o.order == null ? i : o.order[i]);
        }
        rows.forEach(r -> out.add(o.block.index[r]));
        return out;
    }
}
