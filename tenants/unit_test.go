package tenants_test

import (
	"context"
	"os"
	"strconv"
	"testing"

	"github.com/uptrace/bun"

	"chuyenhoa/domain"
	"chuyenhoa/store/storetest"
	"chuyenhoa/tenants"
)

var admin = tenants.Scope{All: true}

func ctxFor(s tenants.Scope) context.Context {
	return tenants.NewContextWithScope(context.Background(), s)
}

func scopeOf(u *tenants.Unit) tenants.Scope {
	return tenants.Scope{UnitID: u.ID, TenantID: *u.TenantID, Path: u.Path}
}

func mustCreate(t *testing.T, units *tenants.Units, ctx context.Context, in tenants.NewUnit) *tenants.Unit {
	t.Helper()
	u, err := units.CreateUnit(ctx, in)
	if err != nil {
		t.Fatalf("create %s: %v", in.Code, err)
	}
	return u
}

func id(u *tenants.Unit) *int64 { return &u.ID }

func TestUnitTree(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		units := &tenants.Units{DB: db}
		ctx := ctxFor(admin)
		bg := mustCreate(t, units, ctx, tenants.NewUnit{Code: "24", Name: "Tỉnh Bắc Giang", Kind: "province"})
		vy := mustCreate(t, units, ctx, tenants.NewUnit{Code: "222", Name: "Thị xã Việt Yên", Kind: "district", ParentID: id(bg)})
		nenh := mustCreate(t, units, ctx, tenants.NewUnit{Code: "07795", Name: "Phường Nếnh", Kind: "ward", ParentCode: "222"})
		other := mustCreate(t, units, ctx, tenants.NewUnit{Code: "07798", Name: "Xã Quang Châu", Kind: "ward", ParentID: id(vy)})
		hn := mustCreate(t, units, ctx, tenants.NewUnit{Code: "01", Name: "Thành phố Hà Nội", Kind: "province"})
		// Two-tier: a ward directly under a province.
		direct := mustCreate(t, units, ctx, tenants.NewUnit{Code: "00004", Name: "Phường Ba Đình", Kind: "ward", ParentID: id(hn)})

		if got, want := nenh.Path, bg.Path+itoa(vy.ID)+"/"+itoa(nenh.ID)+"/"; got != want {
			t.Errorf("path = %q, want %q", got, want)
		}
		if got, want := *nenh.TenantID, bg.ID; got != want {
			t.Errorf("tenant = %d, want %d", got, want)
		}
		if got, want := direct.Depth, 1; got != want {
			t.Errorf("two-tier ward depth = %d, want %d", got, want)
		}

		t.Run("search folds diacritics", func(t *testing.T) {
			for _, q := range []string{"nenh", "Nếnh", "NENH", "phuong nenh"} {
				got, n, err := units.FindUnits(ctx, tenants.UnitFilter{Query: &q})
				if err != nil {
					t.Fatal(err)
				}
				if n != 1 || got[0].Name != "Phường Nếnh" {
					t.Errorf("search %q = %d results, want Phường Nếnh", q, n)
				}
			}
		})

		t.Run("ward scope sees its ward only", func(t *testing.T) {
			wctx := ctxFor(scopeOf(nenh))
			if _, err := units.FindUnitByID(wctx, other.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
				t.Errorf("other ward: err = %v, want not_found", err)
			}
			if _, err := units.FindUnitByID(wctx, vy.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
				t.Errorf("parent district: err = %v, want not_found", err)
			}
			got, n, err := units.FindUnits(wctx, tenants.UnitFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if n != 1 || got[0].ID != nenh.ID {
				t.Errorf("ward lists %d units, want only itself", n)
			}
		})

		t.Run("district scope sees its subtree", func(t *testing.T) {
			dctx := ctxFor(scopeOf(vy))
			_, n, err := units.FindUnits(dctx, tenants.UnitFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := n, 3; got != want {
				t.Errorf("district subtree = %d, want %d", got, want)
			}
			if _, err := units.FindUnitByID(dctx, direct.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
				t.Errorf("other province ward: err = %v, want not_found", err)
			}
			// Creating under a unit outside the scope is refused as unknown parent.
			_, err = units.CreateUnit(dctx, tenants.NewUnit{Code: "99999", Name: "X", Kind: "ward", ParentID: id(hn)})
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Errorf("create outside scope: err = %v, want invalid", err)
			}
		})

		t.Run("no scope fails closed", func(t *testing.T) {
			if _, _, err := units.FindUnits(context.Background(), tenants.UnitFilter{}); domain.ErrorCode(err) != domain.EFORBIDDEN {
				t.Errorf("err = %v, want forbidden", err)
			}
			if _, err := units.FindUnitByID(context.Background(), nenh.ID); domain.ErrorCode(err) != domain.EFORBIDDEN {
				t.Errorf("err = %v, want forbidden", err)
			}
		})

		t.Run("rename keeps diacritics", func(t *testing.T) {
			name := "Phường Nếnh (mới)"
			u, err := units.UpdateUnit(ctxFor(scopeOf(vy)), nenh.ID, tenants.UnitUpdate{Name: &name})
			if err != nil {
				t.Fatal(err)
			}
			if u.Name != name {
				t.Errorf("name = %q", u.Name)
			}
			empty := " "
			if _, err := units.UpdateUnit(ctx, nenh.ID, tenants.UnitUpdate{Name: &empty}); domain.ErrorCode(err) != domain.EINVALID {
				t.Errorf("empty name: err = %v", err)
			}
			if _, err := units.UpdateUnit(ctxFor(scopeOf(other)), nenh.ID, tenants.UnitUpdate{Name: &name}); domain.ErrorCode(err) != domain.ENOTFOUND {
				t.Errorf("rename from sibling: err = %v, want not_found", err)
			}
		})

		t.Run("create validation", func(t *testing.T) {
			cases := []struct {
				name  string
				in    tenants.NewUnit
				code  string
				field string
			}{
				{"bad kind", tenants.NewUnit{Code: "1", Name: "A", Kind: "village", ParentID: id(vy)}, domain.EINVALID, "kind"},
				{"empty name", tenants.NewUnit{Code: "2", Name: "", Kind: "ward", ParentID: id(vy)}, domain.EINVALID, "name"},
				{"bad code", tenants.NewUnit{Code: "a b", Name: "A", Kind: "ward", ParentID: id(vy)}, domain.EINVALID, "code"},
				{"unknown parent", tenants.NewUnit{Code: "3", Name: "A", Kind: "ward", ParentID: new(int64)}, domain.EINVALID, "parent_id"},
				{"district under district", tenants.NewUnit{Code: "4", Name: "A", Kind: "district", ParentID: id(vy)}, domain.EINVALID, "parent_id"},
				{"duplicate code", tenants.NewUnit{Code: "07795", Name: "A", Kind: "ward", ParentID: id(vy)}, domain.ECONFLICT, "code"},
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					_, err := units.CreateUnit(ctx, tc.in)
					var e *domain.Error
					if domain.ErrorCode(err) != tc.code {
						t.Fatalf("err = %v, want %s", err, tc.code)
					}
					e = err.(*domain.Error)
					if _, ok := e.Fields[tc.field]; !ok {
						t.Errorf("fields = %v, want %s named", e.Fields, tc.field)
					}
				})
			}
		})
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Phường Nếnh":      "phuong nenh",
		"Thị xã Việt Yên":  "thi xa viet yen",
		"ĐỒNG  Tâm":        "dong tam",
		"Xã Quảng Minh":    "xa quang minh",
		"Tỉnh Bắc Giang":   "tinh bac giang",
		"Ưng Hoà, Đắk Lắk": "ung hoa, dak lak",
	} {
		if got := tenants.Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMain(m *testing.M) { os.Exit(m.Run()) }

func TestParentIDOf(t *testing.T) {
	for _, tt := range []struct {
		path string
		want int64
	}{
		{"/1/5/12/", 5}, // a ward under its district
		{"/1/12/", 1},   // a ward directly under its province
		{"/1/", 0},      // a province
		{"", 0},
		{"tmp:X/", 0},
		{"/1/x5/12/", 0},
	} {
		if got := tenants.ParentIDOf(tt.path); got != tt.want {
			t.Errorf("ParentIDOf(%q) = %d, want %d", tt.path, got, tt.want)
		}
	}
	if !tenants.DirectlyUnder("/1/12/", 1) || tenants.DirectlyUnder("/1/5/12/", 1) || !tenants.DirectlyUnder("/1/5/12/", 5) || tenants.DirectlyUnder("/1/", 0) {
		t.Error("DirectlyUnder: the province is above a two-tier ward only, the district above its own")
	}
}
