package domain_test

import (
	"slices"
	"testing"
	"unicode/utf8"

	"chuyenhoa/domain"
)

func TestDefaultIndicators(t *testing.T) {
	cat := domain.DefaultIndicators()
	if err := domain.ValidateIndicators(cat); err != nil {
		t.Fatalf("ValidateIndicators: %v", err)
	}
	groups := map[string]bool{}
	for _, g := range domain.DefaultIndicatorGroups() {
		groups[g.Code] = true
	}
	for _, tt := range []struct {
		code, typ string
		by        []string
	}{
		{"tips_received", "count", []string{"police"}},
		{"tips_processed", "count", []string{"police"}},
		{"households", "count", []string{"ward", "police"}},
		{"households_reached", "count", []string{"ward", "police"}},
		{"models_active", "count", []string{"ward"}},
		{"models_effective", "count", []string{"ward"}},
		{"community_rules", "bool", []string{"ward"}},
		{"organised_crime", "bool", []string{"police"}},
		{"cases_initiated", "count", []string{"police"}},
		{"cases_solved", "count", []string{"police"}},
		{"serious_initiated", "count", []string{"police"}},
		{"serious_solved", "count", []string{"police"}},
		{"released_residing", "count", []string{"police"}},
		{"reoffending", "count", []string{"police"}},
		{"incidents_current", "count", []string{"police"}},
		{"incidents_baseline", "count", []string{"police"}},
		{"political_system", "assessment", []string{"district"}},
		{"propaganda_sessions", "count", []string{"ward", "police"}},
		{"patrols", "count", []string{"ward", "police"}},
		{"businesses_inspected", "count", []string{"ward", "police"}},
		{"rehab_dossiers", "count", []string{"ward", "police"}},
		{"drug_users_managed", "count", []string{"ward", "police"}},
		{"new_drug_users", "count", []string{"ward", "police"}},
		{"weapons_collected", "count", []string{"ward", "police"}},
		{"wanted_surrendered", "count", []string{"ward", "police"}},
	} {
		t.Run(tt.code, func(t *testing.T) {
			ind, ok := domain.FindIndicator(cat, tt.code)
			if !ok {
				t.Fatal("missing from the default catalogue")
			}
			if got, want := ind.Type, tt.typ; got != want {
				t.Errorf("Type = %q, want %q", got, want)
			}
			if got, want := ind.EnteredBy, tt.by; !slices.Equal(got, want) {
				t.Errorf("EnteredBy = %v, want %v", got, want)
			}
			if !groups[ind.Group] {
				t.Errorf("Group %q is not a default group", ind.Group)
			}
			if ind.LabelEN == "" {
				t.Error("LabelEN is empty")
			}
			if ind.Type == domain.IndicatorCount && ind.Unit == "" {
				t.Error("a count has no unit")
			}
			if !hasNonASCII(ind.Label) {
				t.Errorf("Label %q has no diacritics: it must be Vietnamese", ind.Label)
			}
		})
	}
	t.Run("CopiesAreIndependent", func(t *testing.T) {
		a := domain.DefaultIndicators()
		a[0].EnteredBy[0] = "ward"
		if got, want := domain.DefaultIndicators()[0].EnteredBy[0], "police"; got != want {
			t.Errorf("EnteredBy[0] = %q after mutating a copy, want %q", got, want)
		}
	})
}

func hasNonASCII(s string) bool {
	for _, r := range s {
		if r >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

func TestValidateIndicators(t *testing.T) {
	for _, tt := range []struct {
		name   string
		mutate func(c []domain.Indicator) []domain.Indicator
		field  string
	}{
		{"EmptyCode", func(c []domain.Indicator) []domain.Indicator { c[2].Code = ""; return c }, "indicators[2].code"},
		{"UpperCode", func(c []domain.Indicator) []domain.Indicator { c[2].Code = "Tips"; return c }, "indicators[2].code"},
		{"DigitFirst", func(c []domain.Indicator) []domain.Indicator { c[2].Code = "1tips"; return c }, "indicators[2].code"},
		{"Duplicate", func(c []domain.Indicator) []domain.Indicator { c[3].Code = c[0].Code; return c }, "indicators[3].code"},
		{"NoLabel", func(c []domain.Indicator) []domain.Indicator { c[1].Label = ""; return c }, "indicators[1].label"},
		{"BadType", func(c []domain.Indicator) []domain.Indicator { c[1].Type = "float"; return c }, "indicators[1].type"},
		{"NoRoles", func(c []domain.Indicator) []domain.Indicator { c[1].EnteredBy = nil; return c }, "indicators[1].entered_by"},
		{"BadRole", func(c []domain.Indicator) []domain.Indicator { c[1].EnteredBy = []string{"admin"}; return c }, "indicators[1].entered_by"},
		{"Added", func(c []domain.Indicator) []domain.Indicator {
			return append(c, domain.Indicator{Code: "fires", Label: "Số vụ cháy", Type: "count"})
		}, "indicators[25].entered_by"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := domain.ValidateIndicators(tt.mutate(domain.DefaultIndicators()))
			if got, want := domain.ErrorCode(err), domain.EINVALID; got != want {
				t.Fatalf("ErrorCode = %q, want %q", got, want)
			}
			if _, ok := err.(*domain.Error).Fields[tt.field]; !ok {
				t.Errorf("Fields = %v, want %q", err.(*domain.Error).Fields, tt.field)
			}
		})
	}
}

func TestCheckEntryRights(t *testing.T) {
	cat := domain.DefaultIndicators()
	patch := func(codes ...string) domain.ReportValues {
		v := domain.ReportValues{}
		for _, c := range codes {
			v[c] = domain.CountValue(1)
		}
		return v
	}
	for _, tt := range []struct {
		name   string
		patch  domain.ReportValues
		roles  []string
		denied []string
	}{
		{"PoliceCrime", patch("tips_received", "cases_solved"), []string{"police"}, nil},
		{"WardCrime", patch("tips_received", "households"), []string{"ward"}, []string{"tips_received"}},
		{"WardAndPolice", patch("tips_received", "models_active"), []string{"ward", "police"}, nil},
		{"PoliceModels", patch("models_active"), []string{"police"}, []string{"models_active"}},
		{"DistrictAssessment", domain.ReportValues{"political_system": domain.AssessmentValue(domain.Assessment{Met: true})}, []string{"district"}, nil},
		{"WardAssessment", domain.ReportValues{"political_system": domain.AssessmentValue(domain.Assessment{Met: true})}, []string{"ward"}, []string{"political_system"}},
		{"NoRoles", patch("patrols"), nil, []string{"patrols"}},
		{"Unknown", patch("nope"), []string{"police"}, []string{"nope"}},
		{"ClearingNeedsRightsToo", domain.ReportValues{"tips_received": {}}, []string{"ward"}, []string{"tips_received"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := domain.CheckEntryRights(tt.patch, cat, tt.roles...)
			if len(tt.denied) == 0 {
				if err != nil {
					t.Fatalf("CheckEntryRights: %v", err)
				}
				return
			}
			if got, want := domain.ErrorCode(err), domain.EFORBIDDEN; got != want {
				t.Fatalf("ErrorCode = %q, want %q", got, want)
			}
			fields := err.(*domain.Error).Fields
			if got, want := len(fields), len(tt.denied); got != want {
				t.Errorf("len(Fields) = %d, want %d: %v", got, want, fields)
			}
			for _, c := range tt.denied {
				if _, ok := fields[c]; !ok {
					t.Errorf("Fields = %v, want %q", fields, c)
				}
			}
		})
	}
	t.Run("ProvinceLetsWardsEnterCrime", func(t *testing.T) {
		cat := domain.DefaultIndicators()
		for i := range cat {
			if cat[i].Code == "tips_received" {
				cat[i].EnteredBy = append(cat[i].EnteredBy, "ward")
			}
		}
		if err := domain.CheckEntryRights(patch("tips_received"), cat, "ward"); err != nil {
			t.Errorf("CheckEntryRights: %v", err)
		}
	})
}
