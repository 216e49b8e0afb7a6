package demo

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"chuyenhoa/domain"
)

// stepRoles says who may take each step of a report (the API's permissions).
var stepRoles = map[string][]string{
	StepSave:   {domain.RoleWard, domain.RolePolice},
	StepSubmit: {domain.RoleWard, domain.RolePolice},
	StepReturn: {domain.RoleDistrict},
	StepAssess: {domain.RoleDistrict},
	StepAccept: {domain.RoleDistrict},
}

// TestReports2024 replays every demo report through the domain's rules —
// who may enter what, the report workflow, validation — and checks the
// criteria and the timeliness each one is meant to show.
func TestReports2024(t *testing.T) {
	cat := domain.DefaultIndicators()
	cal := domain.DefaultCalendar(CampaignYear)
	areas := map[string]bool{}
	for _, ta := range Campaign2024().TargetAreas {
		areas[ta.UnitCode] = true
	}
	baselines := map[string]int64{}
	for _, b := range Baselines2024() {
		if !areas[b.UnitCode] || !b.From.Before(b.To) || b.Incidents <= 0 || b.Note == "" {
			t.Errorf("baseline %+v", b)
		}
		baselines[b.UnitCode] = b.Incidents
	}
	const m, n, x = domain.CriterionMet, domain.CriterionNotMet, domain.CriterionMissing
	want := map[string]struct {
		criteria   [7]string
		timeliness string
	}{
		NenhCode:      {[7]string{m, m, m, m, m, m, m}, domain.TimelinessOnTime},
		QuangChauCode: {[7]string{m, x, m, m, n, m, m}, domain.TimelinessLate},
		VanTrungCode:  {[7]string{n, x, n, n, m, n, n}, domain.TimelinessOnTime},
		TangTienCode:  {[7]string{x, x, n, m, x, x, x}, domain.TimelinessMissing},
	}
	reports := Reports2024()
	if len(reports) != len(areas) {
		t.Fatalf("%d reports for %d target areas", len(reports), len(areas))
	}
	statuses := map[string]bool{}
	for _, r := range reports {
		t.Run(r.UnitCode, func(t *testing.T) {
			if !areas[r.UnitCode] {
				t.Fatalf("%s is not a target area", r.UnitCode)
			}
			p, ok := domain.FindPeriod(cal, r.Period)
			if !ok {
				t.Fatalf("period %s", r.Period)
			}
			status, vals := domain.ReportDraft, domain.ReportValues{}
			var assessment *domain.Assessment
			var submitted, last time.Time
			for i, s := range r.Steps {
				if !s.At.After(last) || domain.DateOf(s.At).Year != CampaignYear {
					t.Errorf("step %d at %v, not after %v", i, s.At, last)
				}
				last = s.At
				if !slices.Contains(stepRoles[s.Action], s.Role) {
					t.Fatalf("step %d: %s by %s", i, s.Action, s.Role)
				}
				switch s.Action {
				case StepSave:
					if !domain.ReportEditable(status) {
						t.Fatalf("step %d saves a %s report", i, status)
					}
					if err := domain.CheckEntryRights(s.Values, cat, s.Role); err != nil {
						t.Fatalf("step %d: %v", i, err)
					}
					b, err := json.Marshal(s.Values)
					if err != nil {
						t.Fatal(err)
					}
					if vals, err = domain.ApplyReportPatch(vals, b, cat); err != nil {
						t.Fatalf("step %d: %v", i, err)
					}
				case StepSubmit:
					if !domain.ReportEditable(status) {
						t.Fatalf("step %d submits a %s report", i, status)
					}
					if submitted.IsZero() {
						submitted = s.At
					}
					status = domain.ReportSubmitted
				case StepReturn:
					if err := domain.ValidateReturn(domain.ReturnInput{Reason: s.Comment, Fields: s.Fields}, cat); err != nil || status != domain.ReportSubmitted {
						t.Fatalf("step %d returns a %s report: %v", i, status, err)
					}
					status = domain.ReportReturned
				case StepAssess:
					if s.Assessment == nil || domain.ValidateAssessment(*s.Assessment) != nil || status != domain.ReportSubmitted {
						t.Fatalf("step %d assesses a %s report: %+v", i, status, s.Assessment)
					}
					assessment = s.Assessment
				case StepAccept:
					if status != domain.ReportSubmitted {
						t.Fatalf("step %d accepts a %s report", i, status)
					}
					status = domain.ReportAccepted
				default:
					t.Fatalf("step %d: action %q", i, s.Action)
				}
			}
			if status != r.Status {
				t.Errorf("steps end in %s, want %s", status, r.Status)
			}
			statuses[status] = true
			if err := domain.ValidateReportValues(vals); err != nil {
				t.Error(err)
			}
			// As the report store evaluates: the assessment is criterion 2,
			// the target area's baseline stands in for a missing incidents_baseline.
			ev := domain.CloneValues(vals)
			if assessment != nil {
				ev[domain.IndPoliticalSystem] = domain.AssessmentValue(*assessment)
			}
			if _, ok := ev.Count(domain.IndIncidentsBaseline); !ok {
				ev[domain.IndIncidentsBaseline] = domain.CountValue(baselines[r.UnitCode])
			}
			res := domain.Evaluate(ev, domain.DefaultThresholds())
			var got [7]string
			for i, c := range res.Criteria {
				got[i] = c.Status
			}
			w := want[r.UnitCode]
			if got != w.criteria {
				t.Errorf("criteria %v, want %v", got, w.criteria)
			}
			if got := domain.Timeliness(p, submitted, time.Date(CampaignYear, time.December, 31, 0, 0, 0, 0, domain.VietnamLocation())); got != w.timeliness {
				t.Errorf("timeliness %s, want %s", got, w.timeliness)
			}
		})
	}
	for _, s := range []string{domain.ReportAccepted, domain.ReportSubmitted, domain.ReportReturned, domain.ReportDraft} {
		if !statuses[s] {
			t.Errorf("no demo report ends %s", s)
		}
	}
	b, err := json.Marshal(reports)
	if err != nil || !json.Valid(b) {
		t.Fatal(err)
	}
}
