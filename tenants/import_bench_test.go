package tenants_test

import (
	"testing"

	"github.com/uptrace/bun"

	"chuyenhoa/store/storetest"
	"chuyenhoa/tenants"
	"chuyenhoa/tenants/official"
)

// BenchmarkImportNational imports the 2019 national list (63 provinces,
// 713 districts, 11,160 wards) into a fresh database per iteration. Only the
// parse and the import are timed; creating and migrating the database is
// not. Run: go test ./tenants -run '^$' -bench ImportNational -benchtime 1x
func BenchmarkImportNational(b *testing.B) {
	data := officialCSV(b, official.List2019)
	for _, tc := range []struct {
		name string
		open func(testing.TB) *bun.DB
	}{
		{"sqlite", storetest.MustSQLite},
		{"postgres", storetest.MustPostgres},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				db := tc.open(b)
				units := &tenants.Units{DB: db}
				b.StartTimer()
				res, err := importCSV(ctxFor(admin), units, string(data))
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if got, want := res.Created, 11936; got != want {
					b.Fatalf("created %d units, want %d", got, want)
				}
				db.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(11936*b.N)/b.Elapsed().Seconds(), "units/s")
		})
	}
}
