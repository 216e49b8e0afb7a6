package authz

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"chuyenhoa/store/storetest"
)

// Benchmark sizes (issue 3): 10,000 wards × 5 users = 50,000 grants.
const (
	benchWards        = 10_000
	benchUsersPerWard = 5
	benchSamples      = 200_000 // individually timed Can calls for p50/p99
)

var benchRoles = [benchUsersPerWard]string{RoleWard, RoleWard, RolePolice, RoleWard, RolePolice}

// benchQuery is one Can question.
type benchQuery struct {
	user, unit int64
	perm       string
}

// BenchmarkCan measures Enforcer.Can with 50,000 grants loaded from the
// database:
//
//	go test ./authz -run '^$' -bench BenchmarkCan -benchtime 2000000x
//
// The questions are random: any of the 50,000 users, every permission of
// the matrix, at the user's own unit (or, one time in ten, another). Can is
// the Enforcer's check; Enforce is Casbin's Enforce alone (a scan of every
// policy rule), for comparison; -parallel variants use every CPU. Besides
// ns/op each reports p50-ns, p99-ns and max-ns over 200,000 individually
// timed calls, and the setup insert-ms (50,000 grants in one transaction)
// and load-ms (New reading every rule).
func BenchmarkCan(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchCan(b, storetest.MustSQLite(b)) })
	b.Run("postgres", func(b *testing.B) { benchCan(b, storetest.MustPostgres(b)) })
}

func benchCan(b *testing.B, db *bun.DB) {
	ctx := context.Background()
	start := time.Now()
	grants := make([][]string, 0, benchWards*benchUsersPerWard)
	for w := range benchWards {
		for k, role := range benchRoles {
			grants = append(grants, []string{Subject(benchUser(w, k)), role, Domain(benchUnit(w))})
		}
	}
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return NewAdapter(tx).AddPoliciesCtx(ctx, "g", "g", grants)
	})
	if err != nil {
		b.Fatal(err)
	}
	insert := time.Since(start)
	start = time.Now()
	e, err := New(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	load := time.Since(start)
	if n := len(e.RolesOf(benchUser(benchWards-1, 2), benchUnit(benchWards-1))); n != 1 {
		b.Fatalf("last grant not loaded (%d roles)", n)
	}

	perms := Permissions()
	rng := rand.New(rand.NewPCG(1, 2))
	question := func(users int) benchQuery {
		w, k := rng.IntN(users/benchUsersPerWard), rng.IntN(benchUsersPerWard)
		unit := benchUnit(w)
		if rng.IntN(10) == 0 { // sometimes another unit than the user's
			unit = benchUnit(rng.IntN(benchWards))
		}
		return benchQuery{benchUser(w, k), unit, perms[rng.IntN(len(perms))].Name}
	}
	qs := make([]benchQuery, benchSamples)
	for i := range qs {
		qs[i] = question(benchWards * benchUsersPerWard)
	}
	for i := range qs[:1000] {
		q := &qs[i]
		if got, want := e.Can(q.user, q.unit, q.perm), e.enforce(q.user, q.unit, q.perm); got != want {
			b.Fatalf("Can(%d, %d, %s) = %v, Casbin's Enforce says %v", q.user, q.unit, q.perm, got, want)
		}
	}

	for _, c := range []struct {
		name string
		can  func(user, unit int64, perm string) bool
	}{
		{"Can", e.Can},
		{"Enforce", e.enforce}, // Casbin's Enforce alone, for comparison
	} {
		b.Run(c.name, func(b *testing.B) {
			var p50, p99, max float64
			if b.N > 1 { // not in the first, one-iteration probe
				p50, p99, max = latencies(c.can, qs)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				q := &qs[i%len(qs)]
				c.can(q.user, q.unit, q.perm)
			}
			b.StopTimer()
			b.ReportMetric(p50, "p50-ns")
			b.ReportMetric(p99, "p99-ns")
			b.ReportMetric(max, "max-ns")
			b.ReportMetric(float64(insert.Milliseconds()), "insert-ms")
			b.ReportMetric(float64(load.Milliseconds()), "load-ms")
		})
		b.Run(c.name+"-parallel", func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				i := rand.IntN(len(qs))
				for pb.Next() {
					q := &qs[i%len(qs)]
					c.can(q.user, q.unit, q.perm)
					i++
				}
			})
		})
	}
}

// latencies times each Can call of qs once, in order, and returns the
// median, 99th percentile and maximum in nanoseconds.
func latencies(can func(user, unit int64, perm string) bool, qs []benchQuery) (p50, p99, max float64) {
	d := make([]time.Duration, len(qs))
	for i := range qs {
		q := &qs[i]
		t := time.Now()
		can(q.user, q.unit, q.perm)
		d[i] = time.Since(t)
	}
	slices.Sort(d)
	at := func(p float64) float64 { return float64(d[int(p*float64(len(d)-1))].Nanoseconds()) }
	return at(0.50), at(0.99), float64(d[len(d)-1].Nanoseconds())
}

func benchUser(ward, k int) int64 { return int64(ward*benchUsersPerWard + k + 1) }
func benchUnit(ward int) int64    { return int64(ward + 1) }
