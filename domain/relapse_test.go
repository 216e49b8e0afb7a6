package domain_test

import (
	"strings"
	"testing"

	"chuyenhoa/domain"
)

func TestEvaluateRelapse(t *testing.T) {
	watched := domain.DefaultRelapseIndicators()
	clear := domain.ReportValues{
		domain.IndIncidentsCurrent: domain.CountValue(0), domain.IndOrganisedCrime: domain.BoolValue(false),
		domain.IndSeriousInitiated: domain.CountValue(0), domain.IndReoffending: domain.CountValue(0),
		domain.IndNewDrugUsers: domain.CountValue(0),
	}
	with := func(code string, v domain.Value) domain.ReportValues {
		out := domain.CloneValues(clear)
		if v.IsNull() {
			delete(out, code)
		} else {
			out[code] = v
		}
		return out
	}
	for _, tt := range []struct {
		name   string
		values domain.ReportValues
		codes  []string
		status string
		signs  int
		// sign is the indicator that must show the sign or be missing ("" for none).
		sign string
	}{
		{"all zero and no organised crime", clear, watched, domain.RelapseClear, 0, ""},
		{"one incident", with(domain.IndIncidentsCurrent, domain.CountValue(1)), watched, domain.RelapseSign, 1, domain.IndIncidentsCurrent},
		{"organised crime", with(domain.IndOrganisedCrime, domain.BoolValue(true)), watched, domain.RelapseSign, 1, domain.IndOrganisedCrime},
		{"a new drug user", with(domain.IndNewDrugUsers, domain.CountValue(2)), watched, domain.RelapseSign, 1, domain.IndNewDrugUsers},
		{"re-offending", with(domain.IndReoffending, domain.CountValue(1)), watched, domain.RelapseSign, 1, domain.IndReoffending},
		{"incidents not entered", with(domain.IndIncidentsCurrent, domain.Value{}), watched, domain.RelapseMissing, 0, domain.IndIncidentsCurrent},
		{"a sign outweighs a missing value", domain.ReportValues{domain.IndOrganisedCrime: domain.BoolValue(true)}, watched, domain.RelapseSign, 1, domain.IndOrganisedCrime},
		{"nothing entered", domain.ReportValues{}, watched, domain.RelapseMissing, 0, domain.IndOrganisedCrime},
		{"assessment not met", domain.ReportValues{domain.IndPoliticalSystem: domain.AssessmentValue(domain.Assessment{Met: false, Note: "Chi bộ yếu"})},
			[]string{domain.IndPoliticalSystem}, domain.RelapseSign, 1, domain.IndPoliticalSystem},
		{"assessment met", domain.ReportValues{domain.IndPoliticalSystem: domain.AssessmentValue(domain.Assessment{Met: true})},
			[]string{domain.IndPoliticalSystem}, domain.RelapseClear, 0, ""},
		{"no watched indicator", clear, nil, domain.RelapseClear, 0, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := domain.EvaluateRelapse(tt.values, tt.codes, domain.DefaultIndicators())
			if e.Status != tt.status || e.Signs != tt.signs || e.Relapsed != (tt.status == domain.RelapseSign) {
				t.Fatalf("EvaluateRelapse = %s, %d signs, relapsed %v; want %s, %d", e.Status, e.Signs, e.Relapsed, tt.status, tt.signs)
			}
			if len(e.Indicators) != len(tt.codes) {
				t.Fatalf("%d indicators judged, want %d", len(e.Indicators), len(tt.codes))
			}
			for i, r := range e.Indicators {
				if r.Code != tt.codes[i] || r.Label == "" || r.Reason == "" {
					t.Errorf("indicator %d = %+v", i, r)
				}
				if r.Code == tt.sign && r.Status == domain.RelapseClear {
					t.Errorf("%s judged clear", r.Code)
				}
			}
			if e.Label != domain.RelapseStatusLabel(e.Status) || e.Label == e.Status {
				t.Errorf("label %q", e.Label)
			}
		})
	}
	e := domain.EvaluateRelapse(with(domain.IndIncidentsCurrent, domain.CountValue(1234)), watched, domain.DefaultIndicators())
	if got := e.Indicators[0].Reason; !strings.Contains(got, "1.234 > 0") {
		t.Errorf("reason %q", got)
	}
}

func TestCheckRelapseCodes(t *testing.T) {
	watched := domain.DefaultRelapseIndicators()
	if err := domain.CheckRelapseCodes([]string{domain.IndIncidentsCurrent, domain.IndNewDrugUsers}, watched, domain.DefaultIndicators()); err != nil {
		t.Errorf("watched codes refused: %v", err)
	}
	err := domain.CheckRelapseCodes([]string{domain.IndPatrols, domain.IndIncidentsCurrent, domain.IndTipsReceived}, watched, domain.DefaultIndicators())
	if got := domain.ErrorCode(err); got != domain.EINVALID {
		t.Fatalf("code %q, want invalid", got)
	}
	f := fieldsOf(t, err)
	if len(f) != 2 || f[domain.IndPatrols] == "" || f[domain.IndTipsReceived] == "" {
		t.Errorf("fields = %v, want patrols and tips_received", f)
	}
	if !strings.Contains(f[domain.IndPatrols], "Số lượt tuần tra") || !strings.Contains(f[domain.IndPatrols], "tái phức tạp") {
		t.Errorf("message %q", f[domain.IndPatrols])
	}
	cat := domain.RelapseCatalogue(domain.DefaultIndicators(), watched)
	if len(cat) != len(watched) {
		t.Fatalf("relapse catalogue has %d indicators, want %d", len(cat), len(watched))
	}
	if domain.TargetStatusLabel(domain.TargetRelapseWatch) != "Theo dõi tái phức tạp" {
		t.Errorf("label %q", domain.TargetStatusLabel(domain.TargetRelapseWatch))
	}
}
