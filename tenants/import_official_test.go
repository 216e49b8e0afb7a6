package tenants_test

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"chuyenhoa/domain"
	"chuyenhoa/store/storetest"
	"chuyenhoa/tenants"
	"chuyenhoa/tenants/official"
)

// TestImportOfficialProvince creates a province from the embedded lists
// and counts what came with it, on both databases.
func TestImportOfficialProvince(t *testing.T) {
	cases := []struct {
		list, code, name         string
		districts, wards, direct int
	}{
		{official.List2019, "24", "Tỉnh Bắc Giang", 10, 230, 0},
		{official.List2025, "24", "Tỉnh Bắc Ninh", 0, 99, 99},
	}
	for _, tc := range cases {
		t.Run(tc.list, func(t *testing.T) {
			storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
				units := &tenants.Units{DB: db}
				res, err := units.ImportOfficial(ctxFor(admin), tc.list, []string{tc.code}, nil)
				if err != nil {
					t.Fatal(err)
				}
				if got, want := res.Created, 1+tc.districts+tc.wards; got != want {
					t.Errorf("created %d units, want %d", got, want)
				}
				prov := unitByCode(t, db, tc.code)
				if prov.Name != tc.name || prov.Kind != tenants.KindProvince || prov.ParentID != nil {
					t.Errorf("province %+v, want %s at the root", prov, tc.name)
				}
				got := map[string]int{}
				var rows []struct {
					Kind     string
					ParentID int64
				}
				if err := db.NewSelect().Model((*tenants.Unit)(nil)).Column("kind", "parent_id").
					Where("tenant_id = ? AND id <> ?", prov.ID, prov.ID).Scan(context.Background(), &rows); err != nil {
					t.Fatal(err)
				}
				direct := 0
				for _, r := range rows {
					got[r.Kind]++
					if r.Kind == tenants.KindWard && r.ParentID == prov.ID {
						direct++
					}
				}
				if got[tenants.KindDistrict] != tc.districts || got[tenants.KindWard] != tc.wards || direct != tc.direct {
					t.Errorf("stored %v with %d wards directly under the province, want %d districts, %d wards, %d direct",
						got, direct, tc.districts, tc.wards, tc.direct)
				}
				assertTreeMatchesFile(t, db)

				// The same province again is a conflict naming the field, and
				// nothing is added.
				_, err = units.ImportOfficial(ctxFor(admin), tc.list, []string{tc.code}, nil)
				if domain.ErrorCode(err) != domain.ECONFLICT || fieldOf(err, "province") == "" {
					t.Errorf("second import: %v, want a conflict on province", err)
				}
				if got, want := countKinds(t, db), map[string]int{"province": 1, "district": tc.districts, "ward": tc.wards}; got["ward"] != want["ward"] || got["province"] != 1 {
					t.Errorf("after the refused import: %v", got)
				}
			})
		})
	}
}

func TestImportOfficialRefusals(t *testing.T) {
	db := storetest.MustSQLite(t)
	units := &tenants.Units{DB: db}
	for _, tc := range []struct {
		name, list, code, field string
		ctx                     context.Context
		want                    string
	}{
		{"unknown list", "2010", "24", "official", ctxFor(admin), domain.EINVALID},
		{"unknown province", official.List2025, "27", "province", ctxFor(admin), domain.EINVALID},
		{"not the platform", official.List2025, "24", "", ctxFor(tenants.Scope{UnitID: 1, TenantID: 1, Path: "/1/"}), domain.EFORBIDDEN},
		{"no scope", official.List2025, "24", "", context.Background(), domain.EFORBIDDEN},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := units.ImportOfficial(tc.ctx, tc.list, []string{tc.code}, nil)
			if got := domain.ErrorCode(err); got != tc.want {
				t.Errorf("error %v (%s), want %s", err, got, tc.want)
			}
			if tc.field != "" && fieldOf(err, tc.field) == "" {
				t.Errorf("error %v does not name %s", err, tc.field)
			}
		})
	}
	if n := countKinds(t, db); len(n) != 0 {
		t.Errorf("refused imports stored %v", n)
	}
}

func fieldOf(err error, name string) string {
	if e, ok := err.(*domain.Error); ok {
		return e.Fields[name]
	}
	return ""
}
