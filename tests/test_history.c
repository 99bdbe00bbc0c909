/* test_history.c — history.h: exact buckets before decimation, the merge
 * rule, bounded memory, spikes surviving, NaN handling, clear, truncate. */
#include "testutil.h"

#include "history.h"

/* Checks the invariants every series must keep: len ≤ cap, span a power
 * of two, counts summing to total, full buckets except the newest, steps
 * ordered within and across buckets, min ≤ max. */
static void check_invariants(const history *h)
{
    assert_true(h->len <= h->cap);
    assert_true(h->span >= 1 && (h->span & (h->span - 1)) == 0);
    uint64_t sum = 0;
    for (size_t i = 0; i < h->len; i++) {
        const hist_bucket *b = history_at(h, i);
        assert_non_null(b);
        assert_true(b->count >= 1 && b->count <= h->span);
        if (i + 1 < h->len)
            assert_true(b->count == h->span);
        assert_true(b->step_first <= b->step_last);
        if (i > 0)
            assert_true(history_at(h, i - 1)->step_last < b->step_first);
        if (!isnan(b->min))
            assert_true(b->min <= b->max);
        sum += b->count;
    }
    assert_true(sum == h->total);
    assert_null(history_at(h, h->len));
}

static void test_init_rounds_cap(void **state)
{
    (void)state;
    history h;
    assert_int_equal(history_init(&h, 3), 0);
    assert_int_equal(h.cap, 4);
    assert_int_equal(h.len, 0);
    assert_int_equal(h.span, 1);
    history_free(&h);
    assert_null(h.b);
    history_free(&h); /* twice is safe */
    assert_int_equal(history_init(&h, 0), 0);
    assert_int_equal(h.cap, 2);
    history_free(&h);
    history z;
    memset(&z, 0, sizeof z);
    history_free(&z);
}

static void test_fewer_than_cap_exact(void **state)
{
    (void)state;
    history h;
    assert_int_equal(history_init(&h, 8), 0);
    for (int i = 0; i < 5; i++)
        history_push(&h, 10 + (uint64_t)i, i * 1.5 - 2.0);
    assert_int_equal(h.len, 5);
    assert_int_equal(h.span, 1);
    assert_int_equal(h.total, 5);
    for (int i = 0; i < 5; i++) {
        const hist_bucket *b = history_at(&h, (size_t)i);
        double v = i * 1.5 - 2.0;
        assert_close(b->min, v, 0);
        assert_close(b->max, v, 0);
        assert_close(b->last, v, 0);
        assert_int_equal(b->step_first, 10 + i);
        assert_int_equal(b->step_last, 10 + i);
        assert_int_equal(b->count, 1);
    }
    double lo, hi;
    history_range(&h, &lo, &hi);
    assert_close(lo, -2.0, 0);
    assert_close(hi, 4.0, 0);
    check_invariants(&h);
    history_free(&h);
}

/* cap 4, values = steps = 0, 1, 2, …: after 5 pushes the pairs {0,1},
 * {2,3} are merged and 4 starts a fresh bucket; after 9, {0..3}, {4..7},
 * {8}. */
static void test_merge_rule(void **state)
{
    (void)state;
    history h;
    assert_int_equal(history_init(&h, 4), 0);
    /* Values out of order inside each pair so min/max/last differ. */
    const double v[] = {1, 0, 2, 3, 5, 4, 7, 6, 8};
    for (int i = 0; i < 4; i++)
        history_push(&h, (uint64_t)i, v[i]);
    assert_int_equal(h.len, 4);
    assert_int_equal(h.span, 1);
    history_push(&h, 4, v[4]);
    assert_int_equal(h.len, 3);
    assert_int_equal(h.span, 2);
    const hist_bucket *b0 = history_at(&h, 0);
    assert_close(b0->min, 0, 0);
    assert_close(b0->max, 1, 0);
    assert_close(b0->last, 0, 0);
    assert_int_equal(b0->step_first, 0);
    assert_int_equal(b0->step_last, 1);
    assert_int_equal(b0->count, 2);
    const hist_bucket *b2 = history_at(&h, 2);
    assert_close(b2->min, 5, 0);
    assert_int_equal(b2->count, 1);
    assert_int_equal(b2->step_first, 4);
    check_invariants(&h);

    for (int i = 5; i < 9; i++)
        history_push(&h, (uint64_t)i, v[i]);
    assert_int_equal(h.len, 3);
    assert_int_equal(h.span, 4);
    const hist_bucket *b = history_at(&h, 1);
    assert_close(b->min, 4, 0);
    assert_close(b->max, 7, 0);
    assert_close(b->last, 6, 0);
    assert_int_equal(b->step_first, 4);
    assert_int_equal(b->step_last, 7);
    assert_int_equal(b->count, 4);
    b = history_at(&h, 2);
    assert_close(b->last, 8, 0);
    assert_int_equal(b->count, 1);
    check_invariants(&h);
    history_free(&h);
}

/* 10^6 samples, zeros except one spike and one dip, through a series of
 * 100 buckets. */
static void test_million_spike_survives(void **state)
{
    (void)state;
    history h;
    assert_int_equal(history_init(&h, 100), 0);
    const uint64_t N = 1000000, spike = 123457, dip = 777777;
    for (uint64_t s = 0; s < N; s++)
        history_push(&h, 3 * s, s == spike ? 1e9 : s == dip ? -5.0 : 0.0);
    assert_true(h.len <= h.cap);
    assert_true(h.len > h.cap / 2); /* halving leaves it at least half full */
    assert_int_equal(h.total, N);
    check_invariants(&h);
    int found = 0;
    for (size_t i = 0; i < h.len; i++) {
        const hist_bucket *b = history_at(&h, i);
        if (b->max == 1e9) {
            found++;
            assert_true(b->step_first <= 3 * spike &&
                        3 * spike <= b->step_last);
        }
    }
    assert_int_equal(found, 1);
    assert_int_equal(history_at(&h, 0)->step_first, 0);
    assert_int_equal(history_at(&h, h.len - 1)->step_last, 3 * (N - 1));
    double lo, hi;
    history_range(&h, &lo, &hi);
    assert_close(lo, -5.0, 0);
    assert_close(hi, 1e9, 0);
    history_free(&h);
}

/* Memory stays put: same buckets, same cap after 10^7 pushes. */
static void test_memory_bounded(void **state)
{
    (void)state;
    history h;
    assert_int_equal(history_init(&h, 64), 0);
    hist_bucket *mem = h.b;
    for (uint64_t s = 0; s < 10000000; s++)
        history_push(&h, s, (double)(s % 1000));
    assert_ptr_equal(h.b, mem);
    assert_int_equal(h.cap, 64);
    assert_true(h.len <= 64);
    assert_int_equal(h.total, 10000000);
    check_invariants(&h);
    history_free(&h);
}

static void test_nan_inf(void **state)
{
    (void)state;
    history h;
    assert_int_equal(history_init(&h, 8), 0);
    double lo, hi;
    history_push(&h, 0, NAN);
    history_range(&h, &lo, &hi);
    assert_true(isnan(lo) && isnan(hi));
    history_push(&h, 1, 1.0);
    history_push(&h, 2, INFINITY);
    history_push(&h, 3, -INFINITY);
    history_push(&h, 4, 2.0);
    assert_int_equal(h.total, 5);
    const hist_bucket *b = history_at(&h, 0);
    assert_true(isnan(b->min) && isnan(b->max) && isnan(b->last));
    assert_int_equal(b->count, 1);
    b = history_at(&h, 2);
    assert_true(isnan(b->min) && isinf(b->last) && b->last > 0);
    history_range(&h, &lo, &hi);
    assert_close(lo, 1.0, 0);
    assert_close(hi, 2.0, 0);
    check_invariants(&h);

    /* A merge of a finite and a non-finite bucket keeps the finite range
     * and the later sample as last. */
    for (uint64_t s = 5; s < 8; s++)
        history_push(&h, s, s == 7 ? NAN : 3.0);
    history_push(&h, 8, 0.5); /* the ninth sample forces a halving */
    assert_int_equal(h.span, 2);
    b = history_at(&h, 0); /* {NaN, 1} */
    assert_close(b->min, 1.0, 0);
    assert_close(b->max, 1.0, 0);
    assert_close(b->last, 1.0, 0);
    b = history_at(&h, 1); /* {+Inf, −Inf} */
    assert_true(isnan(b->min) && isnan(b->max));
    assert_true(isinf(b->last) && b->last < 0);
    b = history_at(&h, 3); /* {3, NaN} */
    assert_close(b->min, 3.0, 0);
    assert_true(isnan(b->last));
    history_range(&h, &lo, &hi);
    assert_close(lo, 0.5, 0);
    assert_close(hi, 3.0, 0);
    check_invariants(&h);
    history_free(&h);
}

static void test_clear(void **state)
{
    (void)state;
    history h;
    assert_int_equal(history_init(&h, 4), 0);
    hist_bucket *mem = h.b;
    for (uint64_t s = 0; s < 100; s++)
        history_push(&h, s, 1.0);
    assert_true(h.span > 1);
    history_clear(&h);
    assert_int_equal(h.len, 0);
    assert_int_equal(h.total, 0);
    assert_int_equal(h.span, 1);
    assert_ptr_equal(h.b, mem);
    double lo, hi;
    history_range(&h, &lo, &hi);
    assert_true(isnan(lo) && isnan(hi));
    history_push(&h, 7, -1.0);
    assert_int_equal(h.len, 1);
    assert_int_equal(history_at(&h, 0)->count, 1);
    assert_close(history_at(&h, 0)->min, -1.0, 0);
    check_invariants(&h);
    history_free(&h);
}

static void test_truncate(void **state)
{
    (void)state;
    history h;
    assert_int_equal(history_init(&h, 8), 0);
    for (uint64_t s = 0; s < 6; s++)
        history_push(&h, 10 * s, (double)s);
    history_truncate(&h, 30); /* drops steps 30, 40, 50 */
    assert_int_equal(h.len, 3);
    assert_int_equal(h.total, 3);
    history_truncate(&h, 25); /* nothing starts at ≥ 25 any more */
    assert_int_equal(h.len, 3);
    history_push(&h, 25, 9.0);
    assert_int_equal(h.len, 4);
    assert_close(history_at(&h, 3)->last, 9.0, 0);
    double lo, hi;
    history_range(&h, &lo, &hi);
    assert_close(hi, 9.0, 0);
    check_invariants(&h);

    /* After decimation: buckets of 4 covering steps 0–3, 4–7, …; a
     * truncate at 6 drops every bucket holding a step ≥ 6, so 4–7 goes
     * whole and pushing again from step 6 keeps steps non-decreasing. */
    history_clear(&h);
    for (uint64_t s = 0; s < 20; s++)
        history_push(&h, s, (double)s);
    assert_int_equal(h.span, 4);
    history_truncate(&h, 6);
    assert_int_equal(h.len, 1);
    assert_int_equal(history_at(&h, 0)->step_last, 3);
    assert_int_equal(h.total, 4);
    check_invariants(&h);
    for (uint64_t s = 6; s < 1000; s++)
        history_push(&h, s, (double)s);
    check_invariants(&h);
    history_range(&h, &lo, &hi);
    assert_close(lo, 0, 0);
    assert_close(hi, 999, 0);

    history_truncate(&h, 0);
    assert_int_equal(h.len, 0);
    assert_int_equal(h.total, 0);
    history_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_rounds_cap),
        cmocka_unit_test(test_fewer_than_cap_exact),
        cmocka_unit_test(test_merge_rule),
        cmocka_unit_test(test_million_spike_survives),
        cmocka_unit_test(test_memory_bounded),
        cmocka_unit_test(test_nan_inf),
        cmocka_unit_test(test_clear),
        cmocka_unit_test(test_truncate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
