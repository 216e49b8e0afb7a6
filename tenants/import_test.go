package tenants_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"chuyenhoa/domain"
	"chuyenhoa/store/storetest"
	"chuyenhoa/tenants"
	"chuyenhoa/tenants/official"
)

// importCSV parses text and imports it as the API and the CLI do.
func importCSV(ctx context.Context, units *tenants.Units, text string) (*tenants.ImportResult, error) {
	rows, bad, err := tenants.ParseCSV(strings.NewReader(text))
	if err != nil {
		return nil, err
	}
	return units.Import(ctx, rows, bad, nil)
}

// mustImport imports text and fails the test on any error.
func mustImport(t testing.TB, ctx context.Context, units *tenants.Units, text string) *tenants.ImportResult {
	t.Helper()
	res, err := importCSV(ctx, units, text)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return res
}

// treeState is the number of units and a checksum over every column of
// every row, to prove that a refused import changed nothing.
type treeState struct {
	Count int
	Sum   string
}

func mustTreeState(t testing.TB, db bun.IDB) treeState {
	t.Helper()
	var all []tenants.Unit
	if err := db.NewSelect().Model(&all).Order("u.id").Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	for _, u := range all {
		fmt.Fprintf(h, "%d|%s|%s|%s|%s|%s|%v|%v|%s|%d|%s|%s\n", u.ID, u.Code, u.Name, u.NameFolded, u.Kind, u.UnitType,
			deref(u.ParentID), deref(u.TenantID), u.Path, u.Depth, u.CreatedAt.UTC().Format("2006-01-02T15:04:05.999999"), u.UpdatedAt.UTC().Format("2006-01-02T15:04:05.999999"))
	}
	return treeState{Count: len(all), Sum: hex.EncodeToString(h.Sum(nil))}
}

func deref(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

// importErrors returns the per-line report of an EINVALID import error.
func importErrors(t testing.TB, err error) []tenants.ImportError {
	t.Helper()
	if got, want := domain.ErrorCode(err), domain.EINVALID; got != want {
		t.Fatalf("error code = %q (%v), want %q", got, err, want)
	}
	var de *domain.Error
	if !errors.As(err, &de) {
		t.Fatalf("error %T is not a *domain.Error", err)
	}
	lines, ok := de.Detail.([]tenants.ImportError)
	if !ok {
		t.Fatalf("Detail = %#v, want []tenants.ImportError", de.Detail)
	}
	return lines
}

// lineField is one expected entry of an import report.
type lineField struct {
	Line  int
	Field string
}

func lineFields(errs []tenants.ImportError) []lineField {
	out := make([]lineField, 0, len(errs))
	seen := map[lineField]bool{}
	for _, e := range errs {
		lf := lineField{e.Line, e.Field}
		if !seen[lf] {
			seen[lf] = true
			out = append(out, lf)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Line != out[j].Line {
			return out[i].Line < out[j].Line
		}
		return out[i].Field < out[j].Field
	})
	return out
}

// unitByCode reads a unit with the platform scope.
func unitByCode(t testing.TB, db bun.IDB, code string) *tenants.Unit {
	t.Helper()
	u, err := tenants.FindUnitByCode(ctxFor(admin), db, code)
	if err != nil {
		t.Fatalf("unit %s: %v", code, err)
	}
	return u
}

// goodFile has a province, districts, wards, a ward directly under a
// province, and children listed before their parents.
const goodFile = `code,name,kind,parent_code,unit_type
07795,Phường Nếnh,ward,222,Phường
222,Thị xã Việt Yên,district,24,Thị xã
24,Tỉnh Bắc Giang,province,,Tỉnh
07798,Xã Quang Châu,ward,222,Xã
213,Thành phố Bắc Giang,district,24,Thành phố
07203,Phường Trần Phú,ward,213,Phường
01,Thành phố Hà Nội,province,,Thành phố Trung ương
00004,Phường Ba Đình,ward,01,Phường
`

func TestImport(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		units := &tenants.Units{DB: db}
		ctx := ctxFor(admin)

		t.Run("good file", func(t *testing.T) {
			res := mustImport(t, ctx, units, goodFile)
			if got, want := res.Created, 8; got != want {
				t.Errorf("created = %d, want %d", got, want)
			}
			if got, want := res.ByKind, map[string]int{"province": 2, "district": 2, "ward": 4}; !reflect.DeepEqual(got, want) {
				t.Errorf("by kind = %v, want %v", got, want)
			}
			bg, vy, nenh := unitByCode(t, db, "24"), unitByCode(t, db, "222"), unitByCode(t, db, "07795")
			if got, want := nenh.Path, bg.Path+itoa(vy.ID)+"/"+itoa(nenh.ID)+"/"; got != want {
				t.Errorf("ward path = %q, want %q", got, want)
			}
			if got, want := nenh.Depth, 2; got != want {
				t.Errorf("ward depth = %d, want %d", got, want)
			}
			if nenh.TenantID == nil || *nenh.TenantID != bg.ID {
				t.Errorf("ward tenant = %v, want %d", deref(nenh.TenantID), bg.ID)
			}
			if got, want := nenh.Name, "Phường Nếnh"; got != want {
				t.Errorf("name = %q, want %q", got, want)
			}
			if got, want := nenh.UnitType, "Phường"; got != want {
				t.Errorf("unit type = %q, want %q", got, want)
			}
			hn, bd := unitByCode(t, db, "01"), unitByCode(t, db, "00004")
			if bd.ParentID == nil || *bd.ParentID != hn.ID {
				t.Errorf("two-tier ward parent = %v, want %d", deref(bd.ParentID), hn.ID)
			}
			if got, want := bd.Path, hn.Path+itoa(bd.ID)+"/"; got != want {
				t.Errorf("two-tier ward path = %q, want %q", got, want)
			}
			if got, want := bd.Depth, 1; got != want {
				t.Errorf("two-tier ward depth = %d, want %d", got, want)
			}
			if hn.Path != "/"+itoa(hn.ID)+"/" || hn.TenantID == nil || *hn.TenantID != hn.ID || hn.ParentID != nil {
				t.Errorf("province = %+v, want root of its own tenant", hn)
			}
			_, n, err := units.FindUnits(ctx, tenants.UnitFilter{Root: &bg.ID})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := n, 6; got != want {
				t.Errorf("Bắc Giang subtree = %d, want %d", got, want)
			}
			assertTreeMatchesFile(t, db)
		})

		t.Run("bad files leave the tree as it was", func(t *testing.T) {
			header := "code,name,kind,parent_code\n"
			cases := []struct {
				name string
				file string
				want []lineField
			}{
				{"unknown parent", header + "10001,Xã A,ward,999\n", []lineField{{2, "parent_code"}}},
				{"duplicate code in file", header + "30,Tỉnh Hải Dương,province,\n288,Huyện A,district,30\n288,Huyện B,district,30\n",
					[]lineField{{4, "code"}}},
				{"duplicate of a stored code", header + "10002,Xã B,ward,222\n07795,Phường Nếnh,ward,222\n", []lineField{{3, "code"}}},
				{"bad kind", header + "10003,Thôn C,village,222\n", []lineField{{2, "kind"}}},
				{"cycle of two", header + "501,Huyện A,district,502\n502,Huyện B,district,501\n",
					[]lineField{{2, "parent_code"}, {3, "parent_code"}}},
				{"longer cycle", header + "10010,Xã D,ward,601\n601,Huyện A,district,602\n602,Huyện B,district,603\n603,Huyện C,district,601\n",
					[]lineField{{3, "parent_code"}, {4, "parent_code"}, {5, "parent_code"}}},
				{"own parent", header + "701,Huyện A,district,701\n", []lineField{{2, "parent_code"}}},
				{"district under district", header + "801,Huyện A,district,222\n", []lineField{{2, "kind"}}},
				{"district under new district", header + "802,Huyện A,district,24\n803,Huyện B,district,802\n", []lineField{{3, "kind"}}},
				{"province under province", header + "33,Tỉnh X,province,24\n", []lineField{{2, "kind"}}},
				{"ward without parent", header + "10004,Xã E,ward,\n", []lineField{{2, "kind"}}},
				{"empty name", header + "10005,,ward,222\n10006,   ,ward,222\n", []lineField{{2, "name"}, {3, "name"}}},
				{"bad code", header + "10 7,Xã F,ward,222\n", []lineField{{2, "code"}}},
				{"bad quoting", header + "10007,\"Xã \"G\",ward,222\n10008,Xã H,ward,222\n", []lineField{{2, "file"}}},
				{"bare quote in the first field", header + "10009,Xã I,ward,222\n1\"0,Xã J,ward,222\n", []lineField{{3, "file"}}},
				{"no data rows", header, []lineField{{1, "file"}}},
				{"only unreadable lines", header + "1\"0,Xã K,ward,222\n", []lineField{{2, "file"}}},
				{"control character in name", header + "10021,Xã\x00L,ward,222\n", []lineField{{2, "name"}}},
				{"control character in unit type", "code,name,kind,parent_code,unit_type\n10022,Xã M,ward,222,\x00\n", []lineField{{2, "unit_type"}}},
				{"parent code that is no code", header + "10023,Xã N,ward,\xff\n", []lineField{{2, "parent_code"}}},
				{"every bad line is named", header +
					"10011,Xã K,ward,222\n" + // good
					"10012,Xã L,ward,nowhere\n" + // unknown parent
					"10013,,ward,222\n" + // empty name
					"10011,Xã M,ward,222\n" + // duplicate in file
					"10014,Xã N,hamlet,222\n" + // bad kind
					"00004,Phường Ba Đình,ward,01\n" + // stored code
					"10015,\"Xã \"O\",ward,222\n" + // bad quoting
					"10016,Xã P,ward,222\n", // good
					[]lineField{{3, "parent_code"}, {4, "name"}, {5, "code"}, {6, "kind"}, {7, "code"}, {8, "file"}}},
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					before := mustTreeState(t, db)
					_, err := importCSV(ctx, units, tc.file)
					errs := importErrors(t, err)
					if got, want := lineFields(errs), tc.want; !reflect.DeepEqual(got, want) {
						t.Errorf("report = %v, want %v\n%+v", got, want, errs)
					}
					for _, e := range errs {
						if e.Message == "" {
							t.Errorf("line %d %s has no message", e.Line, e.Field)
						}
					}
					if got, want := mustTreeState(t, db), before; got != want {
						t.Errorf("tree changed: %+v, want %+v", got, want)
					}
				})
			}
		})

		t.Run("missing header column", func(t *testing.T) {
			before := mustTreeState(t, db)
			_, err := importCSV(ctx, units, "code,name,parent_code\n10020,Xã Q,222\n")
			errs := importErrors(t, err)
			if got, want := lineFields(errs), []lineField{{1, "header"}}; !reflect.DeepEqual(got, want) {
				t.Errorf("report = %v, want %v", got, want)
			}
			if !strings.Contains(errs[0].Message, "kind") {
				t.Errorf("message %q does not name the missing column kind", errs[0].Message)
			}
			if got, want := mustTreeState(t, db), before; got != want {
				t.Errorf("tree changed: %+v, want %+v", got, want)
			}
		})

		t.Run("empty file", func(t *testing.T) {
			_, err := importCSV(ctx, units, "")
			if got, want := lineFields(importErrors(t, err)), []lineField{{1, "file"}}; !reflect.DeepEqual(got, want) {
				t.Errorf("report = %v, want %v", got, want)
			}
		})

		t.Run("scoped import", func(t *testing.T) {
			bg := unitByCode(t, db, "24")
			pctx := ctxFor(scopeOf(bg))
			t.Run("under own district", func(t *testing.T) {
				res := mustImport(t, pctx, units, "code,name,kind,parent_code\n10100,Xã R,ward,222\n10101,Xã S,ward,213\n10102,Xã T,ward,24\n")
				if got, want := res.Created, 3; got != want {
					t.Errorf("created = %d, want %d", got, want)
				}
				if got, want := unitByCode(t, db, "10100").Path, unitByCode(t, db, "222").Path+itoa(unitByCode(t, db, "10100").ID)+"/"; got != want {
					t.Errorf("path = %q, want %q", got, want)
				}
			})
			t.Run("under another province is an unknown parent", func(t *testing.T) {
				before := mustTreeState(t, db)
				_, err := importCSV(pctx, units, "code,name,kind,parent_code\n10103,Xã U,ward,222\n10104,Xã V,ward,01\n")
				if got, want := lineFields(importErrors(t, err)), []lineField{{3, "parent_code"}}; !reflect.DeepEqual(got, want) {
					t.Errorf("report = %v, want %v", got, want)
				}
				if got, want := mustTreeState(t, db), before; got != want {
					t.Errorf("tree changed: %+v, want %+v", got, want)
				}
			})
			t.Run("a row without parent is refused", func(t *testing.T) {
				before := mustTreeState(t, db)
				_, err := importCSV(pctx, units, "code,name,kind,parent_code\n40,Tỉnh Nghệ An,province,\n")
				if got, want := lineFields(importErrors(t, err)), []lineField{{2, "parent_code"}}; !reflect.DeepEqual(got, want) {
					t.Errorf("report = %v, want %v", got, want)
				}
				if got, want := mustTreeState(t, db), before; got != want {
					t.Errorf("tree changed: %+v, want %+v", got, want)
				}
			})
			t.Run("no scope fails closed", func(t *testing.T) {
				_, err := importCSV(context.Background(), units, "code,name,kind,parent_code\n10105,Xã W,ward,222\n")
				if got, want := domain.ErrorCode(err), domain.EFORBIDDEN; got != want {
					t.Errorf("err = %v, want %s", err, want)
				}
			})
		})
		assertTreeMatchesFile(t, db)
	})
}

// assertTreeMatchesFile checks the invariants of every stored unit: the
// parent is the unit named by the row, and path, depth and tenant follow
// from the parent.
func assertTreeMatchesFile(t *testing.T, db bun.IDB) {
	t.Helper()
	var all []tenants.Unit
	if err := db.NewSelect().Model(&all).Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	byID := make(map[int64]*tenants.Unit, len(all))
	for i := range all {
		byID[all[i].ID] = &all[i]
	}
	bad := 0
	for _, u := range all {
		var want string
		var depth int
		var tenant int64
		if u.ParentID == nil {
			want, depth, tenant = "/"+itoa(u.ID)+"/", 0, u.ID
		} else {
			p := byID[*u.ParentID]
			if p == nil {
				t.Errorf("unit %s: parent %d missing", u.Code, *u.ParentID)
				continue
			}
			want, depth = p.Path+itoa(u.ID)+"/", p.Depth+1
			if p.TenantID != nil {
				tenant = *p.TenantID
			}
		}
		if u.Path != want || u.Depth != depth || u.TenantID == nil || *u.TenantID != tenant {
			bad++
			if bad <= 5 {
				t.Errorf("unit %s: path %q depth %d tenant %v, want %q %d %d", u.Code, u.Path, u.Depth, deref(u.TenantID), want, depth, tenant)
			}
		}
	}
	if bad > 5 {
		t.Errorf("... %d units in all are inconsistent", bad)
	}
}

// officialCSV returns an embedded official list as the CSV the import reads.
func officialCSV(tb testing.TB, list string) []byte {
	tb.Helper()
	b, err := official.CSV(list)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// importList imports an embedded official list through the CSV path, as an
// operator's file would go, with the platform scope.
func importList(tb testing.TB, db *bun.DB, list string) *tenants.ImportResult {
	tb.Helper()
	rows, bad, err := tenants.ParseCSV(bytes.NewReader(officialCSV(tb, list)))
	if err != nil {
		tb.Fatal(err)
	}
	res, err := (&tenants.Units{DB: db}).Import(ctxFor(admin), rows, bad, nil)
	if err != nil {
		tb.Fatalf("import %s: %v", list, err)
	}
	return res
}

// countKinds counts the stored units by kind.
func countKinds(t *testing.T, db bun.IDB) map[string]int {
	t.Helper()
	var rows []struct {
		Kind string
		N    int
	}
	if err := db.NewSelect().Model((*tenants.Unit)(nil)).Column("kind").ColumnExpr("count(*) AS n").Group("kind").Scan(context.Background(), &rows); err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, r := range rows {
		out[r.Kind] = r.N
	}
	return out
}

func TestImportNational(t *testing.T) {
	if testing.Short() {
		t.Skip("national list import skipped in -short mode")
	}
	cases := []struct {
		list      string
		byKind    map[string]int
		nenh      string // code of the unit found by "nenh"
		province  string // code of a province whose subtree is counted
		subtree   int
		districts int
	}{
		{official.List2019, map[string]int{"province": 63, "district": 713, "ward": 11160}, "07756", "24", 241, 10},
		{official.List2025, map[string]int{"province": 34, "ward": 3321}, "07795", "24", 100, 0},
	}
	for _, tc := range cases {
		t.Run(tc.list, func(t *testing.T) {
			storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
				res := importList(t, db, tc.list)
				if got, want := res.ByKind, tc.byKind; !reflect.DeepEqual(got, want) {
					t.Errorf("result by kind = %v, want %v", got, want)
				}
				if got, want := countKinds(t, db), tc.byKind; !reflect.DeepEqual(got, want) {
					t.Errorf("stored by kind = %v, want %v", got, want)
				}
				units := &tenants.Units{DB: db}
				ctx := ctxFor(admin)
				q := "nenh"
				found, n, err := units.FindUnits(ctx, tenants.UnitFilter{Query: &q})
				if err != nil {
					t.Fatal(err)
				}
				if n != 1 || found[0].Code != tc.nenh || !strings.Contains(found[0].Name, "Nếnh") {
					t.Errorf("search %q found %d units %v, want only %s Nếnh", q, n, found, tc.nenh)
				}
				prov := unitByCode(t, db, tc.province)
				_, n, err = units.FindUnits(ctx, tenants.UnitFilter{Root: &prov.ID})
				if err != nil {
					t.Fatal(err)
				}
				if got, want := n, tc.subtree; got != want {
					t.Errorf("subtree of %s = %d, want %d", tc.province, got, want)
				}
				// The province's own scope sees exactly its subtree.
				_, n, err = units.FindUnits(ctxFor(scopeOf(prov)), tenants.UnitFilter{})
				if err != nil {
					t.Fatal(err)
				}
				if got, want := n, tc.subtree; got != want {
					t.Errorf("scope of %s sees %d units, want %d", tc.province, got, want)
				}
				kind := tenants.KindDistrict
				_, n, err = units.FindUnits(ctx, tenants.UnitFilter{ParentID: &prov.ID, Kind: &kind})
				if err != nil {
					t.Fatal(err)
				}
				if got, want := n, tc.districts; got != want {
					t.Errorf("districts of %s = %d, want %d", tc.province, got, want)
				}
				assertTreeMatchesFile(t, db)
				assertParentsAsInList(t, db, tc.list)
			})
		})
	}
}

// assertParentsAsInList checks that every row of the list is stored under
// the parent code it names.
func assertParentsAsInList(t *testing.T, db bun.IDB, list string) {
	t.Helper()
	var pairs []struct {
		Code       string
		ParentCode string
	}
	if err := db.NewSelect().TableExpr("units AS u").ColumnExpr("u.code, COALESCE(p.code, '') AS parent_code").
		Join("LEFT JOIN units AS p ON p.id = u.parent_id").Scan(context.Background(), &pairs); err != nil {
		t.Fatal(err)
	}
	stored := make(map[string]string, len(pairs))
	for _, p := range pairs {
		stored[p.Code] = p.ParentCode
	}
	rows, _, err := tenants.ParseCSV(bytes.NewReader(officialCSV(t, list)))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(stored), len(rows); got != want {
		t.Errorf("stored %d units, the list has %d rows", got, want)
	}
	bad := 0
	for _, r := range rows {
		if got, ok := stored[r.Code]; !ok || got != r.ParentCode {
			bad++
			if bad <= 5 {
				t.Errorf("unit %s: stored parent %q (present %v), file says %q", r.Code, got, ok, r.ParentCode)
			}
		}
	}
}
