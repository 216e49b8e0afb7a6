package domain_test

import (
	"testing"

	"chuyenhoa/domain"
)

func TestReportEditable(t *testing.T) {
	for status, want := range map[string]bool{"draft": true, "returned": true, "submitted": false, "accepted": false, "": false} {
		if got := domain.ReportEditable(status); got != want {
			t.Errorf("ReportEditable(%q) = %v, want %v", status, got, want)
		}
	}
}

func TestValidateReturn(t *testing.T) {
	cat := domain.DefaultIndicators()
	for _, tt := range []struct {
		name   string
		in     domain.ReturnInput
		fields []string
	}{
		{"reason only", domain.ReturnInput{Reason: "Thiếu số liệu"}, nil},
		{"with field remark", domain.ReturnInput{Reason: "Sai số", Fields: map[string]string{"tips_processed": "Kiểm tra lại"}}, nil},
		{"no reason", domain.ReturnInput{Reason: "  "}, []string{"reason"}},
		{"unknown field", domain.ReturnInput{Reason: "x", Fields: map[string]string{"nope": "x"}}, []string{"fields.nope"}},
		{"empty remark", domain.ReturnInput{Reason: "x", Fields: map[string]string{"patrols": ""}}, []string{"fields.patrols"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			checkFields(t, domain.ValidateReturn(tt.in, cat), tt.fields)
		})
	}
}

func TestValidateAssessmentAndExitDecision(t *testing.T) {
	checkFields(t, domain.ValidateAssessment(domain.Assessment{Met: true}), nil)
	checkFields(t, domain.ValidateAssessment(domain.Assessment{Met: false}), []string{"note"})
	checkFields(t, domain.ValidateAssessment(domain.Assessment{Met: false, Note: "Chưa vững mạnh"}), nil)

	dec := &domain.Document{Number: "1250/QĐ-BCĐ", Date: domain.Date{Year: 2024, Month: 12, Day: 25}}
	for _, tt := range []struct {
		name   string
		in     domain.ExitDecisionInput
		action string
		fields []string
	}{
		{"exited with decision", domain.ExitDecisionInput{Outcome: "exited", Decision: dec}, domain.TargetActDecideExit, nil},
		{"exited without decision", domain.ExitDecisionInput{Outcome: "exited"}, domain.TargetActDecideExit, []string{"decision.number", "decision.date"}},
		{"not exited with reason", domain.ExitDecisionInput{Outcome: "not_exited", Reason: "Tiêu chí 7 chưa đạt"}, domain.TargetActDecideNotExited, nil},
		{"not exited without reason", domain.ExitDecisionInput{Outcome: "not_exited"}, domain.TargetActDecideNotExited, []string{"reason"}},
		{"unknown outcome", domain.ExitDecisionInput{Outcome: "maybe"}, "", []string{"outcome"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.in.Action(); got != tt.action {
				t.Errorf("Action() = %q, want %q", got, tt.action)
			}
			checkFields(t, domain.ValidateExitDecision(tt.in), tt.fields)
		})
	}
}

// checkFields checks that err is nil when fields is empty, and otherwise an
// EINVALID naming exactly those fields.
func checkFields(t *testing.T, err error, fields []string) {
	t.Helper()
	if len(fields) == 0 {
		if err != nil {
			t.Fatalf("err = %v, want nil", err)
		}
		return
	}
	e, ok := err.(*domain.Error)
	if !ok || e.Code != domain.EINVALID {
		t.Fatalf("err = %v, want EINVALID", err)
	}
	if len(e.Fields) != len(fields) {
		t.Errorf("fields = %v, want %v", e.Fields, fields)
	}
	for _, f := range fields {
		if e.Fields[f] == "" {
			t.Errorf("fields = %v do not name %s", e.Fields, f)
		}
	}
}
