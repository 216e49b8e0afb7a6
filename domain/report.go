package domain

import (
	"fmt"
	"sort"
)

// Report statuses. A report is edited while draft or returned; a submitted
// or accepted report is never changed in place: a correction after a return
// is a new revision.
const (
	ReportDraft     = "draft"
	ReportSubmitted = "submitted"
	ReportReturned  = "returned"
	ReportAccepted  = "accepted"
)

// Report actions, as the report history records them.
const (
	ReportActCreate = "create"
	ReportActSubmit = "submit"
	ReportActReturn = "return"
	ReportActAccept = "accept"
	ReportActAssess = "assess"
)

// ReportEditable reports whether values of a report in status may be saved.
func ReportEditable(status string) bool {
	return status == ReportDraft || status == ReportReturned
}

// ReportStatusLabel returns the Vietnamese label of a report status.
func ReportStatusLabel(status string) string {
	switch status {
	case ReportDraft:
		return "Đang nhập"
	case ReportSubmitted:
		return "Đã gửi"
	case ReportReturned:
		return "Bị trả lại"
	case ReportAccepted:
		return "Đã chấp nhận"
	}
	return truncate(status, 40)
}

// ReturnInput is what a reviewer sends to return a report: the reason for
// the whole report and, optionally, a remark per indicator code.
type ReturnInput struct {
	Reason string            `json:"reason"`
	Fields map[string]string `json:"fields,omitempty"`
}

// ValidateReturn checks a return: a reason is required, and every field
// remark names an indicator of the catalogue ("fields.CODE").
func ValidateReturn(in ReturnInput, catalogue []Indicator) error {
	fe := FieldErrors{}
	requireText(fe, "reason", in.Reason, "Lý do trả lại", maxLongText)
	codes := make([]string, 0, len(in.Fields))
	for code := range in.Fields {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		f := "fields." + truncate(code, 64)
		if _, ok := FindIndicator(catalogue, code); !ok {
			fe.Add(f, fmt.Sprintf("Chỉ tiêu “%s” không có trong danh mục", truncate(code, 64)))
			continue
		}
		requireText(fe, f, in.Fields[code], "Nhận xét về chỉ tiêu", maxLongText)
	}
	return fe.Err()
}

// ValidateAssessment checks a reviewer's political-system assessment: a
// note is required when the system is judged not met, so the ward knows why.
func ValidateAssessment(a Assessment) error {
	fe := FieldErrors{}
	if !a.Met {
		requireText(fe, "note", a.Note, "Nhận xét khi đánh giá chưa đạt", maxNoteRunes)
	} else {
		optionalText(fe, "note", a.Note, "Nhận xét", maxNoteRunes)
	}
	return fe.Err()
}

// Exit outcomes the province decides on an exit proposal.
const (
	ExitOutcomeExited    = "exited"
	ExitOutcomeNotExited = "not_exited"
)

// ExitDecisionInput is the province's decision on an exit proposal:
// exited with the decision's number and date, or not exited with a reason.
type ExitDecisionInput struct {
	Outcome  string    `json:"outcome"`
	Decision *Document `json:"decision,omitempty"`
	Reason   string    `json:"reason,omitempty"`
}

// Action returns the target-area action of the outcome, or "" when unknown.
func (in ExitDecisionInput) Action() string {
	switch in.Outcome {
	case ExitOutcomeExited:
		return TargetActDecideExit
	case ExitOutcomeNotExited:
		return TargetActDecideNotExited
	}
	return ""
}

// ValidateExitDecision checks the outcome and what it needs, naming
// "outcome", "decision.number", "decision.date" or "reason".
func ValidateExitDecision(in ExitDecisionInput) error {
	action := in.Action()
	if action == "" {
		return Invalid("Dữ liệu không hợp lệ", map[string]string{"outcome": "Kết luận phải là exited hoặc not_exited"})
	}
	err := ValidateTargetAction(action, TargetActionInput{Comment: in.Reason, Decision: in.Decision})
	if err == nil {
		return nil
	}
	fe := FieldErrors{}
	mergeFields(fe, err, func(f string) string {
		if f == "comment" {
			return "reason"
		}
		return f
	})
	return fe.Err()
}

// OpenAPISchema describes a Value: a whole number, true/false, an
// assessment object or null.
func (Value) OpenAPISchema() map[string]any {
	return map[string]any{
		"description": "count (integer ≥ 0), yes/no (boolean), assessment ({met, note}) or null",
		"nullable":    true,
		"oneOf": []any{
			map[string]any{"type": "integer", "minimum": 0},
			map[string]any{"type": "boolean"},
			map[string]any{"type": "object", "properties": map[string]any{"met": map[string]any{"type": "boolean"}, "note": map[string]any{"type": "string"}}},
		},
	}
}

// CloneValues returns a copy of v.
func CloneValues(v ReportValues) ReportValues {
	out := make(ReportValues, len(v))
	for k, x := range v {
		out[k] = x
	}
	return out
}
