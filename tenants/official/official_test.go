package official

import (
	"bytes"
	"strings"
	"testing"
)

func TestListsShape(t *testing.T) {
	cases := []struct {
		list   string
		byKind map[string]int
	}{
		{List2019, map[string]int{"province": 63, "district": 713, "ward": 11160}},
		{List2025, map[string]int{"province": 34, "ward": 3321}},
	}
	for _, tc := range cases {
		t.Run(tc.list, func(t *testing.T) {
			units, err := UnitsOf(tc.list)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int{}
			seen := map[string]Unit{}
			for _, u := range units {
				got[u.Kind]++
				if _, dup := seen[u.Code]; dup {
					t.Errorf("line %d: code %s twice", u.Line, u.Code)
				}
				switch p, ok := seen[u.ParentCode]; {
				case u.Kind == "province":
					if u.ParentCode != "" {
						t.Errorf("line %d: province %s has parent %s", u.Line, u.Code, u.ParentCode)
					}
				case !ok:
					t.Errorf("line %d: %s comes before its parent %q", u.Line, u.Code, u.ParentCode)
				case u.Kind == "district" && p.Kind != "province", u.Kind == "ward" && p.Kind == "ward":
					t.Errorf("line %d: %s %s under %s %s", u.Line, u.Kind, u.Code, p.Kind, p.Code)
				}
				if u.Name != strings.Join(strings.Fields(u.Name), " ") || u.Name == "" {
					t.Errorf("line %d: name %q not normalised", u.Line, u.Name)
				}
				seen[u.Code] = u
			}
			for k, want := range tc.byKind {
				if got[k] != want {
					t.Errorf("%d %s units, want %d", got[k], k, want)
				}
			}
			if len(got) != len(tc.byKind) {
				t.Errorf("kinds %v, want %v", got, tc.byKind)
			}
		})
	}
	if _, err := UnitsOf("2010"); err == nil {
		t.Error("UnitsOf(2010) gave no error")
	}
}

func TestProvince(t *testing.T) {
	cases := []struct {
		list, code, name   string
		districts, wards   int
		wardsUnderProvince int
	}{
		{List2019, "24", "Tỉnh Bắc Giang", 10, 230, 0},
		{List2025, "24", "Tỉnh Bắc Ninh", 0, 99, 99},
		{List2025, "01", "Thành phố Hà Nội", 0, 126, 126},
	}
	for _, tc := range cases {
		t.Run(tc.list+"/"+tc.code, func(t *testing.T) {
			sub, ok, err := Province(tc.list, tc.code)
			if err != nil || !ok {
				t.Fatalf("Province = ok %v, err %v", ok, err)
			}
			if got, want := sub[0].Name, tc.name; got != want || sub[0].Kind != "province" {
				t.Errorf("first row %+v, want the province %q", sub[0], want)
			}
			n := map[string]int{}
			direct := 0
			for _, u := range sub[1:] {
				n[u.Kind]++
				if u.Kind == "ward" && u.ParentCode == tc.code {
					direct++
				}
			}
			if n["district"] != tc.districts || n["ward"] != tc.wards || direct != tc.wardsUnderProvince {
				t.Errorf("%d districts, %d wards (%d directly under the province), want %d, %d, %d",
					n["district"], n["ward"], direct, tc.districts, tc.wards, tc.wardsUnderProvince)
			}
		})
	}
	if _, ok, err := Province(List2025, "999"); ok || err != nil {
		t.Errorf("Province(2025, 999) = %v, %v", ok, err)
	}
}

func TestKnownFacts(t *testing.T) {
	find := func(list, code string) Unit {
		units, _ := UnitsOf(list)
		for _, u := range units {
			if u.Code == code {
				return u
			}
		}
		t.Fatalf("%s: no unit %s", list, code)
		return Unit{}
	}
	for _, tc := range []struct{ list, code, name, parent, unitType string }{
		{List2019, "07756", "Thị trấn Nếnh", "222", "Thị trấn"},
		{List2019, "222", "Huyện Việt Yên", "24", "Huyện"},
		{List2025, "07795", "Phường Nếnh", "24", "Phường"},
	} {
		u := find(tc.list, tc.code)
		if u.Name != tc.name || u.ParentCode != tc.parent || u.UnitType != tc.unitType {
			t.Errorf("%s %s = %+v, want %s under %s (%s)", tc.list, tc.code, u, tc.name, tc.parent, tc.unitType)
		}
	}
	m := Mapping2025()
	if got, want := len(m), 10977; got != want {
		t.Errorf("mapping has %d rows, want %d", got, want)
	}
	var intoNenh []string
	for _, r := range m {
		if r.NewWardCode == "07795" {
			intoNenh = append(intoNenh, r.OldWardName)
		}
	}
	if got, want := strings.Join(intoNenh, ", "), "Phường Quang Châu, Phường Nếnh, Phường Vân Trung, Phường Tăng Tiến"; got != want {
		t.Errorf("into Phường Nếnh: %s, want %s", got, want)
	}
}

func TestCSVRoundTrip(t *testing.T) {
	b, err := CSV(List2025)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("code,name,kind,parent_code,unit_type\n01,Thành phố Hà Nội,province,,")) {
		t.Errorf("CSV starts %q", b[:80])
	}
	if got, want := bytes.Count(b, []byte("\n")), 1+34+3321; got != want {
		t.Errorf("CSV has %d lines, want %d", got, want)
	}
}

func TestEveryUnitHasAType(t *testing.T) {
	for _, list := range Lists() {
		units, _ := UnitsOf(list)
		n := map[string]int{}
		for _, u := range units {
			if u.UnitType == "" {
				t.Errorf("%s line %d: %s %q has no unit type", list, u.Line, u.Code, u.Name)
			}
			if u.Kind == "ward" {
				n[u.UnitType]++
			}
		}
		t.Logf("%s wards by type: %v", list, n)
	}
	units := Units2025()
	n := map[string]int{}
	for _, u := range units {
		if u.Kind == "ward" {
			n[u.UnitType]++
		}
	}
	if n["Xã"] != 2621 || n["Phường"] != 687 || n["Đặc khu"] != 13 {
		t.Errorf("2025 wards by type %v, want 2621 Xã, 687 Phường, 13 Đặc khu", n)
	}
}
